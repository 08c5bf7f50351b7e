import { type ChildProcess, spawn } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { BerthError, internal } from "../lib/errors.js";
import type { OciRuntime } from "./oci-runtime.js";

/**
 * Private plumbing for conmon.ts: the argument list, the spawn with inherited pipes, and the reader
 * for the sync/attach pipes. See conmon.ts for the protocol these implement.
 */

export const DEFAULT_CONMON_PATH = "/usr/bin/conmon";

/** fd numbers in conmon: 0-2 are stdio, then the pipes in this order (stdio array positions). */
export const SYNC_FD = 3;
export const START_FD = 4;
export const ATTACH_FD = 5;

export interface ConmonArgsInput {
  /** `-c`: the runtime's container id (for exec: the container exec'd into). */
  id: string;
  /** `-u`: the session id; the container id for containers, the exec id for execs. */
  cuuid: string;
  name?: string;
  runtime: OciRuntime;
  /** `-b`: the bundle (container) or the exec session dir; attach socket and ctl fifo go here. */
  bundle: string;
  /** `-p`: where the runtime writes the init (or exec) pid. */
  pidFile: string;
  persistDir: string;
  exitDir?: string;
  /** k8s-file log path; undefined = no log ("none"). */
  logPath?: string;
  logMaxSize?: number;
  /** The runtime's own error log (`runc --log <file>` with `--log-format json`). */
  runtimeLogPath: string;
  conmonPidFile?: string;
  tty: boolean;
  stdin: boolean;
  leaveStdinOpen?: boolean;
  exitCommand?: readonly string[];
  syslog?: boolean;
  logLevel?: "error" | "warn" | "info" | "debug" | "trace";
  exec?: { processSpecPath: string; attach: boolean };
}

/** The conmon command line (without the binary), as podman's sharedConmonArgs builds it. */
export function buildConmonArgs(o: ConmonArgsInput): string[] {
  if (o.logPath?.includes(":"))
    throw new BerthError("invalid-argument", `conmon log path must not contain ':': ${o.logPath}`);
  const a = ["--api-version", "1", "-c", o.id, "-u", o.cuuid, "-r", o.runtime.path];
  a.push("-b", o.bundle, "-p", o.pidFile, "--persist-dir", o.persistDir, "--full-attach");
  if (o.name) a.push("-n", o.name);
  if (o.exitDir) a.push("--exit-dir", o.exitDir);
  a.push("-l", o.logPath ? `k8s-file:${o.logPath}` : "none");
  if (o.logMaxSize && o.logMaxSize > 0) a.push("--log-size-max", String(Math.floor(o.logMaxSize)));
  a.push("--log-level", o.logLevel ?? "warn");
  if (o.syslog) a.push("--syslog");
  for (const g of o.runtime.globalArgs) a.push("--runtime-arg", g);
  a.push("--runtime-arg", "--log", "--runtime-arg", o.runtimeLogPath);
  if (o.conmonPidFile) a.push("--conmon-pidfile", o.conmonPidFile);
  if (o.tty) a.push("-t");
  if (o.stdin) a.push("-i");
  if (o.stdin && o.leaveStdinOpen) a.push("--leave-stdin-open");
  if (o.exitCommand?.length) {
    a.push("--exit-command", o.exitCommand[0]!);
    for (const x of o.exitCommand.slice(1)) a.push("--exit-command-arg", x);
  }
  if (o.exec) {
    a.push("-e", "--exec-process-spec", o.exec.processSpecPath);
    if (o.exec.attach) a.push("--exec-attach");
  }
  return a;
}

export interface SyncMessage {
  /** pid (>0), exit code (>=0, exec only), 0 on the attach pipe, or <0 for a runtime failure. */
  data: number;
  message?: string;
}

/** Reads conmon's newline-delimited JSON messages from one of the inherited pipes. */
export class PipeReader {
  #buf = "";
  #queue: (SyncMessage | Error)[] = [];
  #ended = false;
  #waiters: (() => void)[] = [];

