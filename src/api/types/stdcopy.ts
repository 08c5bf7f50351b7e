/**
 * Docker's multiplexed stream framing ("stdcopy"), used by attach, logs and exec without a tty:
 *
 *     [stream:1][0][0][0][length:4, big-endian uint32][payload:length]
 *
 * stream: 0 stdin, 1 stdout, 2 stderr, 3 "systemerr" (an error from the daemon, the payload is its
 * message). With a tty Docker sends the raw bytes instead, without frames.
 *
 * Pure: bytes in, bytes out.
 */

export type StdStream = "stdin" | "stdout" | "stderr" | "systemerr";

export interface StdFrame {
  stream: StdStream;
  data: Buffer;
}

export const STDCOPY_HEADER_SIZE = 8;
export const STDCOPY_MAX_PAYLOAD = 0xffffffff;
const STREAMS: readonly StdStream[] = ["stdin", "stdout", "stderr", "systemerr"];

export class StdcopyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StdcopyError";
  }
}

export function streamByte(stream: StdStream): number {
  return STREAMS.indexOf(stream);
}

/** The 8-byte header of a frame. */
export function frameHeader(stream: StdStream, length: number): Buffer {
  if (!Number.isInteger(length) || length < 0 || length > STDCOPY_MAX_PAYLOAD)
    throw new RangeError(`stdcopy frame length out of range: ${length}`);
  const h = Buffer.alloc(STDCOPY_HEADER_SIZE);
  h[0] = streamByte(stream);
  h.writeUInt32BE(length, 4);
  return h;
}

/** One frame: header + payload. */
export function encodeFrame(stream: StdStream, data: Uint8Array): Buffer {
  return Buffer.concat([frameHeader(stream, data.length), data]);
}

/**
 * Incremental decoder: push chunks as they arrive (split anywhere), get whole frames back. end()
 * throws if the input stopped inside a frame.
 */
export class StdcopyDecoder {
  #buf: Buffer = Buffer.alloc(0);

  push(chunk: Uint8Array): StdFrame[] {
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : Buffer.from(chunk);
    const frames: StdFrame[] = [];
    let off = 0;
    while (this.#buf.length - off >= STDCOPY_HEADER_SIZE) {
      const kind = this.#buf[off]!;
      const stream = STREAMS[kind];
      if (!stream) throw new StdcopyError(`unrecognized stream byte ${kind}`);
      const len = this.#buf.readUInt32BE(off + 4);
      if (this.#buf.length - off - STDCOPY_HEADER_SIZE < len) break;
      const start = off + STDCOPY_HEADER_SIZE;
      frames.push({ stream, data: Buffer.from(this.#buf.subarray(start, start + len)) });
      off = start + len;
    }
    this.#buf = this.#buf.subarray(off);
    return frames;
  }

  /** Bytes held back waiting for the rest of a frame. */
  get pending(): number {
    return this.#buf.length;
  }

  end(): void {
    if (this.#buf.length)
      throw new StdcopyError(`stream ended inside a frame (${this.#buf.length} bytes left)`);
  }
}

/** Decodes a byte stream into frames. */
export async function* demultiplex(source: AsyncIterable<Uint8Array>): AsyncGenerator<StdFrame> {
  const d = new StdcopyDecoder();
  for await (const chunk of source) yield* d.push(chunk);
  d.end();
}

/** Encodes frames into a byte stream (empty payloads are skipped, as Docker writes none). */
export async function* multiplex(source: AsyncIterable<StdFrame>): AsyncGenerator<Buffer> {
  for await (const f of source) if (f.data.length) yield encodeFrame(f.stream, f.data);
}
