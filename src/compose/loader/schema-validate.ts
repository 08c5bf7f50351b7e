/**
 * A small JSON-schema validator for the subset of draft-07 the compose schema uses: type,
 * properties, patternProperties, additionalProperties, required, items, oneOf, enum, $ref (local),
 * uniqueItems, minimum, maximum, pattern. `format` and `default` are not checked.
 *
 * Interpolated values are strings, so as compose-go does with its type casts, a string that reads
 * as a number or boolean is accepted where the schema wants one (the normaliser converts it).
 */
import type { DocPath } from "./errors.js";
import { markOf } from "./interpolate.js";

export interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  patternProperties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  required?: string[];
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  enum?: unknown[];
  $ref?: string;
  uniqueItems?: boolean;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  definitions?: Record<string, Schema>;
  [other: string]: unknown;
}

export interface SchemaViolation {
  path: DocPath;
  message: string;
  /** Where to point in the file when it is not `path` itself (an unknown key). */
  at?: DocPath;
}

/**
 * Fields the schema types as "string or X" only so that interpolated values pass; a string there
 * must read as X (compose-go casts them). These keep real string forms ("512m", "8000-8010", "all").
 */
const STRING_FORMS = new Set([
  "mem_limit",
  "mem_reservation",
  "memswap_limit",
  "shm_size",
  "expose",
  "published",
  "group_add",
  "options",
  "driver_opts",
  "count",
  "provenance",
  "sbom",
  "value",
  "mode",
  "external",
]);

const BOOL_WORDS: Record<string, boolean> = {
  true: true,
  yes: true,
  y: true,
  on: true,
  false: false,
  no: false,
  n: false,
  off: false,
};

/** A string the schema wanted as a number or boolean, and the value it reads as. */
export interface Coercion {
  path: DocPath;
  value: number | boolean;
}

interface Ctx {
  out: SchemaViolation[];
  fixes: Coercion[];
}

const regexCache = new Map<string, RegExp>();
function re(p: string): RegExp {
  let r = regexCache.get(p);
  if (!r) {
    r = new RegExp(p);
    regexCache.set(p, r);
  }
  return r;
}

function jsonType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function typeMatches(v: unknown, t: string): boolean {
  const actual = jsonType(v);
  if (actual === t) return true;
  if (t === "number" && actual === "integer") return true;
  if (typeof v === "string") {
    if (t === "integer") return /^[-+]?\d+$/.test(v.trim());
    if (t === "number") return v.trim() !== "" && Number.isFinite(Number(v));
    if (t === "boolean") return /^(true|false)$/i.test(v);
  }
  return false;
}