  constructor(readonly stream: Readable) {
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      this.#buf += chunk;
      for (let i = this.#buf.indexOf("\n"); i >= 0; i = this.#buf.indexOf("\n")) {
        const line = this.#buf.slice(0, i).trim();
        this.#buf = this.#buf.slice(i + 1);
        if (line) this.#queue.push(parseSyncMessage(line));
      }
      this.#notify();
    });
    const end = () => {
      this.#ended = true;
      this.#notify();
    };
    stream.on("end", end);
    stream.on("close", end);
    stream.on("error", end);
  }

  /** The next message; undefined at EOF (conmon exited or closed the pipe). */
  async next(timeoutMs: number, what: string): Promise<SyncMessage | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = this.#queue.shift();
      if (m instanceof Error) throw m;
      if (m) return m;
      if (this.#ended) return undefined;
      const left = deadline - Date.now();
      if (left <= 0) throw new BerthError("unavailable", `timed out waiting for conmon (${what})`);
      await new Promise<void>((resolve) => {
        // An infinite (or > 24.8 days) delay would overflow setTimeout and fire at once.
        const t = left < 2 ** 31 - 1 ? setTimeout(resolve, left) : undefined;
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  #notify(): void {
    for (const w of this.#waiters.splice(0)) w();
  }
}

function parseSyncMessage(line: string): SyncMessage | Error {
  let j: unknown;
  try {
    j = JSON.parse(line);
  } catch {
    return internal(`conmon sent an unparsable message: ${JSON.stringify(line)}`);
  }
  const o = j as { data?: unknown; message?: unknown };
  if (typeof o.data !== "number") return internal(`conmon sent an unexpected message: ${line}`);
  return typeof o.message === "string" ? { data: o.data, message: o.message } : { data: o.data };
}

export interface ConmonExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  error?: Error;
}

export interface ConmonProcess {
  child: ChildProcess;
  sync: PipeReader;
  start: Writable;
  attach?: PipeReader;
  /** The first conmon process exits once it has forked the monitor (and written --conmon-pidfile). */
  exited: Promise<ConmonExit>;
  /** Sends one start message (a single byte). Errors (conmon already gone) are ignored. */
  signalStart(): void;
  /**
   * Closes berth's ends of the pipes and lets the event loop forget the process. With keepSync the
   * sync pipe stays open (unreferenced) for an exec's exit-code message.
   */
  release(opts?: { keepSync?: boolean }): void;
}

/**
 * Spawns conmon with the sync and start pipes (and the attach pipe for `--exec-attach`) as fds 3-5.
 * Node's "pipe" stdio entries are socketpairs, which conmon reads and writes like pipes.
 */
export function spawnConmon(
  conmonPath: string,
  args: readonly string[],
  opts: { cwd: string; attachPipe: boolean },
): ConmonProcess {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k === "NOTIFY_SOCKET" || k.startsWith("_OCI_") || k === "LISTEN_PID" || k === "LISTEN_FDS") continue;
    env[k] = v;
  }
  env._OCI_SYNCPIPE = String(SYNC_FD);
  env._OCI_STARTPIPE = String(START_FD);
  if (opts.attachPipe) env._OCI_ATTACHPIPE = String(ATTACH_FD);
  const stdio: ("ignore" | "pipe")[] = ["ignore", "pipe", "pipe", "pipe", "pipe"];
  if (opts.attachPipe) stdio.push("pipe");
  const child = spawn(conmonPath, args, { cwd: opts.cwd, env, stdio });
  const stderr: string[] = [];
  child.stdout?.on("data", () => {});
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (s: string) => {
    if (stderr.join("").length < 64 * 1024) stderr.push(s);
  });
  const exited = new Promise<ConmonExit>((resolve) => {
    child.once("error", (error) => resolve({ code: null, signal: null, stderr: stderr.join(""), error }));
    child.once("exit", (code, signal) => resolve({ code, signal, stderr: stderr.join("") }));
  });
  const pipes = child.stdio as unknown as (Readable & Writable)[];
  for (const p of pipes.slice(SYNC_FD)) p?.on("error", () => {});
  const sync = new PipeReader(pipes[SYNC_FD]!);
  const start = pipes[START_FD]!;
  const attach = opts.attachPipe ? new PipeReader(pipes[ATTACH_FD]!) : undefined;
  return {
    child,
    sync,
    start,
    ...(attach ? { attach } : {}),
    exited,
    signalStart() {
      if (!start.destroyed) start.write(Buffer.from([0]));
    },
    release(ro = {}) {
      child.stdio.forEach((p, fd) => {
        const s = p as (Readable & { unref?: () => void }) | null;
        if (!s) return;
        if (fd === SYNC_FD && ro.keepSync) s.unref?.();
        else s.destroy();
      });
      child.unref();
    },
  };
}

/** Describes a conmon that exited without telling us anything useful. */
export function conmonFailure(what: string, exit: ConmonExit): BerthError {
  const detail = exit.error
    ? exit.error.message
    : `exit ${exit.code ?? exit.signal}${exit.stderr.trim() ? `: ${exit.stderr.trim()}` : ""}`;
  return internal(`conmon failed (${what}): ${detail}`);
}
