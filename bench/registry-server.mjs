// `berth registry serve` beside Debian's Distribution registry (docker-registry), both on 127.0.0.1 and
// measured in this run: skopeo pushes a three-layer image (~150 MB, incompressible) into each and
// pulls it back to an OCI directory. Each run gets fresh registry roots and a fresh skopeo cache, so
// nothing is skipped or mounted. Prints medians and berth's ratio to Distribution.
// Usage: npm run build && node bench/registry-server.mjs [runs] [layer MiB]
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { writeOciLayout } from "../build/test/fixtures/oci-layout.js";
import { makeTar } from "../build/test/fixtures/tar.js";

const runs = Number(process.argv[2] ?? 3);
const layerMiB = Number(process.argv[3] ?? 50);
const dir = mkdtempSync(path.join(os.tmpdir(), "berth-bench-registry-"));
const children = [];

const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function waitFor(port) {
  for (let i = 0; i < 200; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/v2/`);
      if (r.status === 200) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`registry on ${port} did not start`);
}

async function startBerth(root) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ["dist/berth.js", "registry", "serve", "--addr", `127.0.0.1:${port}`, "--root", root],
    { stdio: "ignore" },
  );
  children.push(child);
  await waitFor(port);
  return { port, child };
}

async function startDistribution(root) {
  const port = await freePort();
  const config = path.join(root, "..", `${path.basename(root)}.yml`);
  writeFileSync(
    config,
    `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${root}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n`,
  );
  const child = spawn("/usr/bin/docker-registry", ["serve", config], { stdio: "ignore" });
  children.push(child);
  await waitFor(port);
  return { port, child };
}

function timed(args, home) {
  const t = process.hrtime.bigint();
  const r = spawnSync("/usr/bin/skopeo", ["--insecure-policy", ...args], {
    env: { ...process.env, HOME: home, XDG_DATA_HOME: path.join(home, "data") },
    stdio: ["ignore", "ignore", "pipe"],
  });
  if (r.status !== 0) throw new Error(`skopeo ${args.join(" ")}: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  const tars = [];
  for (let i = 0; i < 3; i++)
    tars.push(await makeTar([{ name: `layer${i}.bin`, content: randomBytes(layerMiB << 20) }]));
  const src = path.join(dir, "src");
  await writeOciLayout(src, tars, "v1");
  const results = { berth: { push: [], pull: [] }, distribution: { push: [], pull: [] } };
  for (let run = 0; run < runs; run++) {
    for (const [name, start] of [
      ["berth", startBerth],
      ["distribution", startDistribution],
    ]) {
      const root = path.join(dir, `${name}-${run}`);
      const home = path.join(dir, `home-${name}-${run}`);
      const { port, child } = await start(root);
      const ref = `docker://127.0.0.1:${port}/bench/image:v1`;
      results[name].push.push(timed(["copy", "--dest-tls-verify=false", `oci:${src}:v1`, ref], home));
      results[name].pull.push(
        timed(
          ["copy", "--src-tls-verify=false", ref, `oci:${path.join(dir, `out-${name}-${run}`)}:v1`],
          home,
        ),
      );
      child.kill("SIGTERM");
      rmSync(root, { recursive: true, force: true });
      rmSync(path.join(dir, `out-${name}-${run}`), { recursive: true, force: true });
    }
  }
  console.log(`skopeo copy of a 3 x ${layerMiB} MiB image, median of ${runs} runs`);
  for (const op of ["push", "pull"]) {
    const b = median(results.berth[op]);
    const d = median(results.distribution[op]);
    console.log(
      `${op.padEnd(5)} berth ${b.toFixed(0).padStart(6)} ms   distribution ${d.toFixed(0).padStart(6)} ms   ${(b / d).toFixed(2)}x distribution`,
    );
  }
} finally {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
}
