/**
 * Variable interpolation in compose values (compose spec, 12-interpolation.md): `$VAR`, `${VAR}`,
 * `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`, `${VAR:+alt}`, `${VAR+alt}`,
 * nested in defaults, and `$$` for a literal `$`. Values only, never keys.
 */
import { type DocPath, formatPath } from "./errors.js";

export type Lookup = (name: string) => string | undefined;

export class InterpolationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InterpolationError";
  }
}

const NAME = /[_a-zA-Z][_a-zA-Z0-9]*/y;

/** Interpolates one string. `onUnset` hears of variables that were unset and had no default. */
export function interpolateString(input: string, lookup: Lookup, onUnset?: (name: string) => void): string {
  let out = "";
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (c !== "$") {
      out += c;
      i++;
      continue;
    }
    const next = input[i + 1];
    if (next === "$") {
      out += "$";
      i += 2;
    } else if (next === "{") {
      const end = matchingBrace(input, i + 2);
      if (end < 0) throw new InterpolationError(`invalid interpolation format: ${JSON.stringify(input)}`);
      out += braced(input.slice(i + 2, end), input, lookup, onUnset);
      i = end + 1;
    } else {
      NAME.lastIndex = i + 1;
      const m = NAME.exec(input);
      if (!m) {
        out += "$";
        i++;
        continue;
      }
      const v = lookup(m[0]);
      if (v === undefined) onUnset?.(m[0]);
      out += v ?? "";
      i = NAME.lastIndex;
    }
  }
  return out;
}

function matchingBrace(s: string, from: number): number {
  let depth = 1;
  for (let i = from; i < s.length; i++) {
    if (s[i] === "$" && s[i + 1] === "$") i++;
    else if (s[i] === "$" && s[i + 1] === "{") {
      depth++;
      i++;
    } else if (s[i] === "}" && --depth === 0) return i;
  }
  return -1;
}

function braced(body: string, whole: string, lookup: Lookup, onUnset?: (name: string) => void): string {
  NAME.lastIndex = 0;
  const m = NAME.exec(body);
  if (!m) throw new InterpolationError(`invalid interpolation format: ${JSON.stringify(whole)}`);
  const name = m[0];
  const rest = body.slice(name.length);
  const value = lookup(name);
  if (rest === "") {
    if (value === undefined) onUnset?.(name);
    return value ?? "";
  }
  const op = /^(:-|-|:\?|\?|:\+|\+)/.exec(rest);
  if (!op) throw new InterpolationError(`invalid interpolation format: ${JSON.stringify(whole)}`);
  const arg = () => interpolateString(rest.slice(op[1]!.length), lookup, onUnset);
  const unset = value === undefined;
  const empty = unset || value === "";
  switch (op[1]) {
    case ":-":
      return empty ? arg() : value!;
    case "-":
      return unset ? arg() : value!;
    case ":+":
      return empty ? "" : arg();
    case "+":
      return unset ? "" : arg();
    default: {
      const colon = op[1] === ":?";
      if (colon ? empty : unset) {
        const msg = arg();
        throw new InterpolationError(
          `required variable ${name} is missing a value${msg ? `: ${msg}` : colon ? " (it is unset or empty)" : " (it is unset)"}`,
        );
      }
      return value!;
    }
  }
}

/**
 * Interpolates every string value of a parsed document (keys untouched). Errors name the path;
 * the caller adds the file. Warnings (unset variables) go to `warn`.
 */
export function interpolateTree(
  value: unknown,
  lookup: Lookup,
  warn: (message: string) => void,
  path: (string | number)[] = [],
): unknown {
  if (typeof value === "string") {
    try {
      return interpolateString(value, lookup, (name) =>
        warn(`The "${name}" variable is not set. Defaulting to a blank string.`),
      );
    } catch (e) {
      if (e instanceof InterpolationError) throw new InterpolationPathError(path, e.message);
      throw e;
    }
  }
  if (Array.isArray(value)) {
    const out = value.map((v, i) => interpolateTree(v, lookup, warn, [...path, i]));
    copyMarks(value, out);
    return out;
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = interpolateTree(v, lookup, warn, [...path, k]);
    // Tags such as !reset / !override survive interpolation.
    copyMarks(value, out);
    return out;
  }
  return value;
}

export class InterpolationPathError extends Error {
  readonly path: DocPath;
  readonly detail: string;
  constructor(path: DocPath, message: string) {
    super(`${formatPath(path)}: ${message}`);
    this.path = path;
    this.detail = message;
  }
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Merge markers set by the YAML reader live on a symbol: `!override` on a mapping or sequence;
 * `!reset` anything becomes the RESET value (the merge removes the key).
 */
export const MERGE_MARK = Symbol.for("berth.compose.mergeMark");
export type MergeMark = "reset" | "override";

export function markOf(v: unknown): MergeMark | undefined {
  return typeof v === "object" && v !== null
    ? ((v as Record<symbol, MergeMark | undefined>)[MERGE_MARK] ?? undefined)
    : undefined;
}

export function copyMarks(from: object, to: object): void {
  const m = (from as Record<symbol, unknown>)[MERGE_MARK];
  if (m !== undefined) Object.defineProperty(to, MERGE_MARK, { value: m, enumerable: false });
}

export const RESET: Readonly<Record<string, never>> = Object.freeze(
  Object.defineProperty({}, MERGE_MARK, { value: "reset", enumerable: false }),
);

export function mark<T extends object>(v: T, m: MergeMark): T {
  Object.defineProperty(v, MERGE_MARK, { value: m, enumerable: false, configurable: true });
  return v;
}
