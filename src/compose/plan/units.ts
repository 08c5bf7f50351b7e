/**
 * Go duration strings and byte sizes as the compose model carries them, to Engine API numbers
 * (pure): the loader's parsers, with an error for a value they refuse.
 */
import { parseByteSize } from "../../lib/byte-size.js";
import { invalidArgument } from "../../lib/errors.js";
import { parseDuration } from "../loader/units.js";

/** "1m30s" -> 90e9 nanoseconds; a bare number is seconds. */
export function durationNs(d: string | number): number {
  const ns = parseDuration(d);
  if (ns === undefined) throw invalidArgument(`invalid duration "${d}"`);
  return ns;
}

/** "536870912", "512m", "1g", 1024 -> bytes. */
export function bytesOf(v: string | number): number {
  const n = parseByteSize(v);
  if (n === undefined) throw invalidArgument(`invalid size "${v}"`);
  return n;
}
