/**
 * The tar header codec (pure): 512-byte ustar/GNU/v7 header blocks and PAX extended records.
 *
 * berth reads and writes tar itself rather than through a library because layer tars carry binary
 * PAX values (SCHILY.xattr.security.capability) that must survive byte for byte; string-based
 * codecs decode them as UTF-8 and lose them.
 *
 * Header block layout (POSIX ustar; GNU differs only past byte 345):
 *   name 0..100  mode 100..108  uid 108..116  gid 116..124  size 124..136  mtime 136..148
 *   chksum 148..156  typeflag 156  linkname 157..257  magic 257..263  version 263..265
 *   uname 265..297  gname 297..329  devmajor 329..337  devminor 337..345  prefix 345..500
 */
import { invalidArgument } from "../../lib/errors.js";

export const BLOCK = 512;

/** Entry types berth handles; the reader maps "0", "7" and "\0" to "file". */
export type TarEntryType = "file" | "hardlink" | "symlink" | "char" | "block" | "dir" | "fifo";

export interface TarHeader {
  /** The name as stored (PAX path or GNU long name applied), not cleaned. */
  name: string;
  type: TarEntryType;
  /** Permission bits including setuid, setgid and sticky (mode & 0o7777). */
  mode: number;
  uid: number;
  gid: number;
  uname?: string;
  gname?: string;
  /** Bytes of content; 0 for every type but "file". */
  size: number;
  /** Seconds since the epoch; fractional when it came from a PAX record. */
  mtime: number;
  atime?: number;
  /** Symlink target or hardlink target; "" otherwise. */
  linkname: string;
  devmajor: number;
  devminor: number;
  /** Extended attributes (PAX SCHILY.xattr.*), values as raw bytes. */
  xattrs: Map<string, Buffer>;
}

/** One decoded header block before PAX and GNU long-name records are applied. */
export interface RawHeader {
  name: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  typeflag: string;
  linkname: string;
  uname: string;
  gname: string;
  devmajor: number;
  devminor: number;
  format: "ustar" | "gnu" | "v7";
}

const TYPEFLAGS: Record<TarEntryType, string> = {
  file: "0",
  hardlink: "1",
  symlink: "2",
  char: "3",
  block: "4",
  dir: "5",
  fifo: "6",
};

export function entryTypeOf(typeflag: string): TarEntryType | undefined {
  switch (typeflag) {
    case "0":
    case "7":
      return "file";
    case "1":
      return "hardlink";
    case "2":
      return "symlink";
    case "3":
      return "char";
    case "4":
      return "block";
    case "5":
      return "dir";
    case "6":
      return "fifo";
    default:
      return undefined;
  }
}

/** Types whose size field does not describe a body (as Go's archive/tar treats them). */
export function hasBody(typeflag: string): boolean {
  return !["1", "2", "3", "4", "5", "6"].includes(typeflag);
}

export function paddingOf(size: number): number {
  const rest = size % BLOCK;
  return rest === 0 ? 0 : BLOCK - rest;
}

function cString(block: Buffer, start: number, len: number): string {
  const field = block.subarray(start, start + len);
  const nul = field.indexOf(0);
  return field.subarray(0, nul === -1 ? len : nul).toString("utf8");
}

function numeric(block: Buffer, start: number, len: number, field: string): number {
  const bytes = block.subarray(start, start + len);
  if (bytes[0] !== undefined && bytes[0] & 0x80) {
    // base-256: 0x80 marks a positive number, 0xff a negative one (never valid for us).
    if (bytes[0] === 0xff) throw invalidArgument(`tar header: negative ${field}`);
    let n = bytes[0] & 0x7f;
    for (let i = 1; i < bytes.length; i++) n = n * 256 + (bytes[i] ?? 0);
    if (!Number.isSafeInteger(n)) throw invalidArgument(`tar header: ${field} out of range`);
    return n;
  }
  const text = bytes
    .toString("latin1")
    .replace(/^[ \0]+/, "")
    .replace(/[ \0]+$/, "");
  if (text === "") return 0;
  if (!/^[0-7]+$/.test(text)) throw invalidArgument(`tar header: invalid ${field} "${text}"`);
  return Number.parseInt(text, 8);
}

function checksums(block: Buffer): { unsigned: number; signed: number } {
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return { unsigned, signed };
}

