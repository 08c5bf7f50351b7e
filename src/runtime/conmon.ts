/**
 * conmon: the per-container (and per-exec) monitor between berthd and the OCI runtime.
 *
 * # Why
 * The container's init process must outlive berthd, and something must hold its stdio, write its log
 * and record its exit status. conmon (the monitor Podman and CRI-O use) is that process: berthd starts
 * one per container and one per exec, talks to it through the files and pipes below, and can forget
 * it; a restarted berthd finds everything again from the paths.
 *
 * # Starting a container (conmon 2.1, `--api-version 1`)
 * 1. berthd spawns `conmon -c <id> -u <id> -r <runtime> -b <bundle> -p <persist>/pidfile
 *    --persist-dir <persist> --exit-dir <exits> --full-attach -l k8s-file:<log> [-t | -i]
 *    --runtime-arg --root --runtime-arg <root> ... --conmon-pidfile <file>` with two extra fds and
 *    their numbers in the environment: `_OCI_SYNCPIPE=3` (conmon writes) and `_OCI_STARTPIPE=4`
 *    (berthd writes). Podman uses SOCK_SEQPACKET socketpairs; Node's "pipe" stdio entries are
 *    SOCK_STREAM socketpairs, which conmon reads and writes the same way.
 * 2. conmon blocks reading the start pipe (so a parent can first move it into a cgroup; berth does
 *    not). berthd writes one byte.
 * 3. conmon forks: the first process writes the monitor's pid to `--conmon-pidfile` and exits 0; the
 *    monitor calls setsid(), becomes a child subreaper, points its stdio at /dev/null, creates
 *    `<bundle>/attach` (SOCK_SEQPACKET), `<bundle>/ctl` and `<bundle>/winsz` (fifos), and runs
 *    `<runtime> <global args> create --bundle <bundle> --pid-file <pidfile> [--console-socket <s>] <id>`
 *    with the container's stdio on pipes it holds (with `-t`: a pty whose master the runtime sends
 *    back over the console socket by SCM_RIGHTS).
 * 4. On the sync pipe conmon writes one JSON line: `{"data": <init pid>}` on success, or
 *    `{"data": -1, "message": "<the runtime's stderr>"}` when create failed (then it exits). With
 *    `--runtime-arg --log-format=json --runtime-arg --log <file>` the runtime's stderr is only the
 *    message, e.g. `runc create failed: unable to start container process: exec: "x": executable
 *    file not found in $PATH`. berthd maps it to RuntimeStartError (127 / 126 / 128).
 * 5. The container is now "created". Clients may connect to the attach socket; then berthd runs
 *    `runtime start <id>`. conmon keeps no output backlog: connect before start to see everything.
 * 6. conmon copies output to the log file (k8s-file: `<RFC3339Nano> stdout|stderr F|P <text>`, see
 *    io/k8s-log.ts) and to every connected attach client (packets `<2|3><bytes>`), and attach packets
 *    to the container's stdin. When a client half-closes or disconnects, conmon closes the stdin pipe
 *    unless `--leave-stdin-open` (Docker's StdinOnce=false). With `-t` stdin is the pty, so berth
 *    passes `-i` only without `-t`, as Podman does.
 * 7. When the init process exits, conmon drains the output, writes the status (exit code, or
 *    128+signal) to `<persist>/exit` and `<exits>/<id>` (see exit-file.ts), removes the attach socket
 *    and exits. `<persist>/oom` appears if the cgroup saw an OOM kill. berthd then calls
 *    `runtime delete <id>`.
 *
 * # Exec (`-e --exec-process-spec <file> --exec-attach`)
 * Same as above with the exec session dir as `-b`, `-u <exec id>`, `-c <container id>` (so the exit
 * file in `--exit-dir` is named after the container: give each exec its own exit dir, or use
 * `<session>/exit`), `-l none` (Docker does not log exec output) and a third pipe,
 * `_OCI_ATTACHPIPE=5`. The start pipe is read twice:
 *   start byte 1 → conmon forks, creates `<session>/attach` and `<session>/ctl`, writes `{"data": 0}`
 *   to the attach pipe → berthd connects to the attach socket → start byte 2 → conmon runs
 *   `runtime exec --pid-file <f> --process <file> --detach [--tty] <id>` → sync pipe: `{"data": pid}`
 *   (or `{"data": <0, "message": ...}`), later `{"data": <exit code>}` when the process exits.
 *
 * # Terminal resize
 * Write `1 <height> <width>\n` to `<bundle>/ctl` (`2 0 0\n` reopens the log file).
 *
 * # Pitfalls
 * - sun_path is 108 bytes. conmon binds through `/proc/self/fd/<dir fd>/attach`, so any bundle path
 *   works with `--full-attach`; clients connect the same way (io/attach.ts).
 * - `-l` values are split at ':'; a log path must not contain one.
 * - A closed start pipe reads as "go": to abort after spawning, kill the monitor (its runtime child
 *   has PDEATHSIG=SIGKILL).
 * - Without CAP_SYS_RESOURCE conmon cannot lower its oom_score_adj; it logs that at debug level only.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { errnoCode, notFound } from "../lib/errors.js";
import {
  buildConmonArgs,
  type ConmonProcess,
  conmonFailure,
  DEFAULT_CONMON_PATH,
  spawnConmon,
} from "./_conmon-process.js";
import { exitFilePath, persistExitFilePath, waitExitFile } from "./exit-file.js";
import { type AttachConnection, openAttach } from "./io/attach.js";
import type { OciRuntime } from "./oci-runtime.js";
import { runtimeMessages } from "./runc.js";
import { RuntimeStartError } from "./runtime-error.js";

export interface StartContainerOptions {
  id: string;
  /** Directory with config.json; conmon also puts `attach`, `ctl` and `winsz` here. */
  bundle: string;
  runtime: OciRuntime;
  tty: boolean;
  /** Keep a stdin pipe open for attach clients (Docker's OpenStdin). */
  stdin: boolean;
  /** Do not close stdin when an attach client leaves (Docker's StdinOnce=false). */
  leaveStdinOpen?: boolean;
  /** k8s-file log; must not contain ':'. */
  logPath: string;
  /** conmon starts a fresh file (rename over) when the log would grow past this many bytes. */
  logMaxSize?: number;
  /** Shared directory: conmon writes `<exitDir>/<id>` on exit. */
  exitDir: string;
  /** Per-container directory: `exit`, `oom`, `pidfile`, `oci-log`. */
  persistDir: string;
  conmonPidFile: string;
  name?: string;
  /** Run on exit by conmon (e.g. a berthd hook); the first element is the program. */
  exitCommand?: readonly string[];
  conmonPath?: string;
  /** How long to wait for conmon's answer. Default 60 s. */
  timeoutMs?: number;
}

