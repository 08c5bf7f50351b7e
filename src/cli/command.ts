import type { ApiClient } from "../api/client/client.js";
import type { CommandUsage, FlagSpec, ParsedFlags } from "./flags.js";

/** What every command gets: a lazily connected client and the process's streams. */
export interface CliContext {
  /** Connects on first use (and starts berthd when the default socket has none). */
  client(): Promise<ApiClient>;
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  /** Terminal width for help and tables. */
  readonly columns: number;
}

/**
 * A CLI command: flags as data, then run(). `path` is how it is typed ("image ls"); `aliases`
 * are other full spellings ("images", "image list"). Exit codes follow docker: 0 ok, 1 daemon
 * error, 125 usage error; run() returns the code.
 */
export interface Command<F extends readonly FlagSpec[] = readonly FlagSpec[]> {
  readonly path: string;
  readonly aliases?: readonly string[];
  readonly usage: string;
  readonly description: string;
  readonly flags: F;
  /** false: flags end at the first positional (run, exec). */
  readonly interspersed?: boolean;
  /** Positional argument count bounds, checked before run (docker's cobra.Args). */
  readonly args?: { min?: number; max?: number };
  run(ctx: CliContext, parsed: ParsedFlags<F>): Promise<number>;
}

export function usageOf(cmd: Command): CommandUsage {
  return {
    path: `berth ${cmd.path}`,
    usage: cmd.usage,
    description: cmd.description,
    aliases:
      cmd.aliases && cmd.aliases.length > 0 ? [cmd.path, ...cmd.aliases].map((a) => `berth ${a}`) : undefined,
    flags: cmd.flags,
  };
}

/** Keeps literal flag types for run()'s parsed argument. */
export function defineCommand<const F extends readonly FlagSpec[]>(cmd: Command<F>): Command<F> {
  return cmd;
}
