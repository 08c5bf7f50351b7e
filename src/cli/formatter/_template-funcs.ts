/**
 * The functions a docker --format template can call: Go's text/template builtins and the ones
 * docker/cli's templates package adds (json, split, join, title, lower, upper, pad, truncate).
 * Each declares its parameters so that the executor can check arguments the way Go's reflection
 * does and word errors alike. (pure)
 */

import { goSprint, goSprintf, goSprintln, goString, goTypeName } from "./go-fmt.js";
import { goJSON } from "./json.js";

/**
 * How an argument is checked and converted:
 *   "any"    interface{}: anything; a missing value becomes null
 *   "value"  reflect.Value: anything, a missing value stays undefined (len, index, eq, not, ...)
 *   "string" | "int" | "bool": that Go type; mismatches are errors
 */
export type ArgKind = "any" | "value" | "string" | "int" | "bool";

export interface TemplateFunc {
  readonly params: readonly ArgKind[];
  /** Kind of the extra arguments of a variadic function. */
  readonly variadic?: ArgKind;
  /** Throwing an Error gives "error calling NAME: message". */
  readonly fn: (...args: never[]) => unknown;
  /** and/or: arguments are evaluated lazily by the executor. */
  readonly special?: "and" | "or";
}

/** Go's template truth: false, 0, nil, and empty strings, arrays and maps are false. */
export function isTrue(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  switch (typeof v) {
    case "boolean":
      return v;
    case "number":
      return v !== 0;
    case "bigint":
      return v !== 0n;
    case "string":
      return v.length > 0;
    case "function":
      return true;
  }
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Date) return true;
  return Object.keys(v as object).length > 0;
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** The zero value of a map's element type, inferred from its values: "" for string maps, else nil. */
function mapZero(m: Record<string, unknown>): unknown {
  const values = Object.values(m);
  return values.length > 0 && values.every((x) => typeof x === "string") ? "" : null;
}

function indexArg(index: unknown, cap: number): number {
  if (index === undefined || index === null) throw new Error("cannot index slice/array with nil");
  if (typeof index !== "number" || !Number.isInteger(index)) {
    throw new Error(`cannot index slice/array with type ${goTypeName(index)}`);
  }
  if (index < 0 || index > cap) throw new Error(`index out of range: ${index}`);
  return index;
}

function index(item: unknown, ...indexes: unknown[]): unknown {
  if (item === undefined || item === null) throw new Error("index of untyped nil");
  let cur: unknown = item;
  for (const ix of indexes) {
    if (cur === null || cur === undefined) throw new Error("index of nil pointer");
    if (typeof cur === "string") {
      const bytes = utf8.encode(cur);
      const i = indexArg(ix, bytes.length);
      if (i >= bytes.length) throw new Error(`reflect: string index out of range`);
      cur = bytes[i];
    } else if (Array.isArray(cur)) {
      const i = indexArg(ix, cur.length);
      if (i >= cur.length) throw new Error(`reflect: slice index out of range`);
      cur = cur[i];
    } else if (isMap(cur)) {
      if (typeof ix !== "string") throw new Error(`value has type ${goTypeName(ix)}; should be string`);
      cur = Object.hasOwn(cur, ix) && cur[ix] !== undefined ? cur[ix] : mapZero(cur);
    } else throw new Error(`can't index item of type ${goTypeName(cur)}`);
  }
  return cur;
}

function slice(item: unknown, ...indexes: unknown[]): unknown {
  if (item === undefined || item === null) throw new Error("slice of untyped nil");
  if (indexes.length > 3) throw new Error(`too many slice indexes: ${indexes.length}`);
  let len: number;
  if (typeof item === "string") {
    if (indexes.length === 3) throw new Error("cannot 3-index slice a string");
    len = utf8.encode(item).length;
  } else if (Array.isArray(item)) len = item.length;
  else throw new Error(`can't slice item of type ${goTypeName(item)}`);
  const idx = [0, len, len];
  indexes.forEach((ix, i) => {
    idx[i] = indexArg(ix, len);
  });
  const [lo = 0, hi = len] = idx;
  if (lo > hi) throw new Error(`invalid slice index: ${lo} > ${hi}`);
  if (indexes.length === 3 && hi > (idx[2] ?? len)) throw new Error(`invalid slice index: ${hi} > ${idx[2]}`);
  if (typeof item === "string") return utf8Decoder.decode(utf8.encode(item).slice(lo, hi));
  return (item as unknown[]).slice(lo, hi);
}

