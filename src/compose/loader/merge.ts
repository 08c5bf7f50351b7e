/**
 * Merging canonical compose documents (compose spec, 13-merge.md): mappings merge key by key,
 * sequences append (without duplicates), `command`, `entrypoint` and `healthcheck.test` are
 * replaced, `ports` / `volumes` / `secrets` / `configs` merge entries that share their unique key,
 * `!reset` removes a value and `!override` replaces it whole.
 */
import { isPlainObject, markOf } from "./interpolate.js";

type Obj = Record<string, unknown>;

const REPLACED = new Set(["services.*.command", "services.*.entrypoint", "services.*.healthcheck.test"]);

const UNIQUE_KEY: Record<string, (item: Obj) => string> = {
  "services.*.ports": (p) => `${p.host_ip ?? ""}:${p.published ?? ""}:${p.target}/${p.protocol ?? "tcp"}`,
  "services.*.volumes": (v) => String(v.target),
  "services.*.secrets": (v) => String(v.target ?? v.source),
  "services.*.configs": (v) => String(v.target ?? v.source),
  "services.*.env_file": (v) => String(v.path),
};

function pattern(path: string[]): string {
  return path.map((seg, i) => (path[0] === "services" && i === 1 ? "*" : seg)).join(".");
}

/** Merges `over` onto `base`, returning a new value (inputs untouched). */
export function mergeDocuments(base: Obj, over: Obj): Obj {
  return mergeValue(base, over, []) as Obj;
}

function mergeValue(base: unknown, over: unknown, path: string[]): unknown {
  const mark = markOf(over);
  if (mark === "reset") return undefined;
  if (mark === "override") return clean(over);
  const pat = pattern(path);
  if (REPLACED.has(pat)) return clean(over);
  if (Array.isArray(base) && Array.isArray(over)) {
    const key = UNIQUE_KEY[pat];
    return key ? mergeUnique(base as Obj[], over as Obj[], key, path) : appendUnique(base, over);
  }
  if (isPlainObject(base) && isPlainObject(over)) {
    if (pat === "services.*.logging" && over.driver !== undefined && base.driver !== over.driver) {
      return clean(over);
    }
    const out: Obj = { ...base };
    for (const [k, v] of Object.entries(over)) {
      // A service network listed without options keeps the options the base gave it.
      if (v === null && pat === "services.*.networks" && isPlainObject(base[k])) continue;
      const merged = Object.hasOwn(base, k)
        ? mergeValue(base[k], v, [...path, k])
        : mergeValue(undefined, v, [...path, k]);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    }
    return out;
  }
  return clean(over);
}

function appendUnique(base: unknown[], over: unknown[]): unknown[] {
  const out = [...base];
  const seen = new Set(base.map((x) => JSON.stringify(x)));
  for (const x of over) {
    const k = JSON.stringify(x);
    if (!seen.has(k)) out.push(clean(x));
    seen.add(k);
  }
  return out;
}

function mergeUnique(base: Obj[], over: Obj[], key: (o: Obj) => string, path: string[]): Obj[] {
  const out = [...base];
  const index = new Map(base.map((x, i) => [key(x), i]));
  for (const x of over) {
    const k = key(x);
    const i = index.get(k);
    if (i === undefined) {
      index.set(k, out.length);
      out.push(clean(x) as Obj);
    } else out[i] = mergeValue(out[i], x, [...path, "*"]) as Obj;
  }
  return out;
}

/** Drops reset values and marks from a value taken whole. */
function clean(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => markOf(x) !== "reset").map(clean);
  if (isPlainObject(v)) {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) if (markOf(x) !== "reset") out[k] = clean(x);
    return out;
  }
  return v;
}

export { clean as stripMergeMarks };
