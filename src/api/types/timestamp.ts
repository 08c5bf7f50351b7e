/**
 * Timestamps in query parameters (events since/until, logs since/until). Docker clients send
 * "<seconds>[.<fraction>]" (the CLI converts durations and dates before sending); RFC 3339 is accepted
 * too. Values are Unix nanoseconds as bigint, so nanosecond precision survives. (pure)
 */
import { BerthError } from "../../lib/errors.js";

const UNIX = /^(-?\d+)(?:\.(\d{1,9})\d*)?$/;
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9})\d*)?)?)?([Zz]|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses a timestamp to Unix nanoseconds; undefined for an absent or empty value.
 * A date without a zone is UTC. Throws invalid-argument on anything else.
 */
export function parseTimestamp(value: string | null | undefined): bigint | undefined {
  if (value === null || value === undefined || value === "") return undefined;
  const unix = UNIX.exec(value);
  if (unix) {
    const sec = BigInt(unix[1]!);
    const frac = BigInt((unix[2] ?? "").padEnd(9, "0"));
    return sec * 1_000_000_000n + (sec < 0n ? -frac : frac);
  }
  const m = RFC3339.exec(value);
  if (m) {
    const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "", zone = "Z"] = m;
    const [month, day, hour, min, sec] = [mo, d, h, mi, s].map(Number) as [
      number,
      number,
      number,
      number,
      number,
    ];
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60) {
      throw invalidTimestamp(value);
    }
    const ms = Date.UTC(Number(y), month - 1, day, hour, min, sec);
    let offsetMin = 0;
    if (zone !== "Z" && zone !== "z") {
      const sign = zone.startsWith("-") ? -1 : 1;
      const digits = zone.slice(1).replace(":", "");
      offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
    }
    return BigInt(ms - offsetMin * 60_000) * 1_000_000n + BigInt(frac.padEnd(9, "0"));
  }
  throw invalidTimestamp(value);
}

function invalidTimestamp(value: string): BerthError {
  return new BerthError(
    "invalid-argument",
    `invalid timestamp "${value}": expected Unix seconds or RFC 3339`,
  );
}

/** Unix nanoseconds -> Docker's "<seconds>.<nanoseconds>" query form. */
export function formatTimestamp(nanos: bigint): string {
  const neg = nanos < 0n;
  const abs = neg ? -nanos : nanos;
  const sec = abs / 1_000_000_000n;
  const frac = (abs % 1_000_000_000n).toString().padStart(9, "0");
  return `${neg ? "-" : ""}${sec}.${frac}`;
}

/** Date or Unix seconds (fractional allowed) -> Unix nanoseconds. */
export function toNanos(value: Date | number): bigint {
  if (value instanceof Date) return BigInt(value.getTime()) * 1_000_000n;
  const whole = Math.trunc(value);
  return BigInt(whole) * 1_000_000_000n + BigInt(Math.round((value - whole) * 1e9));
}