function length(item: unknown): number {
  if (item === undefined) throw new Error("len of untyped nil");
  if (item === null) throw new Error("len of nil pointer");
  if (typeof item === "string") return utf8.encode(item).length;
  if (Array.isArray(item)) return item.length;
  if (isMap(item)) return Object.keys(item).length;
  throw new Error(`len of type ${goTypeName(item)}`);
}

type BasicKind = "bool" | "number" | "string" | "invalid";

function basicKind(v: unknown): BasicKind {
  switch (typeof v) {
    case "boolean":
      return "bool";
    case "number":
    case "bigint":
      return "number";
    case "string":
      return "string";
  }
  return "invalid";
}

function eq(arg1: unknown, ...arg2: unknown[]): boolean {
  const a = arg1 ?? undefined;
  if (arg2.length === 0) throw new Error("missing argument for comparison");
  const k1 = basicKind(a);
  for (const raw of arg2) {
    const b = raw ?? undefined;
    const k2 = basicKind(b);
    let truth = false;
    if (k1 !== k2) {
      if (a !== undefined && b !== undefined) throw new Error("incompatible types for comparison");
    } else if (k1 !== "invalid") truth = a === b;
    else if (a === undefined || b === undefined) truth = (a === undefined) === (b === undefined);
    else if (a instanceof Date && b instanceof Date) truth = a.getTime() === b.getTime();
    else if (Array.isArray(a) !== Array.isArray(b)) {
      throw new Error(
        `non-comparable types ${goString(a)}: ${goTypeName(a)}, ${goTypeName(b)}: ${goString(b)}`,
      );
    } else throw new Error(`non-comparable type ${goString(b)}: ${goTypeName(b)}`);
    if (truth) return true;
  }
  return false;
}

function lt(arg1: unknown, arg2: unknown): boolean {
  const a = arg1 ?? undefined;
  const b = arg2 ?? undefined;
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 === "invalid" || k2 === "invalid") throw new Error("invalid type for comparison");
  if (k1 !== k2) throw new Error("incompatible types for comparison");
  if (k1 === "bool") throw new Error("invalid type for comparison");
  return (a as number | string) < (b as number | string);
}

/** The argument text of html/js/urlquery: a lone string as is, else fmt.Sprint of the arguments. */
function evalArgs(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === "string") return args[0];
  return goSprint(args);
}

function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => {
    switch (c) {
      case "\0":
        return "\uFFFD";
      case '"':
        return "&#34;";
      case "'":
        return "&#39;";
      case "&":
        return "&amp;";
      case "<":
        return "&lt;";
      default:
        return "&gt;";
    }
  });
}

function jsEscape(s: string): string {
  let out = "";
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === "\\") out += "\\\\";
    else if (ch === "'") out += "\\'";
    else if (ch === '"') out += '\\"';
    else if (ch === "<" || ch === ">" || ch === "&" || ch === "=")
      out += `\\u${cp.toString(16).toUpperCase().padStart(4, "0")}`;
    else if (cp < 0x20) out += `\\u${cp.toString(16).toUpperCase().padStart(4, "0")}`;
    else out += ch;
  }
  return out;
}

