import path from "node:path";
import { BerthError, failedPrecondition, internal, notFound } from "../lib/errors.js";
import { type CommandRunner, spawnRunner } from "../lib/exec.js";
import { startThroughExecFifo } from "./exec-fifo.js";
import type {
  DeleteOptions,
  KillOptions,
  OciRuntime,
  RuntimeState,
  RuntimeStatus,
  Signal,
} from "./oci-runtime.js";

export interface RuncRuntimeOptions {
  /** "runc" (default) or "crun": both speak the same CLI for the verbs berth uses. */
  name?: string;
  /** Binary path; defaults to /usr/sbin/runc or /usr/bin/crun. */
  path?: string;
  /** State directory (`--root`); see runtimeRoot(). */
  root: string;
  runner?: CommandRunner;
}

export const DEFAULT_RUNTIME_PATHS: Readonly<Record<string, string>> = {
  runc: "/usr/sbin/runc",
  crun: "/usr/bin/crun",
};

/** berth's state directory for a runtime: `<execRoot>/<name>`, apart from any other engine's. */
export function runtimeRoot(execRoot: string, name: string): string {
  return path.join(execRoot, name);
}

/**
 * Drives runc (or crun) through its CLI. Every call runs with `--root <root> --log-format json`, so
 * errors come back as JSON lines on stderr ({"level":"error","msg":...}) that map to error kinds.
 */
export class RuncRuntime implements OciRuntime {
  readonly name: string;
  readonly path: string;
  readonly root: string;
  readonly globalArgs: readonly string[];
  readonly #runner: CommandRunner;

  constructor(opts: RuncRuntimeOptions) {
    this.name = opts.name ?? "runc";
    this.path = opts.path ?? DEFAULT_RUNTIME_PATHS[this.name] ?? this.name;
    this.root = opts.root;
    this.globalArgs = ["--root", opts.root, "--log-format", "json"];
    this.#runner = opts.runner ?? spawnRunner;
  }

  async state(id: string): Promise<RuntimeState> {
    const out = await this.#run(id, ["state", id]);
    return parseState(out);
  }

  async start(id: string): Promise<void> {
    if (this.name === "runc" && (await startThroughExecFifo(path.join(this.root, id)))) return;
    await this.#run(id, ["start", id]);
  }

  async kill(id: string, signal: Signal, opts: KillOptions = {}): Promise<void> {
    await this.#run(id, ["kill", ...(opts.all ? ["--all"] : []), id, runtimeSignal(signal)]);
  }

  async delete(id: string, opts: DeleteOptions = {}): Promise<void> {
    await this.#run(id, ["delete", ...(opts.force ? ["--force"] : []), id]);
  }

  async pause(id: string): Promise<void> {
    await this.#run(id, ["pause", id]);
  }

  async resume(id: string): Promise<void> {
    await this.#run(id, ["resume", id]);
  }

  async list(): Promise<RuntimeState[]> {
    const out = await this.#run("", ["list", "--format", "json"]);
    const parsed = JSON.parse(out.trim() || "null") as unknown;
    if (parsed === null) return [];
    if (!Array.isArray(parsed)) throw internal(`${this.name} list: unexpected output`);
    return parsed.map((s) => parseState(JSON.stringify(s)));
  }

  async #run(id: string, args: readonly string[]): Promise<string> {
    const r = await this.#runner.run(this.path, [...this.globalArgs, ...args], { allowFailure: true });
    if (r.code === 0) return r.stdout;
    throw runtimeError(this.name, args[0] ?? "", id, r.stderr || r.stdout);
  }
}

/** runc and crun accept "TERM", "SIGTERM" and "15"; berth sends the bare name or the number. */
export function runtimeSignal(signal: Signal): string {
  if (typeof signal === "number") {
    if (!Number.isInteger(signal) || signal <= 0 || signal > 64)
      throw new BerthError("invalid-argument", `invalid signal: ${signal}`);
    return String(signal);
  }
  const s = signal.trim().toUpperCase();
  if (/^\d+$/.test(s)) return runtimeSignal(Number(s));
  const name = s.startsWith("SIG") ? s.slice(3) : s;
  if (!/^[A-Z][A-Z0-9]*([+-]\d+)?$/.test(name))
    throw new BerthError("invalid-argument", `invalid signal: ${signal}`);
  return name;
}

/** The error messages of a `--log-format json` run: one JSON object per stderr line. */
export function runtimeMessages(stderr: string): string[] {
  const msgs: string[] = [];
  for (const line of stderr.split("\n")) {
    const t = line.trim();
    if (!t) continue;
    try {
      const j = JSON.parse(t) as { msg?: unknown; level?: unknown };
      if (typeof j.msg === "string" && (j.level === undefined || j.level === "error" || j.level === "fatal"))
        msgs.push(j.msg);
    } catch {
      msgs.push(t);
    }
  }
  return msgs;
}

function runtimeError(name: string, verb: string, id: string, stderr: string): BerthError {
  const msg = runtimeMessages(stderr).join("; ") || `${name} ${verb} failed`;
  const text = `${name} ${verb}${id ? ` ${id}` : ""}: ${msg}`;
  if (/does not exist|error opening file `[^`]*\/status`/i.test(msg)) return notFound(text);
  if (/not running|not paused|is paused|not stopped|is running|already|container is not/i.test(msg))
    return failedPrecondition(text);
  return internal(text);
}

const STATUSES: readonly RuntimeStatus[] = ["creating", "created", "running", "paused", "stopped"];

function parseState(json: string): RuntimeState {
  const j = JSON.parse(json) as Record<string, unknown>;
  const status = String(j.status) as RuntimeStatus;
  if (!STATUSES.includes(status)) throw internal(`runtime reported unknown status ${String(j.status)}`);
  const st: RuntimeState = {
    ociVersion: String(j.ociVersion ?? ""),
    id: String(j.id ?? ""),
    status,
    pid: typeof j.pid === "number" ? j.pid : 0,
    bundle: String(j.bundle ?? ""),
  };
  if (typeof j.created === "string") st.created = j.created;
  if (j.annotations && typeof j.annotations === "object")
    st.annotations = j.annotations as Record<string, string>;
  return st;
}
