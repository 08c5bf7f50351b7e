/**
 * Reads a tar stream entry by entry: ustar, GNU (long names) and PAX (long names, big numbers,
 * SCHILY.xattr.* with binary values). Global PAX headers are skipped, as Go's archive/tar callers
 * (Docker) do. A stream that ends inside an entry is an invalid-argument error ("truncated tar").
 */
import { invalidArgument } from "../../lib/errors.js";
import {
  BLOCK,
  decodeHeaderBlock,
  entryTypeOf,
  hasBody,
  paddingOf,
  parsePaxRecords,
  type RawHeader,
  type TarHeader,
} from "./tar-header.js";

export interface TarEntry {
  header: TarHeader;
  /** The content of a "file" entry. Read it before asking for the next entry, or it is skipped. */
  body: AsyncIterable<Buffer>;
}

/** PAX and GNU long-name records are metadata; anything bigger than this is not a sane archive. */
const MAX_META_SIZE = 1 << 20;

const EMPTY = Buffer.alloc(0);

/** Pulls exact byte counts out of an async iterable of chunks. */
class ChunkReader {
  readonly #it: AsyncIterator<Uint8Array | string>;
  #buf: Buffer = EMPTY;
  #done = false;

  constructor(input: AsyncIterable<Uint8Array | string>) {
    this.#it = input[Symbol.asyncIterator]();
  }

  async #fill(): Promise<boolean> {
    if (this.#done) return false;
    const r = await this.#it.next();
    if (r.done) {
      this.#done = true;
      return false;
    }
    const v = r.value;
    const chunk =
      typeof v === "string"
        ? Buffer.from(v)
        : Buffer.isBuffer(v)
          ? v
          : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
    return true;
  }

