// Bundles each entry point into one file: the CLI starts faster when Node loads one module
// instead of resolving a tree of them.
import { chmod } from "node:fs/promises";
import { build } from "esbuild";

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: "linked",
  legalComments: "none",
  // A native addon: loaded from node_modules at run time, only when attaching.
  external: ["node-unix-socket"],
  banner: {
    // ESM bundles lack require(); some CommonJS dependencies (tar-stream's) call it.
    js: "#!/usr/bin/env -S node --\nimport { createRequire as __berthCreateRequire } from 'node:module'; const require = __berthCreateRequire(import.meta.url);",
  },
};

await Promise.all([
  build({ ...common, entryPoints: ["src/bin/berthd.ts"], outfile: "dist/berthd.js" }),
  // `berth registry` lives in its own bundle, imported by dist/berth.js only when asked for.
  // Code behind a dynamic import() (compose) goes into chunks that load only when used.
  build({
    ...common,
    entryPoints: ["src/bin/berth.ts"],
    outdir: "dist",
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    external: [...common.external, "./berth-registry.js"],
  }),
  build({ ...common, entryPoints: ["src/bin/berth-registry.ts"], outfile: "dist/berth-registry.js" }),
]);

// The entry points are run directly (the demo links /usr/local/bin/berth to dist/berth.js).
await Promise.all(["dist/berth.js", "dist/berthd.js"].map((f) => chmod(f, 0o755)));
