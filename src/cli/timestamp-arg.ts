/**
 * The --since/--until values of `events` and `logs`, converted before they are sent, as the docker
 * client converts them (moby's api/types/time GetTimestamp):
 *
 *   "10m", "1h30m"                   a Go duration: now minus it, as whole Unix seconds ("1700000000")
 *   "2024-01-02", "2024-01-02T15",
 *   "2024-01-02T15:04[:05[.999]]"    local time (now's UTC offset): "<seconds>.<nanoseconds>"
 *   "…Z", "…+01:00"                  the same with a zone: "<seconds>.<nanoseconds>"
 *   "1700000000[.5]"                 a Unix timestamp: sent as given
 *
 *   parseTimestampArg("2024-01-01T00:00:00Z", new Date())  // "1704067200.000000000"
 *
 * Anything else throws invalid-argument (`failed to parse value as time or duration: "xyz"`).
 * (pure: the clock is a parameter)
 */

import { invalidArgument } from "../lib/errors.js";
import { parseDurationNanos } from "./formatter/units.js";
import { goQuote } from "./go-strconv.js";

const NS = 1_000_000_000n;

/** Floor division for bigint (Go's Time.Unix rounds toward the past). */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

function nowNanos(now: Date): bigint {
  return BigInt(now.getTime()) * 1_000_000n;
}

function durationNanos(value: string): bigint | undefined {
  if (value === "0") return undefined;
  try {
    return parseDurationNanos(value);
  } catch {
    return undefined;
  }
}

/** The Go layout a value is parsed with, as a regexp: date, hour, minute, second, fraction, zone. */
interface Layout {
  readonly name: string;
  readonly re: RegExp;
}

const D = String.raw`(\d{4})-(\d{2})-(\d{2})`;
const Z = String.raw`(Z|[+-]\d{2}:\d{2})`;

function layoutFor(value: string, local: boolean): Layout {
  if (value.includes(".")) {
    return local
      ? {
          name: "2006-01-02T15:04:05.999999999",
          re: new RegExp(`^${D}T(\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?()$`),
        }
      : {
          name: "2006-01-02T15:04:05.999999999Z07:00",
          re: new RegExp(`^${D}T(\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?${Z}$`),
        };
  }
  if (value.includes("T")) {
    let colons = [...value].filter((c) => c === ":").length;
    // A numeric zone offset brings one more colon.
    if (!local && !/[zZ]/.test(value) && colons > 0) colons--;
    const zone = local ? "()" : Z;
    const suffix = local ? "" : "Z07:00";
    if (colons === 0)
      return { name: `2006-01-02T15${suffix}`, re: new RegExp(`^${D}T(\\d{2})()()()${zone}$`) };
    if (colons === 1) {
      return { name: `2006-01-02T15:04${suffix}`, re: new RegExp(`^${D}T(\\d{2}):(\\d{2})()()${zone}$`) };
    }
    return {
      name: `2006-01-02T15:04:05${suffix}`,
      re: new RegExp(`^${D}T(\\d{2}):(\\d{2}):(\\d{2})()${zone}$`),
    };
  }
  return local
    ? { name: "2006-01-02", re: new RegExp(`^${D}()()()()()$`) }
    : { name: "2006-01-02Z07:00", re: new RegExp(`^${D}()()()()${Z}$`) };
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Which field Go's time.Parse would call out of range, checked in its order. */
function rangeError(y: number, mo: number, d: number, h: number, mi: number, s: number): string | undefined {
  if (mo < 1 || mo > 12) return "month";
  if (d < 1 || d > daysIn(y, mo)) return "day";
  if (h > 23) return "hour";
  if (mi > 59) return "minute";
  if (s > 59) return "second";
  return undefined;
}

/**
 * Unix nanoseconds of a date-time value, or undefined when it does not match its layout. Throws for a
 * field out of range (Go: `parsing time "2024-13-01": month out of range`).
 */
function parseDateTime(value: string, layout: Layout, localOffsetMin: number): bigint | undefined {
  const m = layout.re.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((x) => (x === "" || x === undefined ? 0 : Number(x))) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const outOfRange = rangeError(y, mo, d, h, mi, s);
  if (outOfRange) throw invalidArgument(`parsing time ${goQuote(value)}: ${outOfRange} out of range`);
  const frac = BigInt((m[7] ?? "").padEnd(9, "0"));
  const zone = m[8] ?? "";
  let offsetMin = localOffsetMin;
  if (zone === "Z") offsetMin = 0;
  else if (zone !== "") {
    const sign = zone[0] === "-" ? -1 : 1;
    offsetMin = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  }
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) - offsetMin * 60_000;
  return BigInt(ms) * 1_000_000n + frac;
}

/** strconv.ParseInt on both halves of "<seconds>[.<fraction>]" (moby's parseTimestamp). */
function isUnixTimestamp(value: string): boolean {
  const dot = value.indexOf(".");
  const parts = dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
  try {
    for (const p of parts) {
      if (!/^[+-]?\d+$/.test(p)) return false;
      // Base 10 as moby's strconv.ParseInt(s, 10, 64): "090" is ninety, not bad octal.
      const n = BigInt(p);
      if (n > 9223372036854775807n || n < -9223372036854775808n) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** Converts a --since/--until value to what the Engine API takes; see the module comment. */
export function parseTimestampArg(value: string, now: Date): string {
  const d = durationNanos(value);
  if (d !== undefined) return String(floorDiv(nowNanos(now) - d, NS));

  // A zone (Z or +hh:mm) or a negative offset (the third '-') means the value carries its own zone.
  const local = !/[zZ+]/.test(value) && value.split("-").length - 1 !== 3;
  const layout = layoutFor(value, local);
  const nanos = parseDateTime(value, layout, -now.getTimezoneOffset());
  if (nanos !== undefined) {
    const sec = floorDiv(nanos, NS);
    return `${sec}.${String(nanos - sec * NS).padStart(9, "0")}`;
  }
  if (value.includes("-")) {
    const what = `${goQuote(value)} as ${goQuote(layout.name)}`;
    throw invalidArgument(`parsing time ${what}: cannot parse ${what}`);
  }
  if (!isUnixTimestamp(value))
    throw invalidArgument(`failed to parse value as time or duration: ${goQuote(value)}`);
  return value;
}
