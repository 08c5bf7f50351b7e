/**
 * Byte sizes as Docker writes them (docker/go-units RAMInBytes): "512m", "1gb", "1.5G", "64k",
 * "2048"; binary multiples, an optional "b"/"ib" after the unit. Pure. Used by compose
 * (mem_limit, shm_size, tmpfs size) and the CLI (builder prune --keep-storage).
 */

const MULTIPLES: Readonly<Record<string, number>> = {
  "": 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
  p: 1024 ** 5,
};

/** Bytes, or undefined when `input` is not a size (a number must be a non-negative integer). */
export function parseByteSize(input: string | number): number | undefined {
  if (typeof input === "number") return Number.isInteger(input) && input >= 0 ? input : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgtp]?)(i?b)?\s*$/i.exec(input);
  if (!m) return undefined;
  // go-units truncates (int64(size * multiplier)).
  return Math.floor(Number(m[1]) * MULTIPLES[m[2]!.toLowerCase()]!);
}
