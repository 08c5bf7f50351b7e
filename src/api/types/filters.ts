/**
 * Docker's `filters` query parameter: a JSON map from key to a set of values. Two encodings arrive:
 *   {"dangling":{"true":true},"label":{"a=b":true}}   (the Go client's own form, API >= 1.22)
 *   {"dangling":["true"],"label":["a=b"]}             (the slice form, older clients and hand-written calls)
 * Both parse to the same `Filters`. The matchers copy moby's api/types/filters semantics. (pure)
 */
import { BerthError } from "../../lib/errors.js";

/** key -> distinct values, in first-seen order. */
export type Filters = Readonly<Record<string, readonly string[]>>;

export const emptyFilters: Filters = Object.freeze({});

function invalidFilter(key?: string, values?: readonly string[]): BerthError {
  let msg = "invalid filter";
  if (key !== undefined && key !== "") {
    msg += ` '${key}`;
    if (values !== undefined) msg += `=${values.join(",")}`;
    msg += "'";
  }
  return new BerthError("invalid-argument", msg);
}

/** Parses the `filters` query value; empty or absent is no filter. Throws invalid-argument (400). */
export function parseFilters(raw: string | null | undefined): Filters {
  if (raw === null || raw === undefined || raw.trim() === "") return emptyFilters;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new BerthError("invalid-argument", `invalid filter: ${(err as Error).message}`);
  }
  if (parsed === null) return emptyFilters;
  if (typeof parsed !== "object" || Array.isArray(parsed)) throw invalidFilter();
  const out: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    const values: string[] = [];
    if (Array.isArray(value)) {
      for (const v of value) {
        if (typeof v !== "string") throw invalidFilter();
        if (!values.includes(v)) values.push(v);
      }
    } else if (value !== null && typeof value === "object") {
      for (const [v, on] of Object.entries(value as Record<string, unknown>)) {
        if (typeof on !== "boolean") throw invalidFilter();
        if (on) values.push(v);
      }
    } else if (value !== null) {
      throw invalidFilter();
    }
    out[key] = values;
  }
  return out;
}

/** Encodes filters the way Docker's Go client does (the map form); "" when there are none. */
export function encodeFilters(
  filters: Readonly<Record<string, readonly string[] | string | undefined>>,
): string {
  const out: Record<string, Record<string, boolean>> = {};
  for (const [key, value] of Object.entries(filters)) {
    if (value === undefined) continue;
    const values = typeof value === "string" ? [value] : value;
    if (values.length === 0) continue;
    const set: Record<string, boolean> = {};
    for (const v of values) set[v] = true;
    out[key] = set;
  }
  return Object.keys(out).length === 0 ? "" : JSON.stringify(out);
}

/** Builds Filters from CLI-style "key=value" strings (`--filter label=a=b`). */
export function filtersFromPairs(pairs: readonly string[]): Filters {
  const out: Record<string, string[]> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0)
      throw new BerthError("invalid-argument", `bad format of filter (expected name=value): ${pair}`);
    const key = pair.slice(0, eq).trim().toLowerCase();
    const value = pair.slice(eq + 1);
    const values = out[key] ?? [];
    if (!values.includes(value)) values.push(value);
    out[key] = values;
  }
  return out;
}

/** Throws invalid-argument "invalid filter 'key'" for the first key not in `accepted`. */
export function validateFilters(filters: Filters, accepted: readonly string[]): void {
  for (const key of Object.keys(filters)) {
    if (!accepted.includes(key)) throw invalidFilter(key);
  }
}

export function hasFilter(filters: Filters, key: string): boolean {
  return Object.hasOwn(filters, key);
}

export function filterValues(filters: Filters, key: string): readonly string[] {
  return Object.hasOwn(filters, key) ? (filters[key] ?? []) : [];
}

/** True when the key has no values, or `source` is one of them. */
export function exactMatch(filters: Filters, key: string, source: string): boolean {
  const values = filterValues(filters, key);
  return values.length === 0 || values.includes(source);
}

/** Like exactMatch, and also true when one of the values is a prefix of `source` (ids, names). */
export function fuzzyMatch(filters: Filters, key: string, source: string): boolean {
  const values = filterValues(filters, key);
  return values.length === 0 || values.some((v) => source.startsWith(v));
}

/**
 * Label-style matching: every value ("k" or "k=v") must be present in `sources`.
 * True when the key has no values; false when there are values but no sources.
 */
export function matchKVList(
  filters: Filters,
  key: string,
  sources: Readonly<Record<string, string>> | undefined,
): boolean {
  const values = filterValues(filters, key);
  if (values.length === 0) return true;
  if (!sources || Object.keys(sources).length === 0) return false;
  for (const value of values) {
    const eq = value.indexOf("=");
    const k = eq < 0 ? value : value.slice(0, eq);
    if (!Object.hasOwn(sources, k)) return false;
    if (eq >= 0 && sources[k] !== value.slice(eq + 1)) return false;
  }
  return true;
}

/**
 * A boolean filter such as dangling=true: `def` when absent; throws invalid-argument when the values
 * are empty, not boolean, or conflicting (moby's GetBoolOrDefault).
 */
export function boolFilter(filters: Filters, key: string, def: boolean): boolean {
  if (!hasFilter(filters, key)) return def;
  const values = filterValues(filters, key);
  if (values.length === 0) throw invalidFilter(key);
  const isFalse = values.includes("0") || values.includes("false");
  const isTrue = values.includes("1") || values.includes("true");
  if (isFalse === isTrue) throw invalidFilter(key, values);
  return isTrue;
}
