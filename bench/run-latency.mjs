// `run --rm --network none busybox true` through the docker CLI against berthd and through the
// berth CLI, beside bare `runc run` of an equivalent bundle, all in this run. Then memory: conmon
// RSS per running container and berthd RSS with N running containers.
// Usage: npm run build && node bench/run-latency.mjs [runs] [containers]
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";

const runs = Number(process.argv[2] ?? 20);
const many = Number(process.argv[3] ?? 50);
const dir = mkdtempSync(path.join(os.tmpdir(), "berth-bench-run-"));
const socket = path.join(dir, "run", "berth.sock");
const env = { ...process.env, DOCKER_HOST: `unix://${socket}`, BERTH_HOST: `unix://${socket}` };
const daemon = spawn(
  process.execPath,
  ["dist/berthd.js", "--data-root", `${dir}/root`, "--exec-root", `${dir}/run`, "--config-file="],
  {
    stdio: "ignore",
  },
);

const ping = () =>
  new Promise((resolve) => {
    const req = http.get({ socketPath: socket, path: "/_ping" }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("error", () => resolve(false));
  });

function time(cmd, args, opts = {}) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, stdio: ["ignore", "ignore", "pipe"], ...opts });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: exit ${r.status}: ${r.stderr}`);
  return ms;
}

function median(fn) {
  const xs = [];
  for (let i = 0; i < runs; i++) xs.push(fn(i));
  xs.sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)];
}

function rssKb(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) : 0;
}

try {
  for (let i = 0; i < 200 && !(await ping()); i++) await new Promise((r) => setTimeout(r, 50));
  // The image: busybox-static as a one-layer image.
  const rootfs = path.join(dir, "rootfs");
  mkdirSync(path.join(rootfs, "bin"), { recursive: true });
  cpSync("/bin/busybox", path.join(rootfs, "bin/busybox"));
  for (const a of ["sh", "true", "sleep"]) symlinkSync("busybox", path.join(rootfs, "bin", a));
  execFileSync("tar", ["-C", rootfs, "-cf", `${dir}/rootfs.tar`, "."]);
  execFileSync("/usr/local/bin/docker", ["import", `${dir}/rootfs.tar`, "busybox:latest"], {
    env,
    stdio: "ignore",
  });

  // Bare runc: the same rootfs, runc's default spec with a new network namespace, `true`.
  const bundle = path.join(dir, "bundle");
  mkdirSync(bundle);
  cpSync(rootfs, path.join(bundle, "rootfs"), { recursive: true, verbatimSymlinks: true });
  execFileSync("runc", ["spec", "-b", bundle]);
  const spec = JSON.parse(readFileSync(path.join(bundle, "config.json"), "utf8"));
  spec.process.terminal = false;
  spec.process.args = ["/bin/true"];
  writeFileSync(path.join(bundle, "config.json"), JSON.stringify(spec));
  const runcRoot = path.join(dir, "runc-root");

  // A second reference: runc with the spec berth itself generates (seccomp, capabilities, masked
  // paths, cgroups), taken from a running container, with /etc binds dropped.
  const probeId = execFileSync(
    "/usr/local/bin/docker",
    ["run", "-d", "--network", "none", "busybox", "sleep", "60"],
    { env },
  )
    .toString()
    .trim();
  const berthSpec = JSON.parse(
    readFileSync(path.join(dir, "run", "containers", probeId, "config.json"), "utf8"),
  );
  execFileSync("/usr/local/bin/docker", ["rm", "-f", probeId], { env, stdio: "ignore" });
  const bundle2 = path.join(dir, "bundle-berth-spec");
  mkdirSync(bundle2);
  berthSpec.root.path = path.join(bundle, "rootfs");
  berthSpec.process.args = ["/bin/true"];
  berthSpec.linux.cgroupsPath = "/berth-bench/runc";
  berthSpec.mounts = berthSpec.mounts.filter((m) => !m.destination.startsWith("/etc/"));
  writeFileSync(path.join(bundle2, "config.json"), JSON.stringify(berthSpec));

  time("/usr/local/bin/docker", ["run", "--rm", "--network", "none", "busybox", "true"]); // warm-up
  const runc = median((i) => time("runc", ["--root", runcRoot, "run", "-b", bundle, `bench-${i}`]));
  const runcBerthSpec = median((i) =>
    time("runc", ["--root", runcRoot, "run", "-b", bundle2, `bench-spec-${i}`]),
  );
  // The floor of any engine that keeps runc's create, start and delete steps apart (as a monitor such
  // as conmon requires) and is driven by the docker CLI: the CLI's own start-up plus those three.
  const dockerAlone = median(() => time("/usr/local/bin/docker", ["--version"]));
  const createDelete = median((i) => {
    const id = `bench-cd-${i}`;
    const t = time("runc", ["--root", runcRoot, "create", "-b", bundle2, id], { stdio: "ignore" });
    const s = time("runc", ["--root", runcRoot, "start", id]);
    return t + s + time("runc", ["--root", runcRoot, "delete", "--force", id]);
  });
  const floor = dockerAlone + createDelete;
  const viaDocker = median(() =>
    time("/usr/local/bin/docker", ["run", "--rm", "--network", "none", "busybox", "true"]),
  );
  const viaBerth = median(() =>
    time(process.execPath, ["dist/berth.js", "run", "--rm", "--network", "none", "busybox", "true"]),
  );

  console.log(`run --rm --network none busybox true, median of ${runs}`);
  console.log(
    `  bare runc run              ${runc.toFixed(1).padStart(8)} ms   1.00x   (runc's default spec: no seccomp)`,
  );
  console.log(
    `  runc run, berth's spec     ${runcBerthSpec.toFixed(1).padStart(8)} ms   ${(runcBerthSpec / runc).toFixed(2)}x runc   (default seccomp profile and all)`,
  );
  console.log(
    `  floor: docker --version + runc create + start + delete (berth's spec) ${floor.toFixed(1)} ms = ${(floor / runc).toFixed(2)}x runc, ${(floor / runcBerthSpec).toFixed(2)}x runc with berth's spec (docker ${dockerAlone.toFixed(1)}, create+start+delete ${createDelete.toFixed(1)})`,
  );
  console.log(
    `  docker CLI -> berthd       ${viaDocker.toFixed(1).padStart(8)} ms   ${(viaDocker / runc).toFixed(2)}x runc   ${(viaDocker / runcBerthSpec).toFixed(2)}x runc with berth's spec`,
  );
  console.log(
    `  berth CLI -> berthd        ${viaBerth.toFixed(1).padStart(8)} ms   ${(viaBerth / runc).toFixed(2)}x runc   ${(viaBerth / runcBerthSpec).toFixed(2)}x runc with berth's spec`,
  );

  const before = rssKb(daemon.pid);
  const ids = [];
  for (let i = 0; i < many; i++) {
    ids.push(
      execFileSync("/usr/local/bin/docker", ["run", "-d", "--network", "none", "busybox", "sleep", "600"], {
        env,
      })
        .toString()
        .trim(),
    );
  }
  const conmons = spawnSync("pgrep", ["-f", `conmon.*${dir}`])
    .stdout.toString()
    .split("\n")
    .filter(Boolean);
  const conmonRss = conmons.map((p) => rssKb(Number(p)));
  const avg = conmonRss.reduce((a, b) => a + b, 0) / Math.max(1, conmonRss.length);
  console.log(`memory with ${many} running containers`);
  console.log(`  conmon RSS per container   ${avg.toFixed(0).padStart(8)} kB (${conmonRss.length} monitors)`);
  console.log(
    `  berthd RSS                 ${rssKb(daemon.pid).toString().padStart(8)} kB (idle before: ${before} kB)`,
  );
  execFileSync("/usr/local/bin/docker", ["rm", "-f", ...ids], { env, stdio: "ignore" });
} finally {
  daemon.kill("SIGTERM");
  await new Promise((r) => daemon.once("exit", r));
  spawnSync("sh", ["-c", `findmnt -rn -o TARGET | grep '^${dir}' | sort -r | xargs -r umount -l`]);
  rmSync(dir, { recursive: true, force: true });
}
