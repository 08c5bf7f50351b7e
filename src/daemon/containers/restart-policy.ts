/**
 * Restart policies, as Docker decides them (moby restartmanager). Pure: the caller supplies the facts
 * of an exit and gets back whether to restart and after how long.
 *
 *   no              never
 *   on-failure[:N]  when the exit code is not 0, at most N times (0 = no maximum)
 *   always          every exit, except one the user asked for (stop, kill); after a daemon
 *                   restart, even those
 *   unless-stopped  as always, but a container the user stopped stays stopped across daemon restarts
 *
 * Back-off: 100 ms before the first restart, doubled before each next one up to one minute; a run
 * that lasted 10 s or more starts the sequence over. A user's start resets the count (RestartCount
 * goes back to 0), and with it the back-off.
 */
import type { ContainerState, RestartPolicy } from "../../api/types/containers.js";

export const RESTART_FIRST_DELAY_MS = 100;
export const RESTART_MAX_DELAY_MS = 60_000;
/** A run at least this long resets the back-off. */
export const RESTART_RESET_AFTER_MS = 10_000;

export interface ExitFacts {
  policy: RestartPolicy | undefined;
  exitCode: number;
  /** stop, kill (SIGKILL or the stop signal), or a cancelled restart. */
  stoppedByUser: boolean;
  /** Restarts done since the user last started it. */
  restartCount: number;
  /** How long the container ran before this exit. */
  ranForMs: number;
  /** The delay used before the previous restart (0 when none). */
  previousDelayMs: number;
}

export interface RestartDecision {
  restart: boolean;
  /** When restart: wait this long first. */
  delayMs: number;
}

/** The next back-off: 100 ms, then doubling to one minute; back to 100 ms after a run of ≥ 10 s. */
export function nextDelay(previousDelayMs: number, ranForMs: number): number {
  const prev = ranForMs >= RESTART_RESET_AFTER_MS ? 0 : previousDelayMs;
  if (prev <= 0) return RESTART_FIRST_DELAY_MS;
  return Math.min(prev * 2, RESTART_MAX_DELAY_MS);
}

/** Whether an exit restarts the container, and when. */
export function decideRestart(f: ExitFacts): RestartDecision {
  const delayMs = nextDelay(f.restartCount === 0 ? 0 : f.previousDelayMs, f.ranForMs);
  const name = f.policy?.Name || "no";
  let restart = false;
  switch (name) {
    case "always":
    case "unless-stopped":
      restart = !f.stoppedByUser;
      break;
    case "on-failure": {
      const max = f.policy?.MaximumRetryCount ?? 0;
      restart = !f.stoppedByUser && f.exitCode !== 0 && (max <= 0 || f.restartCount < max);
      break;
    }
  }
  return { restart, delayMs };
}

/**
 * Whether berthd starts a container when it starts: one whose restart was pending when the daemon
 * went down, an `always` one that is not running (stopped by the user or not), an
 * `unless-stopped` one the user did not stop. Never-started containers stay created.
 */
export function startsWithDaemon(c: {
  policy: RestartPolicy | undefined;
  status: ContainerState["Status"];
  stoppedByUser: boolean;
}): boolean {
  if (c.status === "restarting") return true;
  if (c.status !== "exited") return false;
  const name = c.policy?.Name || "no";
  return name === "always" || (name === "unless-stopped" && !c.stoppedByUser);
}

/** Docker's validation of a policy on create and update. Returns the error message, or undefined. */
export function invalidPolicy(p: RestartPolicy | undefined, autoRemove: boolean): string | undefined {
  const name = p?.Name ?? "";
  if (!["", "no", "always", "unless-stopped", "on-failure"].includes(name))
    return `invalid restart policy '${name}'`;
  const max = p?.MaximumRetryCount ?? 0;
  if (max < 0) return "invalid restart policy: maximum retry count cannot be negative";
  if (max > 0 && name !== "on-failure")
    return `invalid restart policy: maximum retry count can only be used with 'on-failure'`;
  if (autoRemove && name !== "" && name !== "no")
    return "Restart policy cannot be updated because AutoRemove is enabled for the container";
  return undefined;
}
