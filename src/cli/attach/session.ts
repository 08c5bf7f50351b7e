/**
 * An attached session over a hijacked connection (attach, run, start -a, exec): stdin goes to the
 * container, its output comes back to stdout/stderr, as docker's hijackedIOStreamer does it.
 *
 *   const conn = await attach(client, id, { stdin: true, stdout: true, stderr: true });
 *   const { detached } = await runSession(conn, { tty, stdin: process.stdin, stdout, stderr });
 *
 * - Input: stdin is copied to the socket; when it ends (at once without stdin) the socket is
 *   half-closed (FIN), so that `echo hi | berth run -i busybox cat` ends. On a terminal with a TTY
 *   container, stdin is put in raw mode and the detach keys (default ctrl-p,ctrl-q) end the
 *   session with `detached: true`.
 * - Output: raw bytes with a TTY, else multiplexed frames split to stdout and stderr. The session
 *   ends when the output ends (or, with no output requested, when the input ends).
 * - The terminal is restored and stdin released however the session ends.
 */
import type { Readable, Writable } from "node:stream";
import type { HijackedConnection } from "../../api/client/client.js";
import { DEFAULT_DETACH_KEYS, EscapeDetector, parseDetachKeys } from "../../api/types/detach-keys.js";
import { StdcopyDecoder } from "../../api/types/stdcopy.js";

/** A readable that may be a terminal (process.stdin). */
export type InputStream = Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };

export interface SessionOptions {
  /** The container has a TTY: output is raw, input may be raw. */
  readonly tty: boolean;
  /** Where stdin comes from; undefined: nothing is sent (and stdin is left alone). */
  readonly stdin?: InputStream;
  readonly stdout?: Writable;
  /** Stderr frames go here (with a TTY everything arrives on stdout). */
  readonly stderr?: Writable;
  /** "ctrl-p,ctrl-q" form; "" or undefined: the default. */
  readonly detachKeys?: string;
  /** Reports a problem that does not end the session (an invalid --detach-keys). */
  readonly warn?: (message: string) => void;
}

export interface SessionResult {
  /** The user typed the detach keys. */
  readonly detached: boolean;
}

function isBenignSocketError(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === "ECONNRESET" || code === "EPIPE" || code === "ERR_STREAM_DESTROYED";
}

function escapeKeys(opts: SessionOptions): Uint8Array {
  const keys = opts.detachKeys || DEFAULT_DETACH_KEYS;
  try {
    return parseDetachKeys(keys);
  } catch (err) {
    opts.warn?.(`invalid detach escape keys, using default: ${(err as Error).message}`);
    return parseDetachKeys(DEFAULT_DETACH_KEYS);
  }
}

/** Runs the session until the output ends, the user detaches, or the connection fails. */
export function runSession(conn: HijackedConnection, opts: SessionOptions): Promise<SessionResult> {
  const { socket } = conn;
  const { stdin, stdout, stderr } = opts;
  const wantOutput = stdout !== undefined || stderr !== undefined;
  const raw =
    opts.tty && stdin !== undefined && stdin.isTTY === true && typeof stdin.setRawMode === "function";
  const detector = raw ? new EscapeDetector(escapeKeys(opts)) : undefined;
  const demux = opts.tty ? undefined : new StdcopyDecoder();

  return new Promise<SessionResult>((resolve, reject) => {
    let settled = false;
    let inputEnded = stdin === undefined;

    const cleanup = () => {
      socket.off("data", onOutput);
      socket.off("end", onOutputEnd);
      socket.off("close", onOutputEnd);
      socket.off("error", onSocketError);
      if (stdin) {
        stdin.off("data", onInput);
        stdin.off("end", onInputEnd);
        stdin.off("error", onInputEnd);
        if (raw) stdin.setRawMode?.(false);
        stdin.pause();
      }
    };
    const finish = (result: SessionResult | Error) => {
      if (settled) return;
      settled = true;
      cleanup();
      socket.destroy();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };

    const write = (out: Writable | undefined, data: Buffer) => {
      if (!out || data.length === 0) return;
      if (!out.write(data)) {
        socket.pause();
        out.once("drain", () => socket.resume());
      }
    };
    const onOutput = (chunk: Buffer) => {
      if (!demux) {
        write(stdout, chunk);
        return;
      }
      try {
        for (const frame of demux.push(chunk)) {
          if (frame.stream === "systemerr") {
            finish(new Error(frame.data.toString("utf8")));
            return;
          }
          write(frame.stream === "stderr" ? stderr : stdout, frame.data);
        }
      } catch (err) {
        finish(err as Error);
      }
    };
    const onOutputEnd = () => finish({ detached: false });
    const onSocketError = (err: Error) => {
      if (isBenignSocketError(err)) finish({ detached: false });
      else finish(err);
    };

    const send = (data: Buffer) => {
      if (data.length === 0 || socket.destroyed) return;
      if (!socket.write(data) && stdin) {
        stdin.pause();
        socket.once("drain", () => {
          if (!settled && !inputEnded) stdin.resume();
        });
      }
    };
    const onInput = (chunk: Buffer | string) => {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      if (!detector) {
        send(bytes);
        return;
      }
      const { forward, detached } = detector.feed(bytes);
      send(forward);
      if (detached) finish({ detached: true });
    };
    const onInputEnd = () => {
      if (inputEnded) return;
      inputEnded = true;
      if (detector) send(detector.flush());
      if (raw) stdin?.setRawMode?.(false);
      // Half-close: the daemon closes the container's stdin, the output keeps coming.
      if (!socket.destroyed) socket.end();
      if (!wantOutput) finish({ detached: false });
    };

    socket.on("data", onOutput);
    socket.on("end", onOutputEnd);
    socket.on("close", onOutputEnd);
    socket.on("error", onSocketError);
    if (stdin) {
      if (raw) stdin.setRawMode?.(true);
      stdin.on("data", onInput);
      stdin.on("end", onInputEnd);
      stdin.on("error", onInputEnd);
      stdin.resume();
    }
    // No input: say so at once (docker's CloseWrite), so the daemon is not left waiting for stdin.
    else socket.end();
    if (!wantOutput && inputEnded) finish({ detached: false });
  });
}
