/**
 * Private JSON shape checks shared by the oci parsers. Every message starts with
 * "invalid <document>:" and names the JSON path, e.g. `invalid image manifest: layers[2].size must be a
 * non-negative integer, got string "12"`.
 */
import type { Digest } from "../lib/digest.js";
import { isDigest } from "../lib/digest.js";
import { invalidArgument } from "../lib/errors.js";

export type JsonObject = Record<string, unknown>;

/** Decodes UTF-8 bytes (or a string) as JSON; `what` names the document in error messages. */
export function decodeJson(bytes: Uint8Array | string, what: string): unknown {
  const text = typeof bytes === "string" ? bytes : new TextDecoder().decode(bytes);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw invalidArgument(`invalid ${what}: not valid JSON: ${(err as Error).message}`, err);
  }
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? "an object" : `${typeof v} ${JSON.stringify(v)}`;
}

/** Checkers bound to one document name. */
export interface Checker {
  fail(msg: string): Error;
  object(v: unknown, path: string): JsonObject;
  string(v: unknown, path: string): string;
  optString(v: unknown, path: string): string | undefined;
  optBoolean(v: unknown, path: string): boolean | undefined;
  /** A safe integer, >= 0 unless `allowNegative`. */
  integer(v: unknown, path: string, allowNegative?: boolean): number;
  optInteger(v: unknown, path: string, allowNegative?: boolean): number | undefined;
  array(v: unknown, path: string): unknown[];
  /** Absent or null → undefined (Go marshals nil slices and maps as null). */
  optStringArray(v: unknown, path: string): string[] | undefined;
  optStringMap(v: unknown, path: string): Record<string, string> | undefined;
  /** A set encoded as {"key": {}} (ExposedPorts, Volumes). */
  optEmptyObjectSet(v: unknown, path: string): Record<string, Record<string, never>> | undefined;
  /** A sha256 digest; other algorithms are reported as unsupported. */
  digest(v: unknown, path: string): Digest;
}

export function checker(what: string): Checker {
  const fail = (msg: string) => invalidArgument(`invalid ${what}: ${msg}`);
  const expected = (path: string, want: string, got: unknown) =>
    got === undefined
      ? fail(`${path} is missing (must be ${want})`)
      : fail(`${path} must be ${want}, got ${describe(got)}`);

  const object = (v: unknown, path: string): JsonObject => {
    if (!isObject(v)) throw expected(path, "an object", v);
    return v;
  };
  const string = (v: unknown, path: string): string => {
    if (typeof v !== "string") throw expected(path, "a string", v);
    return v;
  };
  const integer = (v: unknown, path: string, allowNegative = false): number => {
    if (typeof v !== "number" || !Number.isSafeInteger(v) || (!allowNegative && v < 0)) {
      throw expected(path, allowNegative ? "an integer" : "a non-negative integer", v);
    }
    return v;
  };
  const array = (v: unknown, path: string): unknown[] => {
    if (!Array.isArray(v)) throw expected(path, "an array", v);
    return v;
  };

  return {
    fail,
    object,
    string,
    integer,
    array,
    optString: (v, path) => (v === undefined ? undefined : string(v, path)),
    optBoolean: (v, path) => {
      if (v === undefined) return undefined;
      if (typeof v !== "boolean") throw expected(path, "a boolean", v);
      return v;
    },
    optInteger: (v, path, allowNegative) => (v === undefined ? undefined : integer(v, path, allowNegative)),
    optStringArray: (v, path) => {
      if (v === undefined || v === null) return undefined;
      return array(v, path).map((s, i) => string(s, `${path}[${i}]`));
    },
    optStringMap: (v, path) => {
      if (v === undefined || v === null) return undefined;
      const out: Record<string, string> = {};
      for (const [k, val] of Object.entries(object(v, path))) out[k] = string(val, `${path}.${k}`);
      return out;
    },
    optEmptyObjectSet: (v, path) => {
      if (v === undefined || v === null) return undefined;
      const out: Record<string, Record<string, never>> = {};
      for (const [k, val] of Object.entries(object(v, path))) {
        if (val !== null) object(val, `${path}.${k}`);
        out[k] = {};
      }
      return out;
    },
    digest: (v, path) => {
      const s = string(v, path);
      if (isDigest(s)) return s;
      const algo = /^([a-z0-9]+(?:[.+_-][a-z0-9]+)*):[a-zA-Z0-9=_-]+$/.exec(s)?.[1];
      if (algo !== undefined && algo !== "sha256") {
        throw fail(`${path}: unsupported digest algorithm "${algo}" in ${JSON.stringify(s)}`);
      }
      throw fail(`${path} must be a digest (sha256:<64 lowercase hex>), got ${JSON.stringify(s)}`);
    },
  };
}
