/**
 * Starting a container with its streams attached, as `run` (without -d) and `start -a` do:
 * attach first, register a wait (next-exit, or removed for --rm), start, follow the terminal size,
 * stream until the output ends, then read the exit code.
 */
import type { ApiClient } from "../../../api/client/client.js";
import {
  attach,
  kill,
  resize,
  start,
  type WaitCondition,
  waitRegistered,
} from "../../../api/client/containers.js";
import { runSession } from "../../attach/session.js";
import { proxySignals } from "../../attach/signals.js";
import { monitorTtySize } from "../../attach/tty-size.js";
import type { CliContext } from "../../command.js";

export interface AttachedStartOptions {
  readonly tty: boolean;
  readonly stdin: boolean;
  readonly stdout: boolean;
  readonly stderr: boolean;
  readonly detachKeys: string;
  /** Wait for removal instead of the exit (--rm). */
  readonly autoRemove: boolean;
  /** Forward SIGINT, SIGTERM, ... to the container. */
  readonly sigProxy: boolean;
}

export type AttachedResult =
  | { readonly kind: "exited"; readonly code: number }
  | { readonly kind: "detached" }
  /** POST start failed: the container never ran. */
  | { readonly kind: "start-failed"; readonly error: unknown }
  /** The attach itself failed (before or while streaming). */
  | { readonly kind: "attach-failed"; readonly error: unknown };

/** The exit status docker reports from a wait: the code, or 125 when the wait failed. */
async function exitStatus(
  ctx: CliContext,
  signal: AbortSignal,
  result: Promise<{ StatusCode: number; Error?: { Message: string } | null }>,
) {
  try {
    const r = await result;
    if (r.Error?.Message) {
      ctx.stderr.write(`Error waiting for container: ${r.Error.Message}\n`);
      return 125;
    }
    return r.StatusCode;
  } catch (err) {
    // Aborted: the session ended another way (detach) and nobody wants the code.
    if (!signal.aborted) ctx.stderr.write(`error waiting for container: ${(err as Error).message}\n`);
    return 125;
  }
}

export async function startAttached(
  ctx: CliContext,
  client: ApiClient,
  id: string,
  opts: AttachedStartOptions,
): Promise<AttachedResult> {
  const stopSignals = opts.sigProxy ? proxySignals((sig) => kill(client, id, sig)) : () => undefined;
  let stopResize = () => {};
  // Ends the pending wait when the session ends some other way (detach, failure).
  const waitAbort = new AbortController();
  try {
    let conn: Awaited<ReturnType<typeof attach>>;
    try {
      conn = await attach(client, id, {
        stdin: opts.stdin,
        stdout: opts.stdout,
        stderr: opts.stderr,
        detachKeys: opts.detachKeys,
      });
    } catch (error) {
      return { kind: "attach-failed", error };
    }
    const session = runSession(conn, {
      tty: opts.tty,
      stdin: opts.stdin ? ctx.stdin : undefined,
      stdout: opts.stdout ? ctx.stdout : undefined,
      stderr: opts.stderr ? (opts.tty ? ctx.stdout : ctx.stderr) : undefined,
      detachKeys: opts.detachKeys,
      warn: (m) => ctx.stderr.write(`WARNING: ${m}\n`),
    });
    session.catch(() => undefined);
    const condition: WaitCondition = opts.autoRemove ? "removed" : "next-exit";
    let waiter: Awaited<ReturnType<typeof waitRegistered>>;
    try {
      waiter = await waitRegistered(client, id, { condition, signal: waitAbort.signal });
    } catch (error) {
      conn.socket.destroy();
      return { kind: "attach-failed", error };
    }
    try {
      await start(client, id);
    } catch (error) {
      conn.socket.destroy();
      await session.catch(() => undefined);
      if (opts.autoRemove) await waiter.result.catch(() => undefined);
      return { kind: "start-failed", error };
    }
    if (opts.tty && ctx.stdout.isTTY) {
      stopResize = monitorTtySize(ctx.stdout, (size) => resize(client, id, size), {
        warn: (m) => ctx.stderr.write(`${m}\n`),
      });
    }
    const exited = exitStatus(ctx, waitAbort.signal, waiter.result);
    let outcome: Awaited<typeof session> | "exited";
    try {
      // With no output attached, the container's exit ends the session (docker cancels the stream).
      outcome =
        opts.stdout || opts.stderr
          ? await session
          : await Promise.race([session, exited.then(() => "exited" as const)]);
    } catch (error) {
      return { kind: "attach-failed", error };
    }
    if (outcome !== "exited" && outcome.detached) return { kind: "detached" };
    conn.socket.destroy();
    return { kind: "exited", code: await exited };
  } finally {
    waitAbort.abort();
    stopResize();
    stopSignals();
  }
}
