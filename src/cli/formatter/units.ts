/**
 * docker/go-units and Go's time.Duration, as the docker CLI prints and parses sizes and durations.
 * Durations are JS milliseconds (fractions allowed, so 1ns = 1e-6 ms). (pure)
 */

import { invalidArgument } from "../../lib/errors.js";
import { formatGoFloat, parseGoFloat } from "../go-strconv.js";

const DECIMAL_ABBRS = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
const BINARY_ABBRS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];

function sizeAndUnit(size: number, base: number, abbrs: readonly string[]): [number, string] {
  let i = 0;
  let s = size;
  while (s >= base && i < abbrs.length - 1) {
    s /= base;
    i++;
  }
  return [s, abbrs[i] ?? ""];
}

/** units.HumanSizeWithPrecision: decimal units, `%.*g` digits: "1.23MB", "5.6kB", "0B", "1e+03kB". */
export function humanSizeWithPrecision(bytes: number, precision: number): string {
  const [s, unit] = sizeAndUnit(bytes, 1000, DECIMAL_ABBRS);
  return formatGoFloat(s, "g", precision) + unit;
}

/** What `docker images` and `docker ps -s` print: units.HumanSizeWithPrecision(size, 3). */
export function humanSize(bytes: number): string {
  return humanSizeWithPrecision(bytes, 3);
}

/** units.BytesSize: binary units, 4 significant digits: "1.5MiB", "44KiB". */
export function bytesSize(bytes: number): string {
  const [s, unit] = sizeAndUnit(bytes, 1024, BINARY_ABBRS);
  return formatGoFloat(s, "g", 4) + unit;
}

const DECIMAL_MAP: Record<string, number> = { k: 1e3, m: 1e6, g: 1e9, t: 1e12, p: 1e15 };
const BINARY_MAP: Record<string, number> = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50 };

function parseSize(sizeStr: string, unitMap: Record<string, number>): number {
  let num: string;
  let sfx: string;
  const space = sizeStr.indexOf(" ");
  if (space >= 0) {
    num = sizeStr.slice(0, space);
    sfx = sizeStr.slice(space + 1);
  } else {
    let sep = -1;
    for (let i = sizeStr.length - 1; i >= 0; i--) {
      if ("0123456789.".includes(sizeStr[i] ?? "")) {
        sep = i;
        break;
      }
    }
    if (sep === -1) throw invalidArgument(`invalid size: '${sizeStr}'`);
    num = sizeStr.slice(0, sep + 1);
    sfx = sizeStr.slice(sep + 1);
  }
  let size = parseGoFloat(num);
  if (size < 0) throw invalidArgument(`invalid size: '${sizeStr}'`);
  if (sfx.length === 0) return Math.trunc(size);
  const badSuffix = () => invalidArgument(`invalid suffix: '${sfx}'`);
  if (sfx.length > 3) throw badSuffix();
  sfx = sfx.toLowerCase();
  if (sfx[0] === "b") {
    if (sfx.length > 1) throw badSuffix();
    return Math.trunc(size);
  }
  const mul = unitMap[sfx[0] ?? ""];
  if (mul === undefined) throw badSuffix();
  size *= mul;
  if ((sfx.length === 2 && sfx[1] !== "b") || (sfx.length === 3 && sfx.slice(1) !== "ib")) throw badSuffix();
  return Math.trunc(size);
}

/**
 * units.RAMInBytes, which `--memory`, `--shm-size` and friends use: binary multipliers, the unit
 * case-insensitive and its "b"/"ib" optional ("12m", "1.5GiB", "512 kb"). Errors use go-units'
 * words: `invalid size: 'abc'`, `invalid suffix: 'zz'`, or strconv's for a malformed number.
 */
export function parseMemory(size: string): number {
  return parseSize(size, BINARY_MAP);
}

/** units.FromHumanSize: like parseMemory with decimal multipliers ("44kB" = 44000). */
export function parseHumanSize(size: string): number {
  return parseSize(size, DECIMAL_MAP);
}

export { humanDuration } from "../../lib/human-duration.js";

import { humanDuration } from "../../lib/human-duration.js";

/** "3 minutes ago", as docker prints CreatedSince. `now` is injected: this file reads no clock. */
export function ago(date: Date | number, now: Date | number): string {
  return `${humanDuration(Number(now) - Number(date))} ago`;
}

const NS_PER_UNIT: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  "\u00b5s": 1_000n, // U+00B5 micro sign
  "\u03bcs": 1_000n, // U+03BC Greek small letter mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const MAX_INT64 = (1n << 63n) - 1n;

