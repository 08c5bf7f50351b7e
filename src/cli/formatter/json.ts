/**
 * JSON as Go's encoding/json writes it for docker's `{{json .}}` and `--format json`: compact,
 * HTML characters unescaped (docker calls SetEscapeHTML(false)), U+2028/U+2029 escaped, NaN and
 * infinities rejected. Object keys keep their order unless sortKeys is set (Go sorts map keys, and
 * docker's row contexts marshal as maps). (pure)
 */

import { goString } from "./go-fmt.js";

export interface GoJSONOptions {
  /** Sort object keys at every level, as Go does for maps. */
  readonly sortKeys?: boolean;
}

/** time.Time's MarshalJSON: RFC 3339 with the fraction's trailing zeros dropped. */
function timeJSON(d: Date): string {
  return JSON.stringify(d.toISOString().replace(/\.?0+Z$/, "Z"));
}

function stringJSON(s: string): string {
  return JSON.stringify(s)
    .replaceAll("\u2028", "\\u2028")
    .replaceAll("\u2029", "\\u2029")
    .replace(/\\ud[89a-f][0-9a-f]{2}/g, "\\ufffd");
}

function encode(v: unknown, opts: GoJSONOptions): string {
  if (v === undefined || v === null) return "null";
  switch (typeof v) {
    case "string":
      return stringJSON(v);
    case "number":
      if (!Number.isFinite(v)) throw new Error(`json: unsupported value: ${goString(v)}`);
      return JSON.stringify(v);
    case "bigint":
      return v.toString();
    case "boolean":
      return String(v);
    case "function":
    case "symbol":
      throw new Error(`json: unsupported type: ${typeof v === "function" ? "func()" : "symbol"}`);
  }
  if (v instanceof Date) return timeJSON(v);
  if (Array.isArray(v)) return `[${v.map((e) => encode(e, opts)).join(",")}]`;
  const withToJSON = v as { toJSON?: () => unknown };
  if (typeof withToJSON.toJSON === "function") return encode(withToJSON.toJSON(), opts);
  const o = v as Record<string, unknown>;
  let keys = Object.keys(o).filter((k) => o[k] !== undefined);
  if (opts.sortKeys) keys = keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((k) => `${stringJSON(k)}:${encode(o[k], opts)}`).join(",")}}`;
}

/** The JSON text of a value; throws on values Go cannot encode (NaN, ±Inf, functions). */
export function goJSON(value: unknown, options: GoJSONOptions = {}): string {
  return encode(value, options);
}
