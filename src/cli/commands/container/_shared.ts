/**
 * Helpers the container commands share: docker's error lines, the per-container loop of
 * stop/kill/rm/pause, and the usage-error text for bad flag values.
 */
import { ApiError } from "../../../api/client/client.js";
import { type Filters, filtersFromPairs } from "../../../api/types/filters.js";
import { errorMessage } from "../../../lib/errors.js";
import type { CliContext, Command } from "../../command.js";
import { usageOf } from "../../command.js";
import { FlagError, type FlagSpec, invalidFlagValue, usageErrorText } from "../../flags.js";

/** An error as docker 28 prints it: "Error response from daemon: ..." for the daemon's, else the message. */
export function errorLine(err: unknown): string {
  if (err instanceof ApiError) return `Error response from daemon: ${err.message}`;
  return errorMessage(err);
}

export function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.status === 404;
}

/**
 * Runs `op` for each named container; prints each name that succeeded to stdout and then the errors
 * to stderr, one per line (docker's errors.Join). Returns 1 when any failed.
 */
export async function forEachContainer(
  ctx: CliContext,
  names: readonly string[],
  op: (name: string) => Promise<void>,
  opts: { quietErrors?: (err: unknown) => boolean; oneAtATime?: boolean } = {},
): Promise<number> {
  const results: PromiseSettledResult<void>[] = [];
  if (opts.oneAtATime) {
    for (const name of names) results.push(...(await Promise.allSettled([op(name)])));
  } else {
    results.push(...(await Promise.allSettled(names.map((name) => op(name)))));
  }
  const errors: string[] = [];
  results.forEach((r, i) => {
    if (r.status === "fulfilled") ctx.stdout.write(`${names[i]}\n`);
    else if (opts.quietErrors?.(r.reason)) ctx.stderr.write(`${errorLine(r.reason)}\n`);
    else errors.push(errorLine(r.reason));
  });
  if (errors.length > 0) ctx.stderr.write(`${errors.join("\n")}\n`);
  return errors.length > 0 ? 1 : 0;
}

/** A bad flag value caught after parsing, printed as pflag's usage error (exit 125). */
export function usageError(ctx: CliContext, cmd: Command, err: FlagError): number {
  ctx.stderr.write(`${usageErrorText(err, usageOf(cmd))}\n`);
  return 125;
}

/** docker run/create's "docker: <message>\n\nRun 'docker run --help' for more information" (exit 125). */
export function withHelp(ctx: CliContext, verb: string, message: string): number {
  ctx.stderr.write(`berth: ${message}\n\nRun 'berth ${verb} --help' for more information\n`);
  return 125;
}

/** FlagErrors as usage errors, anything else as "berth: <message>" with the help hint. */
export function optionsFailure(ctx: CliContext, cmd: Command, verb: string, err: unknown): number {
  if (err instanceof FlagError) return usageError(ctx, cmd, err);
  return withHelp(ctx, verb, errorMessage(err));
}

/**
 * --filter key=value pairs as docker's FilterOpt reads them; a bad pair is a flag error
 * (`invalid argument "x" for "-f, --filter" flag: bad format of filter (expected name=value)`).
 */
export function filterPairs(spec: FlagSpec, pairs: readonly string[]): Filters {
  for (const pair of pairs) {
    if (pair.indexOf("=") <= 0) {
      throw invalidFlagValue(spec, pair, new Error("bad format of filter (expected name=value)"));
    }
  }
  return filtersFromPairs(pairs);
}

/** Docker's short container id: the first 12 hex characters. */
export function shortId(id: string): string {
  return id.replace(/^sha256:/, "").slice(0, 12);
}

/**
 * Calls `onClose` when the reader of `out` goes away (EPIPE: `berth logs -f | head`), instead of
 * the process dying on an unhandled error, as docker quietly ends then. Returns the unsubscriber.
 */
export function onBrokenPipe(out: NodeJS.WritableStream, onClose: () => void): () => void {
  const handler = (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE" || err.code === "ERR_STREAM_DESTROYED") onClose();
  };
  out.on("error", handler);
  return () => out.off("error", handler);
}