export interface StartContainerResult {
  /** The container's init pid (host pid namespace). */
  pid: number;
  /** The monitor's pid. */
  conmonPid: number;
}

/** Where a container's conmon endpoints live, from the paths given to startContainer. */
export function containerIoPaths(o: Pick<StartContainerOptions, "id" | "bundle" | "exitDir" | "persistDir">) {
  return {
    attachSocket: path.join(o.bundle, "attach"),
    ctl: path.join(o.bundle, "ctl"),
    exitFile: exitFilePath(o.exitDir, o.id),
    persistExitFile: persistExitFilePath(o.persistDir),
    pidFile: path.join(o.persistDir, "pidfile"),
    runtimeLog: path.join(o.persistDir, "oci-log"),
  };
}

/**
 * Runs conmon, which runs `runtime create`. Resolves once the container is "created" (its init pid
 * known); the caller then attaches if it wants to, and calls `runtime.start(id)`. Throws
 * RuntimeStartError when the runtime refused (missing command, permission denied, ...).
 */
export async function startContainer(opts: StartContainerOptions): Promise<StartContainerResult> {
  const p = containerIoPaths(opts);
  const timeoutMs = opts.timeoutMs ?? 60_000;
  try {
    await fs.access(path.join(opts.bundle, "config.json"));
  } catch (err) {
    throw notFound(`bundle ${opts.bundle} has no config.json`, err);
  }
  await Promise.all(
    [opts.persistDir, opts.exitDir, path.dirname(opts.logPath), path.dirname(opts.conmonPidFile)].map((d) =>
      fs.mkdir(d, { recursive: true }),
    ),
  );
  await removeAll([
    p.exitFile,
    p.persistExitFile,
    path.join(opts.persistDir, "oom"),
    p.pidFile,
    p.runtimeLog,
  ]);
  await removeAll([opts.conmonPidFile]);
  const args = buildConmonArgs({
    id: opts.id,
    cuuid: opts.id,
    runtime: opts.runtime,
    bundle: opts.bundle,
    pidFile: p.pidFile,
    persistDir: opts.persistDir,
    exitDir: opts.exitDir,
    logPath: opts.logPath,
    runtimeLogPath: p.runtimeLog,
    conmonPidFile: opts.conmonPidFile,
    tty: opts.tty,
    stdin: opts.stdin && !opts.tty,
    name: opts.name,
    logMaxSize: opts.logMaxSize,
    leaveStdinOpen: opts.leaveStdinOpen,
    exitCommand: opts.exitCommand,
  });
  const proc = spawnConmon(opts.conmonPath ?? DEFAULT_CONMON_PATH, args, {
    cwd: opts.bundle,
    attachPipe: false,
  });
  try {
    proc.signalStart();
    const msg = await nextOrAbort(
      proc,
      () => proc.sync.next(timeoutMs, "container create"),
      opts.conmonPidFile,
    );
    if (!msg) throw conmonFailure("container create", await proc.exited);
    if (msg.data <= 0) throw new RuntimeStartError(await runtimeFailureMessage(p.runtimeLog, msg.message));
    const exit = await proc.exited;
    const conmonPid = await readPidFile(opts.conmonPidFile);
    if (conmonPid === undefined) throw conmonFailure("no conmon pid file", exit);
    return { pid: msg.data, conmonPid };
  } catch (err) {
    // Leave nothing half-created behind: the runtime may know the id even though conmon failed.
    // Not when the id was taken: that container is someone else's.
    if (!/already exists/i.test(String((err as Error).message)))
      await opts.runtime.delete(opts.id, { force: true }).catch(() => {});
    throw err;
  } finally {
    proc.release();
  }
}

