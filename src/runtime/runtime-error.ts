import { BerthError, type ErrorKind } from "../lib/errors.js";

/**
 * The runtime could not start the container's (or an exec's) process: `runc create` or `runc exec`
 * failed, and conmon reported the runtime's message on the sync pipe, e.g.
 *
 *     runc create failed: unable to start container process: exec: "nosuchcmd": executable file not found in $PATH
 *
 * `reason` and `exitCode` follow moby's translateContainerdStartErr: a missing command (or a missing
 * file, or a mount of a file onto a directory) is exit code 127, a command that cannot be invoked
 * (EACCES) is 126; both are the caller's fault (HTTP 400). Anything else is 128 and a server error.
 * Docker's message for the API is `${kind-specific prefix}${message}`; the daemon adds its prefix
 * ("failed to create task for container: ...", "OCI runtime exec failed: ...").
 */
export type StartFailureReason = "command-not-found" | "permission-denied" | "not-a-directory" | "other";

export class RuntimeStartError extends BerthError {
  readonly reason: StartFailureReason;
  /** The exit code Docker records for the container (or reports for the exec): 127, 126 or 128. */
  readonly exitCode: number;
  /** The runtime's message as conmon relayed it, trimmed. */
  readonly runtimeMessage: string;
  constructor(runtimeMessage: string, options?: { cause?: unknown }) {
    const msg = runtimeMessage.trim();
    const reason = classifyStartFailure(msg);
    const kind: ErrorKind = reason === "other" ? "internal" : "invalid-argument";
    super(kind, msg, options);
    this.name = "RuntimeStartError";
    this.reason = reason;
    this.runtimeMessage = msg;
    this.exitCode = reason === "permission-denied" ? 126 : reason === "other" ? 128 : 127;
  }
}

export function classifyStartFailure(msg: string): StartFailureReason {
  const m = msg.toLowerCase();
  if (m.includes("permission denied")) return "permission-denied";
  if (m.includes("not a directory")) return "not-a-directory";
  if (
    m.includes("executable file not found") ||
    m.includes("no such file or directory") ||
    m.includes("system cannot find the file specified")
  )
    return "command-not-found";
  return "other";
}
