/**
 * conmon's "k8s-file" log format (the CRI log format), one record per line:
 *
 *     2024-05-01T12:00:00.123456789+02:00 stdout F hello world
 *     2024-05-01T12:00:00.123456789+02:00 stderr P no newline ye
 *
 * - time: RFC 3339 with nanoseconds and the host's local UTC offset.
 * - stream: stdout | stderr (with a tty everything is stdout, carriage returns included).
 * - tag: F = the line ended with "\n" (which the record's own newline stands for); P = partial: the
 *   process wrote no newline (yet), or the line was longer than conmon's 8 KiB read buffer. The
 *   original bytes are the concatenation of `line + (partial ? "" : "\n")` over records.
 *
 * Pure: parsing and formatting only. Reading files is log-file.ts.
 */

export type LogStream = "stdout" | "stderr";

export interface LogEntry {
  /** The timestamp exactly as written. */
  time: string;
  /** The same instant as Unix nanoseconds (Date has only milliseconds). */
  timeNs: bigint;
  stream: LogStream;
  /** True for a "P" record: this piece did not end in a newline. */
  partial: boolean;
  /** The text, without the record's newline. */
  line: Buffer;
}

const SPACE = 0x20;
const TS_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** RFC 3339 (nanosecond precision, any offset) → Unix nanoseconds; undefined if malformed. */
export function parseTimestampNs(ts: string): bigint | undefined {
  const m = TS_RE.exec(ts);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(ms)) return undefined;
  let ns = BigInt(ms) * 1_000_000n + BigInt((frac ?? "").padEnd(9, "0") || "0");
  if (zone && zone !== "Z") {
    const sign = zone[0] === "-" ? -1n : 1n;
    const offMin = BigInt(Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
    ns -= sign * offMin * 60_000_000_000n;
  }
  return ns;
}

/** Unix nanoseconds → RFC 3339 in UTC with nine fraction digits (Docker's RFC3339Nano keeps 9). */
export function formatTimestampNs(ns: bigint): string {
  const ms = ns / 1_000_000n;
  const iso = new Date(Number(ms)).toISOString(); // 2024-05-01T10:00:00.123Z
  const frac = (((ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n).toString().padStart(9, "0");
  return `${iso.slice(0, 19)}.${frac}Z`;
}

/** Parses one record (without its trailing newline). Returns undefined for a malformed record. */
export function parseLogLine(record: Buffer): LogEntry | undefined {
  const a = record.indexOf(SPACE);
  if (a <= 0) return undefined;
  const b = record.indexOf(SPACE, a + 1);
  if (b < 0) return undefined;
  const time = record.toString("latin1", 0, a);
  const stream = record.toString("latin1", a + 1, b);
  if (stream !== "stdout" && stream !== "stderr") return undefined;
  const tag = record[b + 1];
  const tagEnd = b + 2;
  if ((tag !== 0x46 && tag !== 0x50) || (tagEnd < record.length && record[tagEnd] !== SPACE))
    return undefined;
  const timeNs = parseTimestampNs(time);
  if (timeNs === undefined) return undefined;
  // conmon always writes the space after the tag; tolerate its absence on an empty line.
  const line = record.subarray(Math.min(tagEnd + 1, record.length));
  return { time, timeNs, stream, partial: tag === 0x50, line };
}

/** Formats a record (with its newline): the inverse of parseLogLine. */
export function formatLogLine(e: Pick<LogEntry, "time" | "stream" | "partial" | "line">): Buffer {
  return Buffer.concat([
    Buffer.from(`${e.time} ${e.stream} ${e.partial ? "P" : "F"} `),
    e.line,
    Buffer.from("\n"),
  ]);
}

/** Splits a buffer into complete records; returns them and the unfinished rest. */
export function splitRecords(buf: Buffer): { records: Buffer[]; rest: Buffer } {
  const records: Buffer[] = [];
  let start = 0;
  for (let i = buf.indexOf(0x0a); i >= 0; i = buf.indexOf(0x0a, start)) {
    records.push(buf.subarray(start, i));
    start = i + 1;
  }
  return { records, rest: buf.subarray(start) };
}