export interface ExecOptions {
  /** The (running) container to exec into. */
  id: string;
  /** The exec session id (conmon's `-u`). */
  execId: string;
  /** Per-exec directory: `attach`, `ctl`, `process.json`, `pidfile`, `exit`, `conmon.pid`, `oci-log`. */
  sessionDir: string;
  runtime: OciRuntime;
  /** The OCI process object (args, env, cwd, user, capabilities, ...); `terminal` is set from tty. */
  processSpec: Readonly<Record<string, unknown>>;
  tty: boolean;
  stdin: boolean;
  /** Connect to the exec's attach socket before the process starts and return the connection. */
  attach: boolean;
  /** Also write `<exitDir>/<container id>`; the directory must be this exec's own. */
  exitDir?: string;
  /** k8s-file log of the exec's output; none by default (Docker does not log exec output). */
  logPath?: string;
  conmonPath?: string;
  timeoutMs?: number;
}

export interface ExecSession {
  /** The exec'd process's pid (host pid namespace). */
  pid: number;
  conmonPid: number;
  /** Present when opts.attach: connected before the process started, so no output is missed. */
  attach?: AttachConnection;
  /** `<sessionDir>/exit`: the exit status once the process has exited. */
  exitFile: string;
  /** The exit code: from conmon's sync pipe, or from the exit file (e.g. after a daemon restart). */
  wait(opts?: { signal?: AbortSignal }): Promise<number>;
}

