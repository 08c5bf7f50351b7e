// Dockerfile builds on the tutorial's pattern (COPY package*.json, an install step, COPY . .) with
// a 3,000-file context: cold build, no-op rebuild and one-file code change, through the berth CLI
// (local context fast path, and the tar stream) and the docker CLI (DOCKER_BUILDKIT=0), against a
// berthd on a temporary root. The reference, measured in the same run: `tar c` of the context to
// /dev/null (what any tar-sending client must at least do). Prints medians and ratios.
// Usage: npm run build && node bench/build.mjs [runs]
import { spawnSync } from "node:child_process";
import { closeSync, promises as fs, openSync } from "node:fs";
import path from "node:path";
import { busyboxRootfs } from "../build/test/fixtures/busybox.js";
import { TestDaemon } from "../build/test/harness/daemon.js";

const runs = Number(process.argv[2] ?? 7);
const FILES = 3000;

async function makeContext(dir) {
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, "package.json"), '{"name":"bench","dependencies":{"dep":"1"}}\n');
  await fs.writeFile(path.join(dir, "package-lock.json"), '{"lockfileVersion":3}\n');
  for (let i = 0; i < FILES; i++) {
    const sub = path.join(dir, "src", `d${Math.floor(i / 100)}`);
    if (i % 100 === 0) await fs.mkdir(sub, { recursive: true });
    await fs.writeFile(path.join(sub, `f${i}.js`), `export const v${i} = ${i}; // ${"x".repeat(200)}\n`);
  }
  await fs.writeFile(path.join(dir, ".dockerignore"), "node_modules\n.git\n");
  await fs.writeFile(
    path.join(dir, "Dockerfile"),
    [
      "FROM busybox",
      "WORKDIR /app",
      "COPY package*.json ./",
      'RUN mkdir -p node_modules/dep && for i in $(seq 1 300); do echo "module.exports = $i" > node_modules/dep/m$i.js; done',
      "COPY . .",
      'CMD ["sh", "-c", "ls src | wc -l"]',
      "",
    ].join("\n"),
  );
}

function timed(cmd, args, env) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}): ${r.stderr}\n${r.stdout}`);
  return { ms, out: r.stdout.toString() };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const d = await TestDaemon.start();
try {
  const imp = await d.docker(["import", "-", "busybox:latest"], { input: await busyboxRootfs() });
  if (imp.code !== 0) throw new Error(imp.stderr);
  const ctx = path.join(d.dir, "ctx");
  await makeContext(ctx);
  const env = { BERTH_HOST: d.host, DOCKER_HOST: d.host, DOCKER_BUILDKIT: "0" };
  const berth = (args, extra = {}) =>
    timed(process.execPath, ["dist/berth.js", ...args], { ...env, ...extra });
  const docker = (args) => timed("docker", args, env);

  // Reference: tar of the context to /dev/null.
  const devnull = openSync("/dev/null", "w");
  const tarTimes = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    spawnSync("tar", ["cf", "-", "-C", ctx, "."], { stdio: ["ignore", devnull, "inherit"] });
    tarTimes.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  closeSync(devnull);
  const ref = median(tarTimes);
  const nodeBare = median(Array.from({ length: runs }, () => timed(process.execPath, ["-e", "0"], {}).ms));
  const berthVersion = median(
    Array.from({ length: runs }, () => timed(process.execPath, ["dist/berth.js", "--version"], {}).ms),
  );

  let edit = 0;
  const change = () => fs.writeFile(path.join(ctx, "src", "d0", "f0.js"), `export const v0 = ${++edit};\n`);
  const measure = async (name, build) => {
    const cold = build(["--no-cache"]).ms;
    const noop = [];
    const code = [];
    for (let i = 0; i < runs; i++) {
      noop.push(build([]).ms);
      await change();
      const r = build([]);
      code.push(r.ms);
    }
    return { name, cold, noop: median(noop), code: median(code) };
  };
  const rows = [
    await measure("berth CLI (local context)", (extra) =>
      berth(["build", "-q", ...extra, "-t", "bench:b", ctx]),
    ),
    await measure("berth CLI (tar stream)", (extra) =>
      berth(["build", "-q", ...extra, "-t", "bench:t", ctx], { BERTH_BUILD_NO_LOCAL_CONTEXT: "1" }),
    ),
    await measure("docker CLI, DOCKER_BUILDKIT=0", (extra) =>
      docker(["build", "-q", ...extra, "-t", "bench:d", ctx]),
    ),
  ];
  // Sanity: the image has the whole context and the change.
  const check = await d.docker(["run", "--rm", "bench:b"]);
  console.log(`context: ${FILES} files; image sees ${check.stdout.trim()} src dirs; median of ${runs} runs`);
  console.log(`reference: tar c of the context to /dev/null ${ref.toFixed(1)} ms`);
  console.log(
    `for scale: node -e 0 ${nodeBare.toFixed(0)} ms, berth --version ${berthVersion.toFixed(0)} ms (a floor for any berth CLI command)`,
  );
  const cell = (ms) => `${(ms / 1000).toFixed(3)} s (${(ms / ref).toFixed(1)}x tar)`.padEnd(24);
  console.log(`${"".padEnd(32)}${"cold".padEnd(24)}${"no-op rebuild".padEnd(24)}code change`);
  for (const r of rows) console.log(`${r.name.padEnd(32)}${cell(r.cold)}${cell(r.noop)}${cell(r.code)}`);
  const b = rows[0];
  console.log(
    `issue targets for the berth CLI: no-op <= 0.09 s (${b.noop <= 90 ? "met" : "not met"}), code change <= 0.55 s (${b.code <= 550 ? "met" : "not met"})`,
  );
} finally {
  await d.cleanup();
}