  /** Exactly n bytes; undefined when the stream ended cleanly before any of them. */
  async exact(n: number, what: string): Promise<Buffer | undefined> {
    while (this.#buf.length < n) {
      if (!(await this.#fill())) {
        if (this.#buf.length === 0) return undefined;
        throw invalidArgument(`truncated tar: stream ended inside ${what}`);
      }
    }
    const out = this.#buf.subarray(0, n);
    this.#buf = this.#buf.subarray(n);
    return out;
  }

  /** Between 1 and max bytes. */
  async some(max: number, what: string): Promise<Buffer> {
    while (this.#buf.length === 0) {
      if (!(await this.#fill())) throw invalidArgument(`truncated tar: stream ended inside ${what}`);
    }
    const n = Math.min(max, this.#buf.length);
    const out = this.#buf.subarray(0, n);
    this.#buf = this.#buf.subarray(n);
    return out;
  }

  async skip(n: number, what: string): Promise<void> {
    let left = n;
    while (left > 0) left -= (await this.some(left, what)).length;
  }

  /**
   * Skips an entry's padding, which may be cut off by the end of input: the docker CLI sends a
   * context whose Dockerfile lies outside it with its last entries unpadded and no end marker
   * (Go's reader and dockerd accept that, so must we).
   */
  async skipPadding(n: number): Promise<void> {
    let left = n;
    while (left > 0) {
      if (this.#buf.length === 0 && !(await this.#fill())) return;
      const k = Math.min(left, this.#buf.length);
      this.#buf = this.#buf.subarray(k);
      left -= k;
    }
  }

  /** Reads to the end, so a decompressor before us gets to check its trailer. */
  async drain(): Promise<void> {
    this.#buf = EMPTY;
    while (await this.#fill()) this.#buf = EMPTY;
  }

  async close(): Promise<void> {
    if (!this.#done) await this.#it.return?.();
  }
}

interface Pending {
  pax?: Map<string, Buffer>;
  longName?: string;
  longLink?: string;
}

function decimal(key: string, value: string, fractional = false): number {
  const re = fractional ? /^-?[0-9]+(\.[0-9]*)?$/ : /^[0-9]+$/;
  const n = Number(value);
  if (!re.test(value) || !Number.isFinite(n)) throw invalidArgument(`invalid PAX ${key} "${value}"`);
  return n;
}

function buildHeader(raw: RawHeader, pending: Pending): TarHeader {
  const header: TarHeader = {
    name: pending.longName ?? raw.name,
    type: entryTypeOf(raw.typeflag) ?? "file",
    mode: raw.mode & 0o7777,
    uid: raw.uid,
    gid: raw.gid,
    uname: raw.uname || undefined,
    gname: raw.gname || undefined,
    size: raw.size,
    mtime: raw.mtime,
    linkname: pending.longLink ?? raw.linkname,
    devmajor: raw.devmajor,
    devminor: raw.devminor,
    xattrs: new Map(),
  };
  for (const [key, bytes] of pending.pax ?? []) {
    const value = bytes.toString("utf8");
    if (key.startsWith("SCHILY.xattr.")) {
      header.xattrs.set(key.slice("SCHILY.xattr.".length), bytes);
    } else if (key.startsWith("LIBARCHIVE.xattr.")) {
      header.xattrs.set(
        decodeURIComponent(key.slice("LIBARCHIVE.xattr.".length)),
        Buffer.from(value, "base64"),
      );
    } else if (key.startsWith("GNU.sparse.")) {
      throw invalidArgument(`tar entry "${header.name}": sparse files are not supported`);
    } else if (value === "") {
      // an empty record unsets a value; ustar fields already hold the defaults
    } else if (key === "path") header.name = value;
    else if (key === "linkpath") header.linkname = value;
    else if (key === "size") header.size = decimal(key, value);
    else if (key === "uid") header.uid = decimal(key, value);
    else if (key === "gid") header.gid = decimal(key, value);
    else if (key === "mtime") header.mtime = decimal(key, value, true);
    else if (key === "atime") header.atime = decimal(key, value, true);
    else if (key === "uname") header.uname = value;
    else if (key === "gname") header.gname = value;
  }
  return header;
}

async function readMeta(r: ChunkReader, raw: RawHeader): Promise<Buffer> {
  if (raw.size > MAX_META_SIZE) throw invalidArgument(`tar extended header of ${raw.size} bytes is too big`);
  const data = (await r.exact(raw.size, "an extended header")) ?? EMPTY;
  if (data.length < raw.size) throw invalidArgument("truncated tar: stream ended inside an extended header");
  await r.skip(paddingOf(raw.size), "an extended header");
  return Buffer.from(data);
}

const cString = (b: Buffer) => {
  const nul = b.indexOf(0);
  return b.subarray(0, nul === -1 ? b.length : nul).toString("utf8");
};

/** Yields the entries of a tar stream; ends at the end-of-archive marker or a clean end of input. */
export async function* readTar(input: AsyncIterable<Uint8Array | string>): AsyncGenerator<TarEntry> {
  const r = new ChunkReader(input);
  let pending: Pending = {};
  try {
    for (;;) {
      const block = await r.exact(BLOCK, "a header");
      if (!block) return;
      const raw = decodeHeaderBlock(block);
      if (!raw) {
        await r.drain();
        return;
      }
      switch (raw.typeflag) {
        case "x":
          pending.pax = parsePaxRecords(await readMeta(r, raw));
          continue;
        case "g":
          await readMeta(r, raw);
          continue;
        case "L":
          pending.longName = cString(await readMeta(r, raw));
          continue;
        case "K":
          pending.longLink = cString(await readMeta(r, raw));
          continue;
      }
      const header = buildHeader(raw, pending);
      pending = {};
      if (!entryTypeOf(raw.typeflag)) {
        throw invalidArgument(`tar entry "${header.name}": unsupported entry type "${raw.typeflag}"`);
      }
      const bodySize = hasBody(raw.typeflag) ? header.size : 0;
      header.size = bodySize;
      const what = `the content of "${header.name}"`;
      let remaining = bodySize;
      const body = (async function* () {
        while (remaining > 0) {
          const chunk = await r.some(remaining, what);
          remaining -= chunk.length;
          yield chunk;
        }
      })();
      yield { header, body };
      await r.skip(remaining, what);
      await r.skipPadding(paddingOf(bodySize));
    }
  } finally {
    await r.close();
  }
}