/** Decodes one header block; undefined for an all-zero block (end of archive). */
export function decodeHeaderBlock(block: Buffer): RawHeader | undefined {
  if (block.length !== BLOCK) throw invalidArgument("tar header: short block");
  if (block.every((b) => b === 0)) return undefined;
  const stored = numeric(block, 148, 8, "checksum");
  const sums = checksums(block);
  if (stored !== sums.unsigned && stored !== sums.signed) {
    throw invalidArgument("invalid tar header checksum (is the layer corrupt or still compressed?)");
  }
  const magic = block.subarray(257, 263).toString("latin1");
  const version = block.subarray(263, 265).toString("latin1");
  const format = magic === "ustar\0" ? "ustar" : magic === "ustar " && version === " \0" ? "gnu" : "v7";
  let name = cString(block, 0, 100);
  if (format === "ustar") {
    const prefix = cString(block, 345, 155);
    if (prefix !== "") name = `${prefix}/${name}`;
  }
  let typeflag = String.fromCharCode(block[156] ?? 0);
  if (typeflag === "\0") typeflag = "0";
  if (typeflag === "0" && name.endsWith("/")) typeflag = "5";
  return {
    name,
    mode: numeric(block, 100, 8, "mode"),
    uid: numeric(block, 108, 8, "uid"),
    gid: numeric(block, 116, 8, "gid"),
    size: numeric(block, 124, 12, "size"),
    mtime: numeric(block, 136, 12, "mtime"),
    typeflag,
    linkname: cString(block, 157, 100),
    uname: format === "v7" ? "" : cString(block, 265, 32),
    gname: format === "v7" ? "" : cString(block, 297, 32),
    devmajor: format === "v7" ? 0 : numeric(block, 329, 8, "devmajor"),
    devminor: format === "v7" ? 0 : numeric(block, 337, 8, "devminor"),
    format,
  };
}

/** Parses PAX extended header records ("<len> <key>=<value>\n"); values stay raw bytes. */
export function parsePaxRecords(data: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let pos = 0;
  while (pos < data.length) {
    if (data[pos] === 0) break; // some writers pad the record block with NULs
    const space = data.indexOf(0x20, pos);
    const lenText = space === -1 ? "" : data.subarray(pos, space).toString("latin1");
    const len = /^[0-9]+$/.test(lenText) ? Number.parseInt(lenText, 10) : Number.NaN;
    if (!(len > 0) || pos + len > data.length || data[pos + len - 1] !== 0x0a) {
      throw invalidArgument("invalid PAX extended header record");
    }
    const record = data.subarray(space + 1, pos + len - 1);
    const eq = record.indexOf(0x3d);
    if (eq <= 0) throw invalidArgument("invalid PAX extended header record");
    out.set(record.subarray(0, eq).toString("utf8"), Buffer.from(record.subarray(eq + 1)));
    pos += len;
  }
  return out;
}

export function encodePaxRecords(records: ReadonlyArray<readonly [string, Buffer]>): Buffer {
  const parts: Buffer[] = [];
  for (const [key, value] of records) {
    const body = Buffer.concat([Buffer.from(` ${key}=`, "utf8"), value, Buffer.from("\n")]);
    let len = body.length + 1;
    while (String(len).length + body.length !== len) len = String(len).length + body.length;
    parts.push(Buffer.from(String(len), "latin1"), body);
  }
  return Buffer.concat(parts);
}

const MAX_OCTAL_7 = 0o7777777;
const MAX_OCTAL_11 = 0o77777777777;

const isAscii = (s: string) => /^[\x01-\x7f]*$/.test(s);

/** A best-effort ustar field for a value that PAX carries in full. */
const asciiField = (s: string, len: number) => s.replace(/[^\x01-\x7f]/g, "_").slice(0, len);

/** Splits a name into ustar prefix and name fields, or undefined when it cannot fit. */
function splitUstarName(name: string): { prefix: string; name: string } | undefined {
  if (!isAscii(name)) return undefined;
  if (name.length <= 100) return { prefix: "", name };
  for (let i = Math.min(name.length - 1, 155); i > 0; i--) {
    if (name[i] === "/" && name.length - i - 1 <= 100 && name.length - i - 1 > 0) {
      return { prefix: name.slice(0, i), name: name.slice(i + 1) };
    }
  }
  return undefined;
}

function writeString(block: Buffer, start: number, len: number, value: string): void {
  block.write(value, start, len, "utf8");
}

