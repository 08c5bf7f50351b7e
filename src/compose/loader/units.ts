/**
 * Compose's scalar units: Go durations ("1m30s", as time.Duration prints them) and byte sizes
 * (docker/go-units RAMInBytes: "512m", "1g", "1gb"; binary multiples), both as Compose prints them.
 */
import { parseByteSize } from "../../lib/byte-size.js";

const DURATION_UNITS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Parses a Go duration ("1m30s", "1.5s", "100ms"); a bare number counts as seconds. Returns nanoseconds. */
export function parseDuration(input: string | number): number | undefined {
  if (typeof input === "number") return Number.isFinite(input) ? Math.round(input * 1e9) : undefined;
  const s = input.trim();
  if (s === "0") return 0;
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1e9);
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let pos = 0;
  if (s.length === 0) return undefined;
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * DURATION_UNITS[m[2]!]!;
    pos = re.lastIndex;
  }
  return Math.round(total);
}

/** Formats nanoseconds like Go's time.Duration.String(): "30s", "1m30s", "1h0m0s", "500ms", "1.5s". */
export function formatDuration(ns: number): string {
  if (ns === 0) return "0s";
  const neg = ns < 0;
  let n = Math.abs(ns);
  let out: string;
  if (n < 1e9) {
    if (n < 1e3) out = `${n}ns`;
    else if (n < 1e6) out = `${trimFraction(n / 1e3)}µs`;
    else out = `${trimFraction(n / 1e6)}ms`;
  } else {
    const h = Math.floor(n / 3600e9);
    n -= h * 3600e9;
    const m = Math.floor(n / 60e9);
    n -= m * 60e9;
    const sec = `${trimFraction(n / 1e9)}s`;
    out = h > 0 ? `${h}h${m}m${sec}` : m > 0 ? `${m}m${sec}` : sec;
  }
  return neg ? `-${out}` : out;
}

function trimFraction(x: number): string {
  return String(Number(x.toFixed(9)));
}

/** Parses a byte size ("512m", "1gb", "1.5g", 1024) into bytes. */
export const parseBytes = parseByteSize;
