import { promises as fs } from "node:fs";
import path from "node:path";
import type { ExecConfig, ExecInspect } from "../../api/types/containers.js";
import { BerthError, conflict, invalidArgument, notFound } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import { log } from "../../lib/log.js";
import { execInContainer } from "../../runtime/conmon.js";
import { resizeTerminal } from "../../runtime/io/attach.js";
import { RuntimeStartError } from "../../runtime/runtime-error.js";
import { resolveCapabilities } from "../../runtime/spec/capabilities.js";
import { mergeEnv } from "../../runtime/spec/env.js";
import { resolveUser } from "../../runtime/spec/user.js";
import { eventAttributes, findContainer } from "./deps.js";
import type { OutputChunk, StdioSession } from "./io-types.js";
import { type RuntimeDeps, runPaths } from "./runtime-deps.js";

/** An exec instance: created, then started once; kept in memory until its container goes. */
interface ExecRecord {
  id: string;
  containerId: string;
  config: ExecConfig;
  running: boolean;
  exitCode: number | null;
  pid: number;
  started: boolean;
  sessionDir: string;
}

export class ExecStore {
  readonly #execs = new Map<string, ExecRecord>();
  get(id: string): ExecRecord {
    const e = this.#execs.get(id);
    if (!e) throw notFound(`No such exec instance: ${id}`);
    return e;
  }
  put(e: ExecRecord): void {
    this.#execs.set(e.id, e);
  }
  forContainer(containerId: string): ExecRecord[] {
    return [...this.#execs.values()].filter((e) => e.containerId === containerId);
  }
  dropContainer(containerId: string): void {
    for (const e of this.forContainer(containerId)) this.#execs.delete(e.id);
  }
  /** Forgets one exec (healthcheck probes, once read). */
  delete(id: string): void {
    this.#execs.delete(id);
  }
}

export type ExecDeps = RuntimeDeps & { execs: ExecStore };

/** POST /containers/{id}/exec. */
export function createExec(deps: ExecDeps, ref: string, config: ExecConfig): { Id: string } {
  const c = findContainer(deps, ref);
  if (c.state.status === "paused")
    throw conflict(`Container ${c.id} is paused, unpause the container before exec`);
  if (c.state.status !== "running") throw conflict(`Container ${c.id} is not running`);
  if (!Array.isArray(config.Cmd) || config.Cmd.length === 0)
    throw invalidArgument("No exec command specified");
  const id = newId();
  deps.execs.put({
    id,
    containerId: c.id,
    config,
    running: false,
    exitCode: null,
    pid: 0,
    started: false,
    sessionDir: path.join(runPaths(deps, c.id).dir, "exec", id.slice(0, 12)),
  });
  deps.publish({
    Type: "container",
    Action: `exec_create: ${config.Cmd.join(" ")}`,
    Actor: { ID: c.id, Attributes: { ...eventAttributes(c), execID: id } },
  });
  return { Id: id };
}

/**
 * POST /exec/{id}/start: runs the process through conmon. Detached, it returns at once; attached,
 * the session carries its output until it exits, and its exit code lands in exec inspect.
 */
export async function startExec(
  deps: ExecDeps,
  execId: string,
  opts: { detach: boolean; tty?: boolean; consoleSize?: [number, number] | null },
): Promise<StdioSession | undefined> {
  const e = deps.execs.get(execId);
  if (e.started) throw conflict(`Error: Exec command ${execId} has already run`);
  const c = findContainer(deps, e.containerId);
  if (c.state.status !== "running") throw conflict(`Container ${c.id} is not running`);
  e.started = true;
  const tty = opts.tty ?? e.config.Tty ?? false;
  const spec = JSON.parse(await fs.readFile(path.join(runPaths(deps, c.id).bundle, "config.json"), "utf8"));
  const rootfs = runPaths(deps, c.id).rootfs;
  const readEtc = (f: string) => fs.readFile(path.join(rootfs, "etc", f), "utf8").catch(() => undefined);
  const user = e.config.User
    ? resolveUser(e.config.User, await readEtc("passwd"), await readEtc("group"))
    : {
        uid: spec.process.user.uid,
        gid: spec.process.user.gid,
        additionalGids: spec.process.user.additionalGids ?? [],
      };
  const caps = e.config.Privileged
    ? resolveCapabilities({
        capAdd: ["ALL"],
        capDrop: [],
        privileged: true,
        available: deps.host.capabilities,
      })
    : undefined;
  const processSpec = {
    ...spec.process,
    terminal: tty,
    args: e.config.Cmd,
    env: mergeEnv([], [...(c.config.Env ?? []), ...(e.config.Env ?? [])], {
      hostname: c.config.Hostname ?? "",
      tty,
    }),
    cwd: e.config.WorkingDir || spec.process.cwd || "/",
    user: { uid: user.uid, gid: user.gid, additionalGids: user.additionalGids },
    ...(caps ? { capabilities: { bounding: caps, effective: caps, permitted: caps } } : {}),
    ...(opts.consoleSize ? { consoleSize: { height: opts.consoleSize[0], width: opts.consoleSize[1] } } : {}),
  };
  let session: Awaited<ReturnType<typeof execInContainer>>;
  try {
    session = await execInContainer({
      id: c.id,
      execId: e.id,
      sessionDir: e.sessionDir,
      runtime: deps.runtime,
      processSpec,
      tty,
      stdin: e.config.AttachStdin ?? false,
      attach: !opts.detach,
    });
  } catch (err) {
    e.exitCode = err instanceof RuntimeStartError ? err.exitCode : 126;
    if (err instanceof RuntimeStartError) {
      throw new BerthError(err.kind, `OCI runtime exec failed: ${err.runtimeMessage}: unknown`, {
        cause: err,
      });
    }
    throw err;
  }
  e.running = true;
  e.pid = session.pid;
  deps.publish({
    Type: "container",
    Action: `exec_start: ${e.config.Cmd.join(" ")}`,
    Actor: { ID: c.id, Attributes: { ...eventAttributes(c), execID: e.id } },
  });
  const finished = session.wait().then(
    (code) => {
      e.running = false;
      e.exitCode = code;
      deps.publish({
        Type: "container",
        Action: "exec_die",
        Actor: { ID: c.id, Attributes: { ...eventAttributes(c), execID: e.id, exitCode: String(code) } },
      });
    },
    (err) => log.warn("exec wait", { exec: e.id, err: String(err) }),
  );
  const conn = session.attach;
  if (!conn) return undefined;
  async function* output(): AsyncGenerator<OutputChunk> {
    for await (const o of conn!.output) {
      if (o.stream === "stdout" ? e.config.AttachStdout !== false : e.config.AttachStderr !== false) yield o;
    }
    await finished; // the exit code is known before the client reads exec inspect
  }
  return {
    tty,
    output: output(),
    ...(e.config.AttachStdin ? { stdin: conn.stdin } : {}),
    resize: (h, w) => conn.resize(h, w),
    close: () => conn.close(),
  };
}

export function inspectExec(deps: ExecDeps, execId: string): ExecInspect {
  const e = deps.execs.get(execId);
  return {
    ID: e.id,
    Running: e.running,
    ExitCode: e.exitCode,
    ProcessConfig: {
      tty: e.config.Tty ?? false,
      entrypoint: e.config.Cmd[0] ?? "",
      arguments: e.config.Cmd.slice(1),
      privileged: e.config.Privileged ?? false,
      user: e.config.User ?? "",
    },
    OpenStdin: e.config.AttachStdin ?? false,
    OpenStderr: e.config.AttachStderr ?? false,
    OpenStdout: e.config.AttachStdout ?? false,
    CanRemove: !e.running,
    ContainerID: e.containerId,
    DetachKeys: e.config.DetachKeys ?? "",
    Pid: e.pid,
  };
}

export async function resizeExec(
  deps: ExecDeps,
  execId: string,
  height: number,
  width: number,
): Promise<void> {
  const e = deps.execs.get(execId);
  if (!e.running) throw conflict(`Exec ${execId} is not running`);
  await resizeTerminal(path.join(e.sessionDir, "ctl"), height, width);
}