function writeOctal(block: Buffer, start: number, len: number, value: number): void {
  // len - 1 digits and a trailing NUL, as Go and GNU tar write them.
  block.write(value.toString(8).padStart(len - 1, "0"), start, len - 1, "latin1");
  block[start + len - 1] = 0;
}

function encodeBlock(h: TarHeader, typeflag: string, name: { prefix: string; name: string }): Buffer {
  const block = Buffer.alloc(BLOCK);
  writeString(block, 0, 100, name.name);
  writeOctal(block, 100, 8, h.mode & 0o7777);
  writeOctal(block, 108, 8, Math.min(h.uid, MAX_OCTAL_7));
  writeOctal(block, 116, 8, Math.min(h.gid, MAX_OCTAL_7));
  writeOctal(block, 124, 12, Math.min(h.size, MAX_OCTAL_11));
  writeOctal(block, 136, 12, Math.min(Math.max(Math.floor(h.mtime), 0), MAX_OCTAL_11));
  block[156] = typeflag.charCodeAt(0);
  writeString(block, 157, 100, h.linkname);
  block.write("ustar\x0000", 257, 8, "latin1");
  writeString(block, 265, 32, h.uname ?? "");
  writeString(block, 297, 32, h.gname ?? "");
  writeOctal(block, 329, 8, Math.min(h.devmajor, MAX_OCTAL_7));
  writeOctal(block, 337, 8, Math.min(h.devminor, MAX_OCTAL_7));
  writeString(block, 345, 155, name.prefix);
  block.fill(0x20, 148, 156);
  writeOctal(block, 148, 7, checksums(block).unsigned);
  block[155] = 0x20;
  return block;
}

/** PAX records needed so that `h` survives a round trip, sorted by key (as Go writes them). */
function paxRecordsFor(
  h: TarHeader,
  split: { prefix: string; name: string } | undefined,
): [string, Buffer][] {
  const records: [string, Buffer][] = [];
  const text = (key: string, value: string) => records.push([key, Buffer.from(value, "utf8")]);
  if (!split) text("path", h.name);
  if (h.linkname.length > 100 || !isAscii(h.linkname)) text("linkpath", h.linkname);
  if (h.uid > MAX_OCTAL_7) text("uid", String(h.uid));
  if (h.gid > MAX_OCTAL_7) text("gid", String(h.gid));
  if (h.size > MAX_OCTAL_11) text("size", String(h.size));
  const mtime = Math.floor(h.mtime);
  if (mtime < 0 || mtime > MAX_OCTAL_11) text("mtime", String(mtime));
  if (h.uname && (h.uname.length > 32 || !isAscii(h.uname))) text("uname", h.uname);
  if (h.gname && (h.gname.length > 32 || !isAscii(h.gname))) text("gname", h.gname);
  for (const [name, value] of h.xattrs) records.push([`SCHILY.xattr.${name}`, value]);
  return records.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Encodes the header blocks for one entry: a ustar block, preceded by a PAX extended header when
 * a field does not fit ustar (long or non-ASCII names, big ids or sizes, xattrs). The caller writes
 * `h.size` bytes of content and `paddingOf(h.size)` zero bytes after it.
 */
export function encodeHeader(h: TarHeader): Buffer {
  const typeflag = TYPEFLAGS[h.type];
  const split = splitUstarName(h.name);
  const records = paxRecordsFor(h, split);
  if (records.length === 0 && split) return encodeBlock(h, typeflag, split);
  const pax = encodePaxRecords(records);
  const base = h.name.replace(/\/+$/, "").split("/").pop() ?? "";
  const paxName = asciiField(`PaxHeaders.0/${base}`, 100);
  const paxHeader: TarHeader = {
    name: paxName,
    type: "file",
    mode: 0o644,
    uid: 0,
    gid: 0,
    size: pax.length,
    mtime: 0,
    linkname: "",
    devmajor: 0,
    devminor: 0,
    xattrs: new Map(),
  };
  const shortName = split ?? { prefix: "", name: asciiField(h.name, 100) };
  const linkname = asciiField(h.linkname, 100);
  return Buffer.concat([
    encodeBlock(paxHeader, "x", { prefix: "", name: paxName }),
    pax,
    Buffer.alloc(paddingOf(pax.length)),
    encodeBlock({ ...h, linkname }, typeflag, shortName),
  ]);
}

/** Two zero blocks end an archive. */
export const END_OF_ARCHIVE: Buffer = Buffer.alloc(2 * BLOCK);
