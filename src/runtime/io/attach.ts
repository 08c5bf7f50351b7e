import { promises as fs, constants as fsc } from "node:fs";
import { Writable } from "node:stream";
import type { SeqpacketSocket } from "node-unix-socket";
import { BerthError, errorMessage } from "../../lib/errors.js";

/**
 * A client of conmon's attach socket and terminal control fifo (see conmon.ts for the protocol).
 *
 * - `<dir>/attach` is a SOCK_SEQPACKET socket. Every packet conmon sends starts with one byte naming
 *   the stream (2 stdout, 3 stderr), then up to 8 KiB of output. Packets we send are the process's
 *   stdin, as-is; an empty packet reads as EOF to conmon, and conmon reads at most 32 KiB of a packet,
 *   so stdin is sent in non-empty pieces of at most 32 KiB. Half-closing (stdin.end()) makes conmon
 *   close the process's stdin, unless conmon runs with --leave-stdin-open.
 * - Output only reaches clients connected when it is produced: conmon keeps no backlog (the log file
 *   has it). Connect before `runtime.start` (or before the exec's start message) to miss nothing.
 * - `<dir>/ctl` is a fifo; "1 <height> <width>\n" resizes the terminal (2 reopens the log file).
 *
 * Node cannot open SOCK_SEQPACKET sockets: `node-unix-socket` (N-API) does. It is loaded on first
 * use, so processes that never attach do not pay for the native module.
 */

export type AttachStream = "stdout" | "stderr";

export interface AttachOutput {
  stream: AttachStream;
  data: Buffer;
}

export interface AttachConnection {
  /** The process's stdin. end() half-closes the socket: conmon then closes the process's stdin. */
  readonly stdin: Writable;
  /** Output packets in order; ends when conmon closes the socket (the process exited). One reader. */
  readonly output: AsyncIterable<AttachOutput>;
  /** Resize the process's terminal (tty containers and execs only). */
  resize(height: number, width: number): Promise<void>;
  /** Disconnects. conmon treats it as EOF on stdin, as stdin.end() does. */
  close(): void;
}

export interface OpenAttachOptions {
  /** `<bundle>/attach`, or `<exec session dir>/attach`. Any length: see connectSeqpacket. */
  socketPath: string;
  /** `<bundle>/ctl`; needed only for resize(). */
  ctlPath?: string;
}

/** conmon reads at most this much of one stdin packet (CONN_SOCK_BUF_SIZE). */
export const MAX_STDIN_PACKET = 32 * 1024;
const STREAM_IDS: Readonly<Record<number, AttachStream>> = { 2: "stdout", 3: "stderr" };
/** Linux O_PATH (same value on x86_64 and arm64); Node's fs.constants lacks it. */
const O_PATH = 0o10000000;

let socketModule: Promise<typeof import("node-unix-socket")> | undefined;

export async function openAttach(opts: OpenAttachOptions): Promise<AttachConnection> {
  const sock = await connectSeqpacket(opts.socketPath);
  const output = new OutputQueue();
  sock.on("data", (buf: Buffer) => {
    const stream = STREAM_IDS[buf[0] ?? 0];
    if (stream && buf.length > 1) output.push({ stream, data: buf.subarray(1) });
  });
  sock.on("end", () => output.end());
  sock.on("close", () => output.end());
  sock.on("error", (err: Error) => output.end(err));
  let closed = false;
  const stdin = new Writable({
    write(chunk: Buffer, _enc, cb) {
      try {
        let last = Math.ceil(chunk.length / MAX_STDIN_PACKET);
        if (last === 0) return cb();
        for (let off = 0; off < chunk.length; off += MAX_STDIN_PACKET) {
          const len = Math.min(MAX_STDIN_PACKET, chunk.length - off);
          sock.write(chunk, off, len, --last === 0 ? () => cb() : undefined);
        }
      } catch (err) {
        cb(err as Error);
      }
    },
    final(cb) {
      if (closed) return cb();
      try {
        sock.end(() => cb());
      } catch (err) {
        cb(err as Error);
      }
    },
  });
  return {
    stdin,
    output,
    resize: async (height, width) => {
      if (!opts.ctlPath) throw new BerthError("failed-precondition", "no control fifo for this attach");
      await resizeTerminal(opts.ctlPath, height, width);
    },
    close() {
      if (closed) return;
      closed = true;
      sock.destroy();
      output.end();
      if (!stdin.destroyed) stdin.destroy();
    },
  };
}

/**
 * Connects a SOCK_SEQPACKET socket. sun_path holds 107 bytes, so (as podman does) we open the socket
 * file with O_PATH and connect to `/proc/self/fd/<fd>`, which works for any path length.
 */
export async function connectSeqpacket(socketPath: string): Promise<SeqpacketSocket> {
  socketModule ??= import("node-unix-socket");
  const { SeqpacketSocket } = await socketModule;
  let fh: fs.FileHandle;
  try {
    fh = await fs.open(socketPath, O_PATH);
  } catch (err) {
    throw new BerthError("not-found", `attach socket ${socketPath}: ${errorMessage(err)}`, { cause: err });
  }
  try {
    const sock = new SeqpacketSocket();
    await new Promise<void>((resolve, reject) => {
      sock.once("error", reject);
      try {
        sock.connect(`/proc/self/fd/${fh.fd}`, () => {
          sock.off("error", reject);
          resolve();
        });
      } catch (err) {
        reject(err);
      }
    });
    return sock;
  } catch (err) {
    throw new BerthError("unavailable", `connecting to ${socketPath}: ${errorMessage(err)}`, { cause: err });
  } finally {
    await fh.close();
  }
}

/** Writes conmon's resize message to a ctl fifo ("1 <height> <width>\n"). */
export async function resizeTerminal(ctlPath: string, height: number, width: number): Promise<void> {
  if (!Number.isInteger(height) || !Number.isInteger(width) || height < 0 || width < 0)
    throw new BerthError("invalid-argument", `invalid terminal size ${height}x${width}`);
  // O_NONBLOCK: fail (ENXIO) instead of hanging when conmon is gone and nobody reads the fifo.
  const fh = await fs.open(ctlPath, fsc.O_WRONLY | fsc.O_NONBLOCK);
  try {
    await fh.write(`1 ${height} ${width}\n`);
  } finally {
    await fh.close();
  }
}

/** A single-consumer async queue of output packets. */
class OutputQueue implements AsyncIterable<AttachOutput> {
  #items: AttachOutput[] = [];
  #done = false;
  #error: Error | undefined;
  #wake: (() => void) | undefined;

  push(item: AttachOutput): void {
    if (this.#done) return;
    this.#items.push(item);
    this.#wake?.();
  }

  end(err?: Error): void {
    if (this.#done) return;
    this.#done = true;
    this.#error = err;
    this.#wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<AttachOutput> {
    for (;;) {
      const item = this.#items.shift();
      if (item) {
        yield item;
        continue;
      }
      if (this.#done) {
        if (this.#error) throw this.#error;
        return;
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = undefined;
    }
  }
}
