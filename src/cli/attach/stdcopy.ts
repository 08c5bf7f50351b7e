/**
 * Docker's multiplexed stream framing ("stdcopy"), used by attach, exec and logs when the
 * container has no TTY. Each frame is an 8-byte header and a payload:
 *
 *   [stream, 0, 0, 0, size >> 24, size >> 16, size >> 8, size]  payload (size bytes)
 *
 * stream is 0 stdin, 1 stdout, 2 stderr, 3 a daemon-side error (its payload is the message).
 *
 *   const demux = new StdDemuxer();
 *   for (const frame of demux.push(chunk)) (frame.stream === 2 ? stderr : stdout).write(frame.data);
 *   demux.end(); // throws when the stream stopped inside a frame
 *
 * (pure)
 */

export type StdStream = 0 | 1 | 2 | 3;

export const STDIN: StdStream = 0;
export const STDOUT: StdStream = 1;
export const STDERR: StdStream = 2;
/** Frames the daemon sends to report an error in-band (moby's stdcopy Systemerr). */
export const SYSTEMERR: StdStream = 3;

export const HEADER_SIZE = 8;

export interface StdFrame {
  readonly stream: StdStream;
  readonly data: Buffer;
}

/** One frame: header plus payload. */
export function encodeFrame(stream: StdStream, data: Uint8Array | string): Buffer {
  const payload = typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data);
  const header = Buffer.alloc(HEADER_SIZE);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

/** A demultiplexer fed chunks of any size: headers and payloads may be split across them. */
export class StdDemuxer {
  #pending: Buffer = Buffer.alloc(0);

  /** The complete frames that `chunk` finishes, in order. Throws on an unknown stream byte. */
  push(chunk: Uint8Array): StdFrame[] {
    this.#pending = this.#pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.#pending, chunk]);
    const frames: StdFrame[] = [];
    let offset = 0;
    while (this.#pending.length - offset >= HEADER_SIZE) {
      const stream = this.#pending[offset]!;
      if (stream > 3) {
        throw new Error(`Unrecognized input header: ${stream}`);
      }
      const size = this.#pending.readUInt32BE(offset + 4);
      if (this.#pending.length - offset - HEADER_SIZE < size) break;
      const start = offset + HEADER_SIZE;
      frames.push({ stream: stream as StdStream, data: this.#pending.subarray(start, start + size) });
      offset = start + size;
    }
    this.#pending = offset === 0 ? this.#pending : Buffer.from(this.#pending.subarray(offset));
    return frames;
  }

  /** Bytes received but not yet part of a complete frame. */
  get buffered(): number {
    return this.#pending.length;
  }

  /** Ends the stream; throws when it stopped inside a frame. */
  end(): void {
    if (this.#pending.length > 0) {
      throw new Error(`unexpected EOF: ${this.#pending.length} bytes left in an incomplete frame`);
    }
  }
}

/** Demultiplexes an async byte stream into frames (ends with the stream; throws on a cut frame). */
export async function* demuxStream(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<StdFrame> {
  const demux = new StdDemuxer();
  for await (const chunk of source) {
    yield* demux.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  }
  demux.end();
}
