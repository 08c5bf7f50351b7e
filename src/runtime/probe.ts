import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { errorMessage, unavailable } from "../lib/errors.js";
import { type CommandRunner, spawnRunner } from "../lib/exec.js";
import { DEFAULT_RUNTIME_PATHS, RuncRuntime, runtimeMessages, runtimeRoot } from "./runc.js";

/**
 * Which OCI runtime can run containers on this host? Detect, don't assume: crun 1.8 refuses hybrid
 * cgroups ("cgroups in hybrid mode not supported"), runc works there.
 *
 * The probe runs a throwaway container whose rootfs is an empty directory and whose command does not
 * exist. A runtime that can run containers here gets all the way to exec and fails with "no such
 * file"; one that cannot fails earlier (cgroups, namespaces, seccomp) with some other message.
 */

export interface ProbeResult {
  name: string;
  path: string;
  ok: boolean;
  /** Why the runtime cannot be used (missing binary, the runtime's own error). */
  reason?: string;
  version?: string;
}

export interface ProbeOptions {
  runner?: CommandRunner;
  /** Scratch directory for the probe bundle and state; a fresh temp dir by default. */
  workDir?: string;
}

const PROBE_CMD = "/berth-runtime-probe";

export async function probeRuntime(
  name: string,
  binPath: string,
  opts: ProbeOptions = {},
): Promise<ProbeResult> {
  const runner = opts.runner ?? spawnRunner;
  const base: ProbeResult = { name, path: binPath, ok: false };
  let version: string;
  try {
    const v = await runner.run(binPath, ["--version"], { allowFailure: true });
    if (v.code !== 0) return { ...base, reason: `${binPath} --version exited with ${v.code}` };
    version = v.stdout.split("\n")[0]?.trim() ?? "";
  } catch (err) {
    return { ...base, reason: errorMessage(err) };
  }
  const work = opts.workDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), `berth-probe-${name}-`)));
  const id = `berth-probe-${process.pid}-${Date.now().toString(36)}`;
  const root = path.join(work, "state");
  const bundle = path.join(work, "bundle");
  try {
    await fs.mkdir(path.join(bundle, "rootfs"), { recursive: true });
    await fs.writeFile(path.join(bundle, "config.json"), JSON.stringify(probeSpec()));
    const r = await runner.run(
      binPath,
      ["--root", root, "--log-format", "json", "run", "--bundle", bundle, id],
      {
        allowFailure: true,
      },
    );
    const msg = runtimeMessages(r.stderr).join("; ") || r.stdout.trim();
    const reachedExec = msg.includes(PROBE_CMD) && /no such file|not found/i.test(msg);
    return reachedExec
      ? { ...base, ok: true, version }
      : { ...base, version, reason: msg || `exit ${r.code}` };
  } catch (err) {
    return { ...base, version, reason: errorMessage(err) };
  } finally {
    await runner
      .run(binPath, ["--root", root, "delete", "--force", id], { allowFailure: true })
      .catch(() => {});
    if (!opts.workDir) await fs.rm(work, { recursive: true, force: true }).catch(() => {});
  }
}

export interface SelectRuntimeOptions extends ProbeOptions {
  /** berth's exec root; the runtime's state goes to `<execRoot>/<name>`. */
  execRoot: string;
  /** Ask for crun; it is used only when its probe passes. runc is the default. */
  prefer?: "runc" | "crun";
  paths?: Partial<Record<"runc" | "crun", string>>;
}

export interface SelectedRuntime {
  runtime: RuncRuntime;
  probes: ProbeResult[];
}

/** runc by default; crun only when asked for and its probe shows it can run here. */
export async function selectRuntime(opts: SelectRuntimeOptions): Promise<SelectedRuntime> {
  const order: ("runc" | "crun")[] = opts.prefer === "crun" ? ["crun", "runc"] : ["runc", "crun"];
  const probes: ProbeResult[] = [];
  for (const name of order) {
    const bin = opts.paths?.[name] ?? DEFAULT_RUNTIME_PATHS[name]!;
    const p = await probeRuntime(name, bin, opts);
    probes.push(p);
    if (p.ok) {
      const runtime = new RuncRuntime({
        name,
        path: bin,
        root: runtimeRoot(opts.execRoot, name),
        ...(opts.runner ? { runner: opts.runner } : {}),
      });
      return { runtime, probes };
    }
  }
  throw unavailable(
    `no usable OCI runtime: ${probes.map((p) => `${p.name} (${p.path}): ${p.reason ?? "failed"}`).join("; ")}`,
  );
}

function probeSpec(): unknown {
  return {
    ociVersion: "1.0.2",
    process: {
      terminal: false,
      user: { uid: 0, gid: 0 },
      args: [PROBE_CMD],
      env: ["PATH=/"],
      cwd: "/",
      noNewPrivileges: true,
    },
    root: { path: "rootfs", readonly: true },
    hostname: "berth-probe",
    mounts: [{ destination: "/proc", type: "proc", source: "proc" }],
    linux: {
      namespaces: [{ type: "pid" }, { type: "network" }, { type: "ipc" }, { type: "uts" }, { type: "mount" }],
    },
  };
}
