/**
 * Query parameter readers with Docker's semantics (moby httputils.BoolValue and friends).
 * Pure: they read a URLSearchParams and throw invalid-argument on bad input.
 */
import { BerthError } from "../../lib/errors.js";

/** Docker's boolean: absent, "", "0", "no", "false" and "none" are false; anything else is true. */
export function queryBool(query: URLSearchParams, name: string): boolean {
  const v = (query.get(name) ?? "").trim().toLowerCase();
  return !(v === "" || v === "0" || v === "no" || v === "false" || v === "none");
}

/** Like queryBool, but `def` when the parameter is absent or empty. */
export function queryBoolOr(query: URLSearchParams, name: string, def: boolean): boolean {
  const v = query.get(name);
  return v === null || v.trim() === "" ? def : queryBool(query, name);
}

/** An integer parameter; `def` when absent or empty; invalid-argument when not an integer. */
export function queryInt(query: URLSearchParams, name: string, def: number): number {
  const v = query.get(name);
  if (v === null || v.trim() === "") return def;
  if (!/^-?\d+$/.test(v.trim())) {
    throw new BerthError("invalid-argument", `invalid value for ${name}: ${JSON.stringify(v)}`);
  }
  return Number.parseInt(v, 10);
}

/** A string parameter, or undefined when absent or empty. */
export function queryString(query: URLSearchParams, name: string): string | undefined {
  const v = query.get(name);
  return v === null || v === "" ? undefined : v;
}
