/** Go duration strings and byte sizes as the compose model carries them, to Engine API numbers. (pure) */
import { invalidArgument } from "../../lib/errors.js";

const UNIT_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** "1m30s" -> 90e9 nanoseconds; a bare number is seconds. */
export function durationNs(d: string | number): number {
  if (typeof d === "number") return Math.round(d * 1e9);
  const s = d.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1e9);
  let total = 0;
  let rest = s;
  if (rest === "0") return 0;
  while (rest !== "") {
    const m = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/.exec(rest);
    if (!m) throw invalidArgument(`invalid duration "${d}"`);
    total += Number(m[1]) * UNIT_NS[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return Math.round(total);
}

/** "536870912", "512m", "1g", 1024 -> bytes. */
export function bytesOf(v: string | number): number {
  if (typeof v === "number") return v;
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(v.trim());
  if (!m) throw invalidArgument(`invalid size "${v}"`);
  const mult = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2]!.toLowerCase()] ?? 1;
  return Math.round(Number(m[1]) * mult);
}
