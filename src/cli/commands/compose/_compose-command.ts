/**
 * The shape of a `berth compose` subcommand: flags as data and a run() that gets the compose
 * context (the global -f/-p/--env-file/--profile/--project-directory options, and the project,
 * loaded on demand).
 */
import type { CliContext } from "../../command.js";
import type { FlagSpec, ParsedFlags } from "../../flags.js";
import type { ComposeSession } from "./_session.js";

export interface ComposeCommand<F extends readonly FlagSpec[] = readonly FlagSpec[]> {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly usage: string;
  readonly description: string;
  readonly flags: F;
  readonly interspersed?: boolean;
  readonly args?: { min?: number; max?: number };
  run(ctx: CliContext, session: ComposeSession, parsed: ParsedFlags<F>): Promise<number>;
}

export function defineComposeCommand<const F extends readonly FlagSpec[]>(
  cmd: ComposeCommand<F>,
): ComposeCommand<F> {
  return cmd;
}
