/**
 * Layer compression: sniff the magic bytes, then decompress. gzip runs in-process (zlib); zstd, xz
 * and bzip2 run through their command-line programs (`zstd -dc` etc.), because Node 20 has no zstd.
 *
 * A damaged or truncated stream ends the returned stream with an invalid-argument error, never a
 * clean (short) end: external decompressors are only trusted once they exit 0.
 */
import { spawn } from "node:child_process";
import { constants, promises as fs } from "node:fs";
import path from "node:path";
import { PassThrough, Readable, type Transform } from "node:stream";
import { createGunzip } from "node:zlib";
import { errnoCode, errorMessage, invalidArgument, wrap } from "../../lib/errors.js";

export type Compression = "gzip" | "zstd" | "xz" | "bzip2" | "none";

const MAGIC: ReadonlyArray<readonly [Compression, readonly number[]]> = [
  ["gzip", [0x1f, 0x8b]],
  ["zstd", [0x28, 0xb5, 0x2f, 0xfd]],
  ["xz", [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ["bzip2", [0x42, 0x5a, 0x68]],
];

/** How many leading bytes detectCompression needs to see. */
export const MAGIC_BYTES = 6;

/** The compression of a stream from its first bytes ("none" for a plain tar or too few bytes). */
export function detectCompression(firstBytes: Uint8Array): Compression {
  for (const [kind, magic] of MAGIC) {
    if (firstBytes.length >= magic.length && magic.every((b, i) => firstBytes[i] === b)) return kind;
  }
  return "none";
}

/**
 * Reads the first n bytes and gives back a stream that still starts with them. Not with unshift():
 * when the whole input is already buffered and ended, read() has the 'end' event emitted before
 * the bytes could be put back, and the consumer would see an empty stream.
 */
async function peek(input: Readable, n: number): Promise<{ head: Buffer; stream: Readable }> {
  const it = input[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let len = 0;
  let ended = false;
  while (len < n) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    const chunk = toBuffer(r.value);
    chunks.push(chunk);
    len += chunk.length;
  }
  const head = Buffer.concat(chunks, len);
  async function* rest(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    while (!ended) {
      const r = await it.next();
      if (r.done) return;
      yield toBuffer(r.value);
    }
  }
  const stream = Readable.from(rest(), { objectMode: false });
  // A consumer that stops early stops the input too, even while rest() awaits its next chunk.
  stream.once("close", () => input.destroy());
  return { head, stream };
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  return typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
}

function gzipError(err: unknown): Error {
  const code = errnoCode(err);
  if (code === "Z_BUF_ERROR" || /unexpected end of file/.test(errorMessage(err))) {
    return invalidArgument(`truncated gzip stream: ${errorMessage(err)}`, err);
  }
  if (code === "Z_DATA_ERROR") return invalidArgument(`corrupt gzip stream: ${errorMessage(err)}`, err);
  return wrap(err, "decompressing gzip stream");
}

function throughTransform(source: Readable, transform: Transform, mapError: (e: unknown) => Error): Readable {
  const out = new PassThrough();
  // Errors reach the consumer through the stream's own state; one that comes before the consumer
  // attaches (or after it stopped) must not be an uncaught 'error' that ends the daemon.
  out.on("error", () => {});
  source.on("error", (err) => out.destroy(err));
  transform.on("error", (err) => out.destroy(mapError(err)));
  out.on("close", () => {
    source.destroy();
    transform.destroy();
  });
  source.pipe(transform).pipe(out);
  return out;
}

async function findProgram(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin").split(":")) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      await fs.access(file, constants.X_OK);
      return file;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

function throughProgram(source: Readable, program: string, kind: Compression): Readable {
  const out = new PassThrough();
  out.on("error", () => {}); // as in throughTransform
  const child = spawn(program, ["-dc"], { stdio: ["pipe", "pipe", "pipe"] });
  const stderr: Buffer[] = [];
  let finished = false;
  child.stderr.on("data", (b: Buffer) => stderr.push(b));
  child.stdin.on("error", () => {}); // EPIPE when the program stops early; its exit code tells
  source.on("error", (err) => out.destroy(err));
  child.on("error", (err) => out.destroy(wrap(err, `running ${program}`)));
  child.on("close", (code, signal) => {
    finished = true;
    if (code === 0) out.end();
    else {
      const why = Buffer.concat(stderr).toString("utf8").trim() || `exit ${code ?? signal}`;
      out.destroy(invalidArgument(`corrupt or truncated ${kind} stream: ${why}`));
    }
  });
  out.on("close", () => {
    source.destroy();
    if (!finished) child.kill("SIGKILL");
  });
  source.pipe(child.stdin);
  child.stdout.pipe(out, { end: false });
  return out;
}

/**
 * Returns the decompressed content of `input`, whatever its compression (plain tar passes
 * through). Throws invalid-argument when the compression needs a program that is not installed.
 */
export async function decompressStream(input: Readable): Promise<Readable> {
  const { head, stream } = await peek(input, MAGIC_BYTES);
  const kind = detectCompression(head);
  switch (kind) {
    case "none":
      return stream;
    case "gzip":
      // 1 MiB output chunks: with zlib's 16 KiB default, inflating is ten times slower (thread-pool
      // round trips per chunk), which dominated pull and load time.
      return throughTransform(stream, createGunzip({ chunkSize: 1 << 20 }), gzipError);
    default: {
      const program = await findProgram(kind);
      if (!program) {
        stream.destroy();
        const pkg = kind === "xz" ? "xz-utils" : kind;
        throw invalidArgument(`${kind} layers need the ${kind} program (Debian package "${pkg}")`);
      }
      return throughProgram(stream, program, kind);
    }
  }
}
