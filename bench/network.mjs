// Network benchmark, all measured in this run against a test berthd (own bridge, pool and nft table):
// 1. Throughput of one HTTP download of SIZE MB from a container's busybox httpd through a published
//    port: via the host's loopback (the userland proxy) and via the host's own non-loopback address
//    (the kernel DNAT), beside the same download from busybox httpd run as a plain host process.
// 2. `docker run --rm busybox true` latency on the default bridge beside `--network none`.
// Usage: npm run build && node bench/network.mjs [sizeMB=200] [runs=10]
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { busyboxRootfs } from "../build/test/fixtures/busybox.js";
import { TestDaemon } from "../build/test/harness/daemon.js";

const sizeMb = Number(process.argv[2] ?? 200);
const runs = Number(process.argv[3] ?? 10);

/** Downloads url, discarding the body; resolves with MB/s (bytes checked against the size). */
function download(url) {
  return new Promise((resolve, reject) => {
    const t = process.hrtime.bigint();
    http
      .get(url, (res) => {
        let n = 0;
        res.on("data", (b) => {
          n += b.length;
        });
        res.on("end", () => {
          const s = Number(process.hrtime.bigint() - t) / 1e9;
          if (n !== sizeMb * 1024 * 1024) reject(new Error(`${url}: got ${n} bytes`));
          else resolve(sizeMb / s);
        });
        res.on("error", reject);
      })
      .on("error", reject);
  });
}

async function best(url, tries = 3) {
  let top = 0;
  for (let i = 0; i < tries; i++) top = Math.max(top, await download(url));
  return top;
}

async function waitFor(url) {
  for (let i = 0; i < 100; i++) {
    const up = await new Promise((r) => {
      const req = http.request(url, { method: "HEAD" }, (res) => {
        res.resume();
        r(res.statusCode === 200);
      });
      req.on("error", () => r(false));
      req.end();
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} never answered`);
}

function medianMs(fn) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const d = await TestDaemon.start();
const hostDir = mkdtempSync(path.join(os.tmpdir(), "berth-bench-www-"));
let hostHttpd;
try {
  const sh = (args, input) => {
    const r = spawnSync("/usr/local/bin/docker", args, {
      input,
      env: { ...process.env, DOCKER_HOST: d.host, DOCKER_CONFIG: path.join(d.dir, "docker-config") },
    });
    if (r.status !== 0) throw new Error(`docker ${args.join(" ")}: ${r.stderr}`);
    return r.stdout.toString().trim();
  };
  sh(["import", "-", "busybox:latest"], await busyboxRootfs());

  // The host reference: the same busybox httpd, same file, as a host process on loopback.
  spawnSync("dd", ["if=/dev/zero", `of=${hostDir}/big`, "bs=1M", `count=${sizeMb}`], { stdio: "ignore" });
  const hostPort = 20000 + Math.floor(Math.random() * 10000);
  hostHttpd = spawn("/bin/busybox", ["httpd", "-f", "-p", `127.0.0.1:${hostPort}`, "-h", hostDir], {
    stdio: "ignore",
  });
  await waitFor(`http://127.0.0.1:${hostPort}/big`);

  sh([
    "run",
    "-d",
    "--name",
    "bench-web",
    "-p",
    "80",
    "busybox",
    "sh",
    "-c",
    `mkdir -p /www && dd if=/dev/zero of=/www/big bs=1M count=${sizeMb} 2>/dev/null && exec httpd -f -p 80 -h /www`,
  ]);
  const port = Number(sh(["port", "bench-web", "80/tcp"]).split(":").pop());
  await waitFor(`http://127.0.0.1:${port}/big`);
  const hostAddr = Object.values(os.networkInterfaces())
    .flat()
    .find((a) => a && a.family === "IPv4" && !a.internal && !a.address.startsWith("198.1"))?.address;

  const ref = await best(`http://127.0.0.1:${hostPort}/big`);
  const proxy = await best(`http://127.0.0.1:${port}/big`);
  const dnat = hostAddr ? await best(`http://${hostAddr}:${port}/big`) : undefined;
  console.log(`download of ${sizeMb} MB, best of 3 (MB/s)`);
  const row = (name, v) =>
    console.log(`${name.padEnd(46)} ${v.toFixed(0).padStart(7)} MB/s   ${(v / ref).toFixed(2)}x host`);
  row("host process (busybox httpd, 127.0.0.1)", ref);
  row("container via published port, 127.0.0.1 (proxy)", proxy);
  if (dnat) row(`container via published port, ${hostAddr} (DNAT)`, dnat);
  sh(["rm", "-f", "bench-web"]);

  sh(["run", "--rm", "busybox", "true"]); // warm-up
  const bridge = medianMs(() => sh(["run", "--rm", "busybox", "true"]));
  const none = medianMs(() => sh(["run", "--rm", "--network", "none", "busybox", "true"]));
  console.log(`\ndocker run --rm busybox true, median of ${runs}`);
  console.log(`--network none          ${none.toFixed(0).padStart(6)} ms`);
  console.log(
    `default bridge          ${bridge.toFixed(0).padStart(6)} ms   ${(bridge / none).toFixed(2)}x none`,
  );
} finally {
  hostHttpd?.kill();
  rmSync(hostDir, { recursive: true, force: true });
  const ids = spawnSync("/usr/local/bin/docker", ["ps", "-aq"], {
    env: { ...process.env, DOCKER_HOST: d.host },
  })
    .stdout.toString()
    .split("\n")
    .filter(Boolean);
  if (ids.length)
    spawnSync("/usr/local/bin/docker", ["rm", "-f", ...ids], {
      env: { ...process.env, DOCKER_HOST: d.host },
    });
  await d.cleanup();
}
