/**
 * The low-level OCI runtime (runc, crun): the CLI contract of the OCI runtime spec, per container id.
 *
 * Terms
 * - bundle: a directory with `config.json` (the OCI runtime spec) and the root filesystem it names.
 * - root: the runtime's state directory (`runc --root`). berth uses `<execRoot>/<runtime name>`, so
 *   its containers never mix with those of another engine on the same host.
 *
 * Lifecycle (the runtime spec's states)
 *
 *     create ──> created ──start──> running ──(process exits / kill)──> stopped ──delete──> (gone)
 *                                     │  ▲
 *                               pause │  │ resume
 *                                     ▼  │
 *                                    paused
 *
 * berth never calls `create` itself: conmon does (see conmon.ts), because conmon must be the parent of
 * the container's init process to hold its stdio and collect its exit status. The daemon then calls
 * `start`, and later `kill` and `delete` through this interface.
 *
 * Errors: `state`, `kill` and friends throw BerthError "not-found" when the runtime does not know the
 * id, "failed-precondition" when the container is in the wrong state (kill a stopped container,
 * delete a running one), and "internal" otherwise.
 */

export type RuntimeStatus = "creating" | "created" | "running" | "paused" | "stopped";

/** `runc state <id>` output (the OCI runtime spec's State, plus runc's extras). */
export interface RuntimeState {
  ociVersion: string;
  id: string;
  status: RuntimeStatus;
  /** The container's init pid on the host; 0 once stopped. */
  pid: number;
  bundle: string;
  /** RFC 3339 time, when the runtime reports it. */
  created?: string;
  annotations?: Record<string, string>;
}

export interface KillOptions {
  /** Signal every process in the container's cgroup, not only its init (`runc kill --all`). */
  all?: boolean;
}

export interface DeleteOptions {
  /** Kill the container first if it is still running (`runc delete --force`). */
  force?: boolean;
}

/** A signal as Docker passes it: "SIGTERM", "TERM", "15" or 15. */
export type Signal = string | number;

export interface OciRuntime {
  /** "runc" or "crun". */
  readonly name: string;
  /** Absolute path of the binary; conmon gets it as `--runtime`. */
  readonly path: string;
  /**
   * Global options that go before the runtime's command (`--root <dir> --log-format json`). conmon
   * passes them on as `--runtime-arg`, so `create` and `exec` see the same state directory.
   */
  readonly globalArgs: readonly string[];
  state(id: string): Promise<RuntimeState>;
  start(id: string): Promise<void>;
  kill(id: string, signal: Signal, opts?: KillOptions): Promise<void>;
  delete(id: string, opts?: DeleteOptions): Promise<void>;
  pause(id: string): Promise<void>;
  resume(id: string): Promise<void>;
  /** Every container this runtime root knows (used to re-adopt or clean up after a restart). */
  list?(): Promise<RuntimeState[]>;
}