function urlQueryEscape(s: string): string {
  return encodeURIComponent(s)
    .replace(/%20/g, "+")
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** strings.Title: the first letter of every word upper-cased (words split at non-letters/digits). */
function title(s: string): string {
  let prev = " ";
  let out = "";
  for (const ch of s) {
    const isSep = !/^[\p{L}\p{Nd}_]$/u.test(prev);
    out += isSep ? ch.toUpperCase() : ch;
    prev = ch;
  }
  return out;
}

/** docker/cli templates.joinElements. */
function join(elems: unknown, sep: string): string {
  if (elems === null || elems === undefined) return "";
  if (Array.isArray(elems)) return elems.map((e) => goSprint([e])).join(sep);
  if (isMap(elems)) {
    return Object.values(elems)
      .map((e) => goSprint([e]))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .join(sep);
  }
  throw new Error(`expected slice, got ${goTypeName(elems)}`);
}

function call(fn: unknown, ...args: unknown[]): unknown {
  if (fn === undefined || fn === null) throw new Error("call of nil");
  if (typeof fn !== "function") throw new Error(`non-function of type ${goTypeName(fn)}`);
  return fn(...args);
}

/** Go's builtins (text/template/funcs.go). */
export const BUILTIN_FUNCS: Readonly<Record<string, TemplateFunc>> = {
  and: { params: ["value"], variadic: "value", fn: () => undefined, special: "and" },
  or: { params: ["value"], variadic: "value", fn: () => undefined, special: "or" },
  not: { params: ["value"], fn: (v: unknown) => !isTrue(v) },
  len: { params: ["value"], fn: length },
  index: { params: ["value"], variadic: "value", fn: index },
  slice: { params: ["value"], variadic: "value", fn: slice },
  call: { params: ["value"], variadic: "value", fn: call },
  print: { params: [], variadic: "any", fn: (...a: unknown[]) => goSprint(a) },
  printf: { params: ["string"], variadic: "any", fn: (f: string, ...a: unknown[]) => goSprintf(f, a) },
  println: { params: [], variadic: "any", fn: (...a: unknown[]) => goSprintln(a) },
  html: { params: [], variadic: "any", fn: (...a: unknown[]) => htmlEscape(evalArgs(a)) },
  js: { params: [], variadic: "any", fn: (...a: unknown[]) => jsEscape(evalArgs(a)) },
  urlquery: { params: [], variadic: "any", fn: (...a: unknown[]) => urlQueryEscape(evalArgs(a)) },
  eq: { params: ["value"], variadic: "value", fn: eq },
  ne: { params: ["value", "value"], fn: (a: unknown, b: unknown) => !eq(a, b) },
  lt: { params: ["value", "value"], fn: lt },
  le: { params: ["value", "value"], fn: (a: unknown, b: unknown) => lt(a, b) || eq(a, b) },
  gt: { params: ["value", "value"], fn: (a: unknown, b: unknown) => !(lt(a, b) || eq(a, b)) },
  ge: { params: ["value", "value"], fn: (a: unknown, b: unknown) => !lt(a, b) },
};

/** docker/cli templates.basicFunctions. */
export const DOCKER_FUNCS: Readonly<Record<string, TemplateFunc>> = {
  json: { params: ["any"], fn: (v: unknown) => goJSON(v) },
  split: {
    params: ["string", "string"],
    fn: (s: string, sep: string) => (sep === "" ? [...s] : s.split(sep)),
  },
  join: { params: ["any", "string"], fn: join },
  title: { params: ["string"], fn: title },
  lower: { params: ["string"], fn: (s: string) => s.toLowerCase() },
  upper: { params: ["string"], fn: (s: string) => s.toUpperCase() },
  pad: {
    params: ["string", "int", "int"],
    fn: (s: string, prefix: number, suffix: number) => {
      if (s === "") return s;
      if (prefix < 0 || suffix < 0) throw new Error("strings: negative Repeat count");
      return " ".repeat(prefix) + s + " ".repeat(suffix);
    },
  },
  truncate: {
    params: ["string", "int"],
    fn: (s: string, n: number) => {
      const chars = [...s];
      if (chars.length < n) return s;
      if (n < 0) throw new Error(`runtime error: slice bounds out of range [:${n}]`);
      return chars.slice(0, n).join("");
    },
  },
};

/**
 * docker/cli templates.HeaderFunctions: what the table header row is rendered with, so that
 * `table {{upper .Name}}` prints its header unchanged.
 */
export const HEADER_FUNCS: Readonly<Record<string, TemplateFunc>> = {
  json: { params: ["string"], fn: (v: string) => v },
  split: { params: ["string", "string"], fn: (v: string) => v },
  join: { params: ["string", "string"], fn: (v: string) => v },
  title: { params: ["string"], fn: (v: string) => v },
  lower: { params: ["string"], fn: (v: string) => v },
  upper: { params: ["string"], fn: (v: string) => v },
  truncate: { params: ["string", "int"], fn: (v: string) => v },
};
