// Pull (and push) of a three-layer, ~150 MB image against Debian's Distribution registry on
// 127.0.0.1. Layers are random bytes (incompressible) gzip-compressed as docker push makes them.
// The references, measured in the same run: skopeo copying the same image into an OCI directory
// (download and verify, no unpacking), and a minimal Node pipeline doing a pull's bytes work. The issue's target for berth is half of Docker 20.10's
// 1.75 s on this machine (0.875 s); Docker itself is not installed here, so only skopeo is measured.
// Usage: npm run build && node bench/pull.mjs [runs]
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import tar from "tar-stream";

const runs = Number(process.argv[2] ?? 5);
const dir = mkdtempSync(path.join(os.tmpdir(), "berth-bench-pull-"));
const socket = path.join(dir, "run", "berth.sock");
const env = {
  ...process.env,
  BERTH_HOST: `unix://${socket}`,
  DOCKER_CONFIG: path.join(dir, "docker-config"),
};
const sha = (b) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
const get = (opts) =>
  new Promise((resolve) => {
    const req = http.get(opts, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on("error", () => resolve(0));
  });
const waitFor = async (fn) => {
  for (let i = 0; i < 200; i++) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("service did not start");
};

async function tarOf(name, content) {
  const pack = tar.pack();
  const chunks = [];
  const done = (async () => {
    for await (const c of pack) chunks.push(c);
  })();
  pack.entry({ name, mode: 0o644, mtime: new Date(0) }, content);
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** An OCI layout tar holding the three-layer image, as `berth load` reads it. */
async function imageArchive(name) {
  const blobs = new Map();
  const add = (b) => {
    blobs.set(sha(b), b);
    return sha(b);
  };
  const layers = [];
  const diffIds = [];
  for (let i = 0; i < 3; i++) {
    const t = await tarOf(`layer${i}.bin`, randomBytes(50 * 1024 * 1024));
    diffIds.push(sha(t));
    const gz = gzipSync(t);
    layers.push({
      mediaType: "application/vnd.oci.image.layer.v1.tar+gzip",
      digest: add(gz),
      size: gz.length,
    });
  }
  const config = Buffer.from(
    JSON.stringify({
      architecture: "amd64",
      os: "linux",
      rootfs: { type: "layers", diff_ids: diffIds },
      config: {},
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: {
        mediaType: "application/vnd.oci.image.config.v1+json",
        digest: add(config),
        size: config.length,
      },
      layers,
    }),
  );
  const index = {
    schemaVersion: 2,
    manifests: [
      {
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        digest: add(manifest),
        size: manifest.length,
        annotations: { "io.containerd.image.name": name },
      },
    ],
  };
  const pack = tar.pack();
  const chunks = [];
  const done = (async () => {
    for await (const c of pack) chunks.push(c);
  })();
  const entry = (n, b) =>
    new Promise((r, j) => pack.entry({ name: n, mtime: new Date(0) }, b, (e) => (e ? j(e) : r())));
  await entry("oci-layout", Buffer.from('{"imageLayoutVersion":"1.0.0"}'));
  await entry("index.json", Buffer.from(JSON.stringify(index)));
  for (const [d, b] of blobs) await entry(`blobs/sha256/${d.slice(7)}`, b);
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

function timed(cmd, args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, stdio: ["ignore", "ignore", "pipe"], maxBuffer: 1 << 26 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr}`);
  return ms;
}
const berth = (...args) => timed(process.execPath, ["dist/berth.js", ...args]);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * The floor of a pull in Node on this machine: the image's layers fetched in parallel by a minimal
 * pipeline doing the bytes' work of a pull (sha256 and write of the blob; gunzip, sha256 and write
 * of the tar) without any registry protocol, tar extraction, snapshots or CLI.
 */
async function nodeFloor(port, repo, tag) {
  const { createHash } = await import("node:crypto");
  const { createWriteStream } = await import("node:fs");
  const { createGunzip } = await import("node:zlib");
  const { pipeline } = await import("node:stream/promises");
  const { PassThrough } = await import("node:stream");
  const body = (p, headers = {}) =>
    new Promise((resolve, reject) =>
      http.get({ host: "127.0.0.1", port, path: p, headers }, resolve).on("error", reject),
    );
  const read = async (res) => {
    const c = [];
    for await (const x of res) c.push(x);
    return Buffer.concat(c);
  };
  const manifest = JSON.parse(
    await read(
      await body(`/v2/${repo}/manifests/${tag}`, { Accept: "application/vnd.oci.image.manifest.v1+json" }),
    ),
  );
  const t = process.hrtime.bigint();
  await Promise.all(
    manifest.layers.map(async (l, i) => {
      const res = await body(`/v2/${repo}/blobs/${l.digest}`);
      const blobHash = createHash("sha256");
      const tarHash = createHash("sha256");
      const tee = new PassThrough({ highWaterMark: 1 << 20 });
      tee.on("data", (c) => blobHash.update(c));
      const tarSide = new PassThrough({ highWaterMark: 1 << 20 });
      tarSide.on("data", (c) => tarHash.update(c));
      await Promise.all([
        pipeline(res, tee, createWriteStream(path.join(dir, `floor-${i}.blob`))),
        pipeline(
          tee,
          createGunzip({ chunkSize: 1 << 20 }),
          tarSide,
          createWriteStream(path.join(dir, `floor-${i}.tar`)),
        ),
      ]);
      if (`sha256:${blobHash.digest("hex")}` !== l.digest) throw new Error("floor: digest mismatch");
    }),
  );
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  for (let i = 0; i < manifest.layers.length; i++) {
    rmSync(path.join(dir, `floor-${i}.blob`), { force: true });
    rmSync(path.join(dir, `floor-${i}.tar`), { force: true });
  }
  return ms;
}

const port = await freePort();
mkdirSync(path.join(dir, "registry"));
writeFileSync(
  path.join(dir, "registry", "config.yml"),
  `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/registry/data\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n`,
);
const registry = spawn("/usr/bin/docker-registry", ["serve", path.join(dir, "registry", "config.yml")], {
  stdio: "ignore",
});
const daemon = spawn(
  process.execPath,
  (process.env.BENCH_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROF}`] : [])
    .concat(["dist/berthd.js", "--data-root", `${dir}/root`, "--exec-root", `${dir}/run`, "--config-file="])
    .concat(process.env.BENCH_LOG ? ["--log-level", "debug"] : []),
  { stdio: process.env.BENCH_LOG ? ["ignore", "inherit", "inherit"] : "ignore" },
);
try {
  await waitFor(async () => (await get({ host: "127.0.0.1", port, path: "/v2/" })) === 200);
  await waitFor(async () => (await get({ socketPath: socket, path: "/_ping" })) === 200);
  const image = `127.0.0.1:${port}/bench/big:1`;
  const archive = path.join(dir, "image.tar");
  writeFileSync(archive, await imageArchive(image));
  berth("load", "-i", archive);
  rmSync(archive);

  // The first push uploads every blob; later pushes to other repositories of the same registry
  // mount the blobs instead (berth knows where they are from the first push's repo digest).
  const firstPush = berth("push", image);
  const mounted = [];
  for (let i = 0; i < runs; i++) {
    const target = `127.0.0.1:${port}/bench/push${i}:1`;
    berth("tag", image, target);
    mounted.push(berth("push", target));
    berth("rmi", target);
  }

  const pull = [];
  for (let i = 0; i < runs; i++) {
    berth("rmi", image);
    pull.push(berth("pull", image));
  }
  const skopeo = [];
  for (let i = 0; i < runs; i++) {
    const out = path.join(dir, `oci-${i}`);
    skopeo.push(timed("skopeo", ["copy", "--src-tls-verify=false", `docker://${image}`, `oci:${out}`]));
    rmSync(out, { recursive: true, force: true });
  }
  const floor = [];
  for (let i = 0; i < runs; i++) floor.push(await nodeFloor(port, "bench/big", "1"));
  const [p, s, m] = [median(pull), median(skopeo), median(mounted)];
  const f = median(floor);
  console.log(`image: 3 layers x 50 MiB random, gzip; median of ${runs} runs`);
  console.log(`berth pull (download + verify + unpack)   ${(p / 1000).toFixed(3)} s`);
  console.log(`skopeo copy to oci: (download + verify)   ${(s / 1000).toFixed(3)} s`);
  console.log(`Node floor (bytes' work only, no CLI)      ${(f / 1000).toFixed(3)} s`);
  console.log(`berth push (all blobs uploaded, 1 run)    ${(firstPush / 1000).toFixed(3)} s`);
  console.log(`berth push to another repo (mounts)       ${(m / 1000).toFixed(3)} s`);
  console.log(`berth pull / skopeo copy: ${(p / s).toFixed(2)}x`);
  console.log(
    `berth pull / Node floor: ${(p / f).toFixed(2)}x; Node floor / target 0.875 s: ${(f / 875).toFixed(2)}x`,
  );
  console.log(
    `berth pull / target 0.875 s (half of Docker 20.10's 1.75 s from the issue): ${(p / 875).toFixed(2)}x`,
  );
} finally {
  daemon.kill("SIGTERM");
  registry.kill("SIGTERM");
  await Promise.all([
    new Promise((r) => daemon.once("exit", r)),
    new Promise((r) => registry.once("exit", r)),
  ]);
  spawnSync("sh", ["-c", `grep ' ${dir}/' /proc/mounts | cut -d' ' -f2 | sort -r | xargs -r -n1 umount -l`]);
  rmSync(dir, { recursive: true, force: true });
}
