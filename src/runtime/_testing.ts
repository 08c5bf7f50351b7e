import { existsSync, promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { RuncRuntime } from "./runc.js";

/**
 * Test fixtures for the runtime layer: a busybox bundle and a per-test-file scratch root that is
 * wiped (containers deleted, monitors killed, files removed) before and after use, so a run that was
 * killed half-way leaves nothing that breaks the next one.
 */

export const BUSYBOX = "/bin/busybox";
export const RUNC = "/usr/sbin/runc";
export const CONMON = "/usr/bin/conmon";

/** The real-runtime tests need root and the packages; without them they fail and say what to do. */
export function requireRealRuntime(): void {
  if (process.getuid?.() !== 0) throw new Error("runtime tests need root (runc, conmon, mounts)");
  for (const bin of [BUSYBOX, RUNC, CONMON]) {
    if (!existsSync(bin)) throw new Error(`${bin} is not installed: run scripts/install-deps.sh`);
  }
}

export interface BundleOptions {
  args: readonly string[];
  tty?: boolean;
  env?: readonly string[];
}

const APPLETS = ["sh", "cat", "echo", "sleep", "true", "false", "tty", "ls", "stty"];

/** A bundle with a busybox rootfs and a minimal config.json (runc spec's defaults, adjusted). */
export async function makeBusyboxBundle(bundle: string, opts: BundleOptions): Promise<void> {
  const bin = path.join(bundle, "rootfs", "bin");
  await fs.mkdir(bin, { recursive: true });
  await fs.copyFile(BUSYBOX, path.join(bin, "busybox"));
  for (const a of APPLETS) await fs.symlink("busybox", path.join(bin, a));
  await fs.writeFile(path.join(bundle, "config.json"), JSON.stringify(busyboxSpec(opts), null, 1));
}

export function busyboxSpec(opts: BundleOptions): Record<string, unknown> {
  const caps = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"];
  return {
    ociVersion: "1.0.2",
    process: {
      terminal: opts.tty ?? false,
      user: { uid: 0, gid: 0 },
      args: [...opts.args],
      env: ["PATH=/bin", ...(opts.tty ? ["TERM=xterm"] : []), ...(opts.env ?? [])],
      cwd: "/",
      capabilities: { bounding: caps, effective: caps, permitted: caps },
      // Below the hard limit: root here lacks CAP_SYS_RESOURCE.
      rlimits: [{ type: "RLIMIT_NOFILE", hard: 1024, soft: 1024 }],
      noNewPrivileges: true,
    },
    root: { path: "rootfs", readonly: true },
    hostname: "berth-test",
    mounts: [
      { destination: "/proc", type: "proc", source: "proc" },
      {
        destination: "/dev",
        type: "tmpfs",
        source: "tmpfs",
        options: ["nosuid", "strictatime", "mode=755", "size=65536k"],
      },
      {
        destination: "/dev/pts",
        type: "devpts",
        source: "devpts",
        options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"],
      },
      {
        destination: "/dev/shm",
        type: "tmpfs",
        source: "shm",
        options: ["nosuid", "noexec", "nodev", "mode=1777"],
      },
      { destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"] },
    ],
    linux: {
      resources: { devices: [{ allow: false, access: "rwm" }] },
      namespaces: [{ type: "pid" }, { type: "network" }, { type: "ipc" }, { type: "uts" }, { type: "mount" }],
      maskedPaths: ["/proc/kcore", "/proc/keys", "/proc/timer_list", "/sys/firmware"],
      readonlyPaths: ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"],
    },
  };
}

export interface RuntimeTestEnv {
  base: string;
  runtime: RuncRuntime;
  /** Short unique container id. */
  newId(): string;
  /** Per-container paths under base. */
  paths(id: string): {
    dir: string;
    bundle: string;
    persistDir: string;
    exitDir: string;
    logPath: string;
    conmonPidFile: string;
  };
  cleanup(): Promise<void>;
}

const PREFIX = "berth-rt-test-";

/**
 * A scratch root for one test file in one process: `<tmp>/berth-rt-test-<name>-<pid>`. Roots left by
 * processes that no longer exist (a killed run) are wiped first; roots of live runs are left alone,
 * so two test runs on one machine do not disturb each other.
 */
export async function runtimeTestEnv(name: string): Promise<RuntimeTestEnv> {
  await wipeAbandoned();
  const base = path.join(os.tmpdir(), `${PREFIX}${name}-${process.pid}`);
  const runtime = runtimeAt(base);
  let n = 0;
  const env: RuntimeTestEnv = {
    base,
    runtime,
    newId: () =>
      `bt${process.pid.toString(36)}x${(n++).toString(36)}${Math.random().toString(36).slice(2, 6)}`,
    paths(id) {
      const dir = path.join(base, "c", id);
      return {
        dir,
        bundle: path.join(dir, "bundle"),
        persistDir: path.join(dir, "persist"),
        exitDir: path.join(base, "exits"),
        logPath: path.join(dir, "ctr.log"),
        conmonPidFile: path.join(dir, "conmon.pid"),
      };
    },
    cleanup: () => wipe(base),
  };
  await env.cleanup();
  await fs.mkdir(base, { recursive: true });
  return env;
}

function runtimeAt(base: string): RuncRuntime {
  return new RuncRuntime({ root: path.join(base, "runc") });
}

async function wipeAbandoned(): Promise<void> {
  for (const e of await fs.readdir(os.tmpdir())) {
    const m = new RegExp(`^${PREFIX}.+-(\\d+)$`).exec(e);
    if (m && !isAlive(Number(m[1]))) await wipe(path.join(os.tmpdir(), e));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Deletes the root's containers (which ends their monitors), kills stray monitors, removes files. */
async function wipe(base: string): Promise<void> {
  const runtime = runtimeAt(base);
  if (existsSync(runtime.root)) {
    const list = await runtime.list().catch(() => []);
    for (const c of list) await runtime.delete(c.id, { force: true }).catch(() => {});
  }
  for (const pidFile of await findFiles(base, (n) => n === "conmon.pid")) await killIfConmon(pidFile);
  await fs.rm(base, { recursive: true, force: true });
}

async function killIfConmon(pidFile: string): Promise<void> {
  try {
    const pid = Number.parseInt(await fs.readFile(pidFile, "utf8"), 10);
    const comm = (await fs.readFile(`/proc/${pid}/comm`, "utf8")).trim();
    if (comm === "conmon") process.kill(pid, "SIGKILL");
  } catch {
    // gone already
  }
}

async function findFiles(dir: string, match: (name: string) => boolean): Promise<string[]> {
  const out: string[] = [];
  let entries: import("node:fs").Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== "rootfs") out.push(...(await findFiles(p, match)));
    else if (match(e.name)) out.push(p);
  }
  return out;
}

/** Collects an attach connection's output until `until` matches the text of one stream (or EOF). */
export async function collectOutput(
  output: AsyncIterable<{ stream: string; data: Buffer }>,
  until?: (stdout: string, stderr: string) => boolean,
): Promise<{ stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  for await (const o of output) {
    if (o.stream === "stdout") stdout += o.data.toString("utf8");
    else stderr += o.data.toString("utf8");
    if (until?.(stdout, stderr)) break;
  }
  return { stdout, stderr };
}
