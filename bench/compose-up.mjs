// `compose up -d --wait` to all healthy, then `compose down`, for 10 services in a dependency chain
// (each with a fast healthcheck and `condition: service_healthy` on the previous one): berth compose
// beside Docker's own docker-compose (v1, Debian package), both against the same berthd in this run.
// Usage: npm run build && node bench/compose-up.mjs [rounds]
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { busyboxRootfs } from "../build/test/fixtures/busybox.js";
import { TestDaemon } from "../build/test/harness/daemon.js";

const rounds = Number(process.argv[2] ?? 3);
const N = 10;
const IDLE = "trap 'exit 0' TERM; while true; do sleep 0.2; done";

function composeFile(v1) {
  const lines = v1 ? ['version: "2.4"', "services:"] : ["services:"];
  for (let i = 1; i <= N; i++) {
    lines.push(
      `  s${i}:`,
      "    image: busybox",
      `    command: ["sh", "-c", "${IDLE}"]`,
      "    healthcheck:",
      '      test: ["CMD", "true"]',
      "      interval: 200ms",
      "      timeout: 1s",
      "      retries: 50",
    );
    if (v1) lines.push("      start_period: 0s");
    if (i > 1) lines.push("    depends_on:", `      s${i - 1}:`, "        condition: service_healthy");
  }
  return `${lines.join("\n")}\n`;
}

const d = await TestDaemon.start();
try {
  const imp = await d.docker(["import", "-", "busybox:latest"], { input: await busyboxRootfs() });
  if (imp.code !== 0) throw new Error(imp.stderr);
  const dir = path.join(d.dir, "bench");
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "compose.yaml"), composeFile(false));
  writeFileSync(path.join(dir, "docker-compose.yml"), composeFile(true));
  const env = { ...process.env, BERTH_HOST: d.host, DOCKER_HOST: d.host };

  const time = (cmd, args) => {
    const t = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { env, encoding: "utf8" });
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
    return ms;
  };
  const allHealthy = (project) => {
    const r = spawnSync(
      "/usr/local/bin/docker",
      ["ps", "--filter", `label=com.docker.compose.project=${project}`, "--format", "{{.Status}}"],
      { env, encoding: "utf8" },
    );
    const rows = r.stdout.trim().split("\n").filter(Boolean);
    return rows.length === N && rows.every((s) => s.includes("(healthy)"));
  };
  // docker-compose v1 has no --wait: time `up -d` (which already waits for each service_healthy
  // dependency) plus polling until the last service is healthy too.
  const v1Up = () => {
    const t = process.hrtime.bigint();
    time("/usr/bin/docker-compose", [
      "-f",
      path.join(dir, "docker-compose.yml"),
      "-p",
      "benchv1",
      "up",
      "-d",
    ]);
    for (let i = 0; i < 600 && !allHealthy("benchv1"); i++) spawnSync("sleep", ["0.05"]);
    if (!allHealthy("benchv1")) throw new Error("docker-compose project did not become healthy");
    return Number(process.hrtime.bigint() - t) / 1e6;
  };

  const berth = ["dist/berth.js", "compose", "-f", path.join(dir, "compose.yaml"), "-p", "benchb"];
  const res = { berthUp: [], berthDown: [], v1Up: [], v1Down: [] };
  for (let r = 0; r < rounds; r++) {
    res.berthUp.push(time(process.execPath, [...berth, "up", "-d", "--wait"]));
    if (!allHealthy("benchb")) throw new Error("berth compose up --wait returned before all were healthy");
    res.berthDown.push(time(process.execPath, [...berth, "down", "-t", "2"]));
    res.v1Up.push(v1Up());
    res.v1Down.push(
      time("/usr/bin/docker-compose", [
        "-f",
        path.join(dir, "docker-compose.yml"),
        "-p",
        "benchv1",
        "down",
        "-t",
        "2",
      ]),
    );
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const row = (name, ms, ref) =>
    console.log(
      `${name.padEnd(44)} ${(ms / 1000).toFixed(2).padStart(6)} s   ${(ms / ref).toFixed(2)}x docker-compose`,
    );
  console.log(
    `${N} services in a service_healthy chain, healthcheck interval 200ms; median of ${rounds} rounds, same berthd`,
  );
  row("berth compose up -d --wait (all healthy)", median(res.berthUp), median(res.v1Up));
  row("docker-compose up -d + poll (all healthy)", median(res.v1Up), median(res.v1Up));
  row("berth compose down", median(res.berthDown), median(res.v1Down));
  row("docker-compose down", median(res.v1Down), median(res.v1Down));
} finally {
  await d.cleanup();
}