/** time.ParseDuration's quoting in its errors: non-ASCII and control bytes become \xNN escapes. */
function quoteDuration(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp >= 0x80 || cp < 0x20) {
      for (const b of new TextEncoder().encode(ch)) out += `\\x${b.toString(16).padStart(2, "0")}`;
    } else out += ch === '"' || ch === "\\" ? `\\${ch}` : ch;
  }
  return `${out}"`;
}

/** Go's leadingFraction: digits after the point as an integer and its scale, stopping at overflow. */
function leadingFraction(digits: string): [number, number] {
  let x = 0n;
  let scale = 1;
  let overflow = false;
  for (const c of digits) {
    if (overflow) continue;
    if (x > MAX_INT64 / 10n) {
      overflow = true;
      continue;
    }
    const y = x * 10n + BigInt(c);
    if (y > 1n << 63n) {
      overflow = true;
      continue;
    }
    x = y;
    scale *= 10;
  }
  return [Number(x), scale];
}

/** Go's time.ParseDuration, in nanoseconds: "1h30m", "1.5s", "-2m", "300ms", "0". */
export function parseDurationNanos(input: string): bigint {
  const invalid = () => invalidArgument(`time: invalid duration ${quoteDuration(input)}`);
  let s = input;
  let neg = false;
  if (s !== "" && (s[0] === "-" || s[0] === "+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0n;
  if (s === "") throw invalid();
  let d = 0n;
  while (s !== "") {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s);
    const intPart = m?.[1] ?? "";
    const fracPart = m?.[2];
    if (intPart === "" && !fracPart) throw invalid();
    s = s.slice(m?.[0].length ?? 0);
    const u = /^[^\d.]*/.exec(s)?.[0] ?? "";
    if (u === "") throw invalidArgument(`time: missing unit in duration ${quoteDuration(input)}`);
    const unit = NS_PER_UNIT[u];
    if (unit === undefined) {
      throw invalidArgument(`time: unknown unit ${quoteDuration(u)} in duration ${quoteDuration(input)}`);
    }
    s = s.slice(u.length);
    const whole = BigInt(intPart === "" ? "0" : intPart);
    if (whole > (1n << 63n) / unit) throw invalid();
    let v = whole * unit;
    if (fracPart) {
      const [f, scale] = leadingFraction(fracPart);
      // Go computes the fraction in float64 and truncates.
      if (f > 0) v += BigInt(Math.trunc(f * (Number(unit) / scale)));
      if (v > 1n << 63n) throw invalid();
    }
    d += v;
    if (d > 1n << 63n) throw invalid();
  }
  if (neg) return -d;
  if (d > MAX_INT64) throw invalid();
  return d;
}

/** Go's time.ParseDuration, in milliseconds (1ns = 1e-6). */
export function parseDuration(input: string): number {
  return Number(parseDurationNanos(input)) / 1e6;
}

function fmtFrac(v: bigint, prec: number): [string, bigint] {
  let digits = "";
  let print = false;
  let w = v;
  for (let i = 0; i < prec; i++) {
    const digit = w % 10n;
    print = print || digit !== 0n;
    if (print) digits = String(digit) + digits;
    w /= 10n;
  }
  return [print ? `.${digits}` : "", w];
}

/** Go's time.Duration.String for nanoseconds: "1h2m3.5s", "1.5ms", "2µs", "0s". */
export function formatDurationNanos(nanos: bigint): string {
  const neg = nanos < 0n;
  let u = neg ? -nanos : nanos;
  let out: string;
  if (u < 1_000_000_000n) {
    if (u === 0n) return "0s";
    let prec: number;
    let unit: string;
    if (u < 1_000n) {
      prec = 0;
      unit = "ns";
    } else if (u < 1_000_000n) {
      prec = 3;
      unit = "µs";
    } else {
      prec = 6;
      unit = "ms";
    }
    const [frac, whole] = fmtFrac(u, prec);
    out = `${whole}${frac}${unit}`;
  } else {
    const [frac, secsTotal] = fmtFrac(u, 9);
    u = secsTotal;
    out = `${u % 60n}${frac}s`;
    u /= 60n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}

/** Go's time.Duration.String for milliseconds: formatDuration(90_000) = "1m30s". */
export function formatDuration(ms: number): string {
  return formatDurationNanos(BigInt(Math.round(ms * 1e6)));
}