const ARTICLE: Record<string, string> = {
  string: "a string",
  integer: "an integer",
  number: "a number",
  boolean: "a boolean",
  object: "a mapping",
  array: "a list",
  null: "null",
};
function describeTypes(types: string[]): string {
  const words = [...new Set(types)].map((t) => ARTICLE[t] ?? t);
  return words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} or ${words.at(-1)}`;
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Validates `value`; `coercions` lists the strings to turn into the numbers/booleans they read as. */
export function validateSchema(
  root: Schema,
  value: unknown,
): { violations: SchemaViolation[]; coercions: Coercion[] } {
  const ctx: Ctx = { out: [], fixes: [] };
  check(root, root, value, [], ctx);
  return { violations: ctx.out, coercions: ctx.fixes };
}

/** Applies coercions in place. */
export function applyCoercions(value: unknown, coercions: Coercion[]): void {
  for (const c of coercions) {
    let cur = value as Record<string | number, unknown>;
    for (const seg of c.path.slice(0, -1)) cur = cur[seg] as Record<string | number, unknown>;
    cur[c.path.at(-1)!] = c.value;
  }
}

function resolve(root: Schema, s: Schema): Schema {
  let cur = s;
  for (let n = 0; cur.$ref && n < 20; n++) {
    const m = /^#\/definitions\/(.+)$/.exec(cur.$ref);
    const target = m ? root.definitions?.[m[1]!] : undefined;
    if (!target) throw new Error(`schema: unresolved $ref ${cur.$ref}`);
    cur = target;
  }
  return cur;
}

/** The JSON types a schema (or its oneOf branches) accepts at the top. */
function acceptedTypes(root: Schema, s: Schema): string[] {
  const r = resolve(root, s);
  if (r.type) return Array.isArray(r.type) ? r.type : [r.type];
  const alts = r.oneOf ?? r.anyOf;
  if (alts) return alts.flatMap((a) => acceptedTypes(root, a));
  return [];
}

function check(root: Schema, schema: Schema, v: unknown, path: (string | number)[], ctx: Ctx) {
  const out = ctx.out;
  if (markOf(v) === "reset") return;
  const s = resolve(root, schema);
  if (s.type) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.some((t) => typeMatches(v, t))) {
      out.push({
        path,
        message: `must be ${describeTypes(types)}, not ${ARTICLE[jsonType(v)] ?? jsonType(v)}`,
      });
      return;
    }
    const scalar = types.find((t) => t === "integer" || t === "number" || t === "boolean");
    const name = [...path].reverse().find((p) => typeof p === "string");
    if (
      typeof v === "string" &&
      types.length === 2 &&
      types.includes("string") &&
      scalar &&
      !STRING_FORMS.has(String(name))
    ) {
      const value =
        scalar === "boolean" ? BOOL_WORDS[v.toLowerCase()] : v.trim() === "" ? Number.NaN : Number(v);
      if (value === undefined || Number.isNaN(value) || (scalar === "integer" && !Number.isInteger(value))) {
        out.push({ path, message: `${show(v)} is not ${ARTICLE[scalar]}` });
        return;
      }
      ctx.fixes.push({ path, value });
      v = value;
    } else if (typeof v === "string" && !types.includes("string")) {
      const value =
        types.includes("boolean") && /^(true|false)$/i.test(v) ? v.toLowerCase() === "true" : Number(v);
      ctx.fixes.push({ path, value });
      v = value;
    }
  }
  if (s.enum && !s.enum.some((e) => e === v || (typeof v === "string" && String(e) === v))) {
    out.push({ path, message: `${show(v)} must be one of: ${s.enum.map((e) => String(e)).join(", ")}` });
  }
  const alts = s.oneOf ?? s.anyOf;
  if (alts) checkAlternatives(root, alts, v, path, ctx);
  if (typeof v === "number") {
    if (s.minimum !== undefined && v < s.minimum) out.push({ path, message: `must be >= ${s.minimum}` });
    if (s.maximum !== undefined && v > s.maximum) out.push({ path, message: `must be <= ${s.maximum}` });
  }
  if (typeof v === "string" && s.pattern && !re(s.pattern).test(v)) {
    out.push({ path, message: `${show(v)} does not match the pattern ${s.pattern}` });
  }
  if (Array.isArray(v)) {
    if (s.items) {
      for (const [i, item] of v.entries()) check(root, s.items, item, [...path, i], ctx);
    }
    if (s.uniqueItems) {
      const seen = new Set<string>();
      v.forEach((item, i) => {
        const key = JSON.stringify(item);
        if (seen.has(key)) out.push({ path: [...path, i], message: `duplicate item ${show(item)}` });
        seen.add(key);
      });
    }
  } else if (typeof v === "object" && v !== null) {
    checkObject(root, s, v as Record<string, unknown>, path, ctx);
  }
}

function checkAlternatives(root: Schema, alts: Schema[], v: unknown, path: (string | number)[], ctx: Ctx) {
  let best: SchemaViolation[] | undefined;
  for (const alt of alts) {
    const branch: Ctx = { out: [], fixes: [] };
    check(root, alt, v, path, branch);
    const errs = branch.out;
    if (errs.length === 0) {
      ctx.fixes.push(...branch.fixes);
      return;
    }
    // Prefer the branch whose top-level type matches the value's (its errors are the telling ones).
    const typed = acceptedTypes(root, alt).some(
      (t) => jsonType(v) === t || (t === "number" && jsonType(v) === "integer"),
    );
    if (typed && !best) best = errs;
  }
  const out = ctx.out;
  if (best) out.push(...best);
  else {
    const types = alts.flatMap((a) => acceptedTypes(root, a));
    out.push({
      path,
      message: `must be ${describeTypes(types)}, not ${ARTICLE[jsonType(v)] ?? jsonType(v)}`,
    });
  }
}

function checkObject(
  root: Schema,
  s: Schema,
  obj: Record<string, unknown>,
  path: (string | number)[],
  ctx: Ctx,
) {
  const out = ctx.out;
  for (const r of s.required ?? []) {
    if (!Object.hasOwn(obj, r)) out.push({ path, message: `missing required property "${r}"` });
  }
  for (const [k, val] of Object.entries(obj)) {
    let matched = false;
    const prop = s.properties?.[k];
    if (prop && Object.hasOwn(s.properties!, k)) {
      matched = true;
      check(root, prop, val, [...path, k], ctx);
    }
    for (const [p, ps] of Object.entries(s.patternProperties ?? {})) {
      if (re(p).test(k)) {
        matched = true;
        check(root, ps, val, [...path, k], ctx);
      }
    }
    if (matched) continue;
    if (s.additionalProperties === false) {
      out.push({
        path,
        message: `additional property ${JSON.stringify(k)} is not allowed`,
        at: [...path, k],
      });
    } else if (typeof s.additionalProperties === "object") {
      check(root, s.additionalProperties, val, [...path, k], ctx);
    }
  }
}