/** Runs a process in a running container through `conmon --exec` and `runtime exec`. */
export async function execInContainer(opts: ExecOptions): Promise<ExecSession> {
  const dir = opts.sessionDir;
  const f = (name: string) => path.join(dir, name);
  const timeoutMs = opts.timeoutMs ?? 60_000;
  await fs.mkdir(dir, { recursive: true });
  if (opts.exitDir) await fs.mkdir(opts.exitDir, { recursive: true });
  if (opts.logPath) await fs.mkdir(path.dirname(opts.logPath), { recursive: true });
  await removeAll(["exit", "oom", "pidfile", "conmon.pid", "oci-log", "attach"].map(f));
  if (opts.exitDir) await removeAll([exitFilePath(opts.exitDir, opts.id)]);
  await fs.writeFile(f("process.json"), JSON.stringify({ ...opts.processSpec, terminal: opts.tty }));
  const args = buildConmonArgs({
    id: opts.id,
    cuuid: opts.execId,
    runtime: opts.runtime,
    bundle: dir,
    pidFile: f("pidfile"),
    persistDir: dir,
    runtimeLogPath: f("oci-log"),
    conmonPidFile: f("conmon.pid"),
    tty: opts.tty,
    stdin: opts.stdin,
    exec: { processSpecPath: f("process.json"), attach: true },
    exitDir: opts.exitDir,
    logPath: opts.logPath,
  });
  const proc = spawnConmon(opts.conmonPath ?? DEFAULT_CONMON_PATH, args, { cwd: dir, attachPipe: true });
  let attach: AttachConnection | undefined;
  try {
    proc.signalStart();
    const ready = await nextOrAbort(proc, () => proc.attach!.next(timeoutMs, "exec attach"), f("conmon.pid"));
    if (!ready || ready.data < 0) {
      const failed = await proc.sync.next(1000, "exec failure").catch(() => undefined);
      if (failed && failed.data < 0)
        throw new RuntimeStartError(await runtimeFailureMessage(f("oci-log"), failed.message));
      throw conmonFailure("exec attach", await proc.exited);
    }
    if (opts.attach) {
      try {
        attach = await openAttach({ socketPath: f("attach"), ctlPath: f("ctl") });
      } catch (err) {
        await killMonitor(f("conmon.pid"));
        throw err;
      }
    }
    proc.signalStart();
    const msg = await nextOrAbort(proc, () => proc.sync.next(timeoutMs, "exec start"), f("conmon.pid"));
    if (!msg) throw conmonFailure("exec start", await proc.exited);
    if (msg.data <= 0) throw new RuntimeStartError(await runtimeFailureMessage(f("oci-log"), msg.message));
    await proc.exited;
    const conmonPid = (await readPidFile(f("conmon.pid"))) ?? 0;
    const exitFile = f("exit");
    const fromPipe = proc.sync.next(Number.POSITIVE_INFINITY, "exec exit").then(
      (m) => m?.data,
      () => undefined,
    );
    proc.release({ keepSync: true });
    const session: ExecSession = {
      pid: msg.data,
      conmonPid,
      exitFile,
      wait: (w = {}) => waitExec(fromPipe, exitFile, w.signal),
    };
    if (attach) session.attach = attach;
    return session;
  } catch (err) {
    attach?.close();
    proc.release();
    throw err;
  }
}

async function waitExec(
  fromPipe: Promise<number | undefined>,
  exitFile: string,
  signal: AbortSignal | undefined,
): Promise<number> {
  const stop = new AbortController();
  const onAbort = () => stop.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const viaPipe = fromPipe.then((code) => (code === undefined ? new Promise<number>(() => {}) : code));
    return await Promise.race([viaPipe, waitExitFile(exitFile, { signal: stop.signal })]);
  } finally {
    signal?.removeEventListener("abort", onAbort);
    stop.abort();
  }
}

/** Awaits a pipe read; on timeout or error, kills the monitor so nothing is left half-started. */
async function nextOrAbort<T>(
  proc: ConmonProcess,
  read: () => Promise<T>,
  conmonPidFile: string,
): Promise<T> {
  try {
    return await read();
  } catch (err) {
    await killMonitor(conmonPidFile);
    proc.child.kill("SIGKILL");
    throw err;
  }
}

async function killMonitor(conmonPidFile: string): Promise<void> {
  const pid = await readPidFile(conmonPidFile).catch(() => undefined);
  if (pid === undefined) return;
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

async function runtimeFailureMessage(runtimeLog: string, conmonMessage: string | undefined): Promise<string> {
  const fromConmon = conmonMessage?.trim();
  if (fromConmon) return fromConmon;
  try {
    const msgs = runtimeMessages(await fs.readFile(runtimeLog, "utf8"));
    if (msgs.length) return msgs[msgs.length - 1]!;
  } catch {
    // no runtime log
  }
  return "the OCI runtime failed without a message";
}

export async function readPidFile(file: string): Promise<number | undefined> {
  try {
    const n = Number.parseInt((await fs.readFile(file, "utf8")).trim(), 10);
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch (err) {
    if (errnoCode(err) === "ENOENT") return undefined;
    throw err;
  }
}

async function removeAll(files: readonly string[]): Promise<void> {
  await Promise.all(files.map((file) => fs.rm(file, { force: true })));
}
