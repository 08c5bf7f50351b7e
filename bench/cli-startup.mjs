// CLI start-up: `berth --version` and `berth images` beside `node -e 0` and the docker CLI, all
// measured in this run against a berthd on a temporary root. Prints medians and ratios.
// Usage: npm run build && node bench/cli-startup.mjs [runs]
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";

const runs = Number(process.argv[2] ?? 30);
const dir = mkdtempSync(path.join(os.tmpdir(), "berth-bench-"));
const socket = path.join(dir, "run", "berth.sock");
const daemon = spawn(
  process.execPath,
  ["dist/berthd.js", "--data-root", `${dir}/root`, "--exec-root", `${dir}/run`, "--config-file="],
  { stdio: "ignore" },
);

const ping = () =>
  new Promise((resolve) => {
    const req = http.get({ socketPath: socket, path: "/_ping" }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("error", () => resolve(false));
  });

function median(cmd, args, env = {}) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr}`);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

try {
  for (let i = 0; i < 100 && !(await ping()); i++) await new Promise((r) => setTimeout(r, 50));
  const env = { BERTH_HOST: `unix://${socket}`, DOCKER_HOST: `unix://${socket}` };
  const nodeBare = median(process.execPath, ["-e", "0"]);
  const berthVersion = median(process.execPath, ["dist/berth.js", "--version"], env);
  const berthImages = median(process.execPath, ["dist/berth.js", "images"], env);
  const dockerImages = median("/usr/local/bin/docker", ["images"], env);
  const row = (name, ms, ref, refName) =>
    console.log(`${name.padEnd(28)} ${ms.toFixed(1).padStart(7)} ms   ${(ms / ref).toFixed(2)}x ${refName}`);
  console.log(`median of ${runs} runs`);
  row("node -e 0", nodeBare, nodeBare, "node -e 0");
  row("berth --version", berthVersion, nodeBare, "node -e 0");
  row("berth images", berthImages, nodeBare, "node -e 0");
  row("docker images (same daemon)", dockerImages, nodeBare, "node -e 0");
  console.log(`berth images / docker images: ${(berthImages / dockerImages).toFixed(2)}x`);
} finally {
  daemon.kill("SIGTERM");
  await new Promise((r) => daemon.once("exit", r));
  rmSync(dir, { recursive: true, force: true });
}
