/**
 * Command plans: what the network layer would run, as data. Pure planners (bridge/, nat/,
 * reconcile) return plans; `applyPlan` is the thin shell that runs them through the injected
 * CommandRunner, so golden tests read the exact `ip`/`nft` command lines with a RecordingRunner.
 */
import { errorMessage, wrap } from "../lib/errors.js";
import type { CommandRunner } from "../lib/exec.js";

export interface Command {
  argv: readonly string[];
  /** Standard input (the ruleset text for `nft -f -`). */
  input?: string;
  /** A failure is expected and harmless (deleting what may already be gone). */
  ignoreFailure?: boolean;
}

export type CommandPlan = readonly Command[];

export const cmd = (...argv: string[]): Command => ({ argv });
export const tolerant = (...argv: string[]): Command => ({ argv, ignoreFailure: true });

/** One line per command, for golden tests and logs. */
export function formatPlan(plan: CommandPlan): string {
  return plan
    .map((c) => `${c.ignoreFailure ? "-" : ""}${c.argv.join(" ")}${c.input !== undefined ? " <<input" : ""}`)
    .join("\n");
}

/** Runs the commands in order; the first failure that is not ignored throws (with its command line). */
export async function applyPlan(runner: CommandRunner, plan: CommandPlan): Promise<void> {
  for (const c of plan) {
    const [file, ...args] = c.argv;
    const opts = { allowFailure: c.ignoreFailure === true, ...(c.input !== undefined && { input: c.input }) };
    try {
      await runner.run(file!, args, opts);
    } catch (err) {
      throw wrap(err, "network setup failed");
    }
  }
}

/**
 * Runs `plan`; when it fails, runs `undo` (every step tolerated) and rethrows the first error, so
 * a half-made endpoint or network does not linger.
 */
export async function applyWithRollback(
  runner: CommandRunner,
  plan: CommandPlan,
  undo: CommandPlan,
): Promise<void> {
  try {
    await applyPlan(runner, plan);
  } catch (err) {
    await applyPlan(
      runner,
      undo.map((c) => ({ ...c, ignoreFailure: true })),
    ).catch((e) => {
      throw wrap(err, `rollback also failed (${errorMessage(e)})`);
    });
    throw err;
  }
}
