import { main } from "../cli/main.js";

/**
 * `berth registry …` runs a registry server in this process; everything else is the Engine API client.
 * The registry is its own bundle (dist/berth-registry.js, see scripts/bundle.mjs), loaded only here, so
 * other commands do not parse it at start-up.
 */
const argv = process.argv.slice(2);
const run =
  argv[0] === "registry"
    ? import("./berth-registry.js").then((m) => m.registryMain(argv.slice(1)))
    : main(argv);

run.then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`berth: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
