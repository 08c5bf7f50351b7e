/**
 * Route matching (pure): strips the optional /vX.Y prefix, gates the API version, and picks the route
 * by method and path. A `{param}` matches greedily and may contain slashes, so image references such as
 * localhost:5000/a/b:1 fit /images/{name}/json. When several templates match, the one with the most
 * literal characters wins (so /images/json never reaches /images/{name}/...).
 */
import { BerthError } from "../../lib/errors.js";
import { type ApiVersionRange, compareApiVersions } from "../types/version.js";
import type { HttpMethod, Route } from "./router.js";

export interface RouteMatch {
  readonly route: Route;
  readonly params: Readonly<Record<string, string>>;
}

export type MatchResult =
  | { readonly kind: "found"; readonly match: RouteMatch }
  /** The path exists under another method (Docker answers 404 here too). */
  | { readonly kind: "method-not-allowed"; readonly allowed: readonly HttpMethod[] }
  | { readonly kind: "not-found" };

interface CompiledRoute {
  readonly route: Route;
  readonly regex: RegExp;
  readonly names: readonly string[];
  readonly literalLength: number;
}

export interface RouteTable {
  match(method: string, path: string): MatchResult;
}

const PARAM = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function compileRoute(route: Route): CompiledRoute {
  if (!route.path.startsWith("/")) throw new Error(`route path must start with "/": ${route.path}`);
  const names: string[] = [];
  let pattern = "";
  let literal = 0;
  let last = 0;
  for (const m of route.path.matchAll(PARAM)) {
    const text = route.path.slice(last, m.index);
    pattern += escapeRegex(text);
    literal += text.length;
    pattern += "(.+)";
    names.push(m[1]!);
    last = m.index + m[0].length;
  }
  const tail = route.path.slice(last);
  pattern += escapeRegex(tail);
  literal += tail.length;
  return { route, regex: new RegExp(`^${pattern}$`), names, literalLength: literal };
}

/** Compiles a route list; duplicate method+path pairs are a programming error. */
export function compileRoutes(routes: readonly Route[]): RouteTable {
  const seen = new Set<string>();
  const compiled = routes.map((route) => {
    const key = `${route.method} ${route.path.replace(PARAM, "{}")}`;
    if (seen.has(key)) throw new Error(`duplicate route: ${route.method} ${route.path}`);
    seen.add(key);
    return compileRoute(route);
  });
  // Stable sort: more literal text first, then registration order.
  const ordered = compiled
    .map((c, i) => ({ c, i }))
    .sort((a, b) => b.c.literalLength - a.c.literalLength || a.i - b.i)
    .map((x) => x.c);

  return {
    match(method, path) {
      const allowed: HttpMethod[] = [];
      for (const c of ordered) {
        const m = c.regex.exec(path);
        if (!m) continue;
        if (c.route.method !== method) {
          if (!allowed.includes(c.route.method)) allowed.push(c.route.method);
          continue;
        }
        const params: Record<string, string> = {};
        c.names.forEach((name, i) => {
          params[name] = m[i + 1]!;
        });
        return { kind: "found", match: { route: c.route, params } };
      }
      return allowed.length > 0 ? { kind: "method-not-allowed", allowed } : { kind: "not-found" };
    },
  };
}

export interface VersionedPath {
  /** "1.50" for /v1.50/..., undefined for unversioned paths. */
  readonly version: string | undefined;
  /** The path without the version prefix, percent-decoded. */
  readonly path: string;
}

const VERSION_PREFIX = /^\/v([0-9][0-9.]*)(\/.*)$/;

/** Splits "/v1.50/images/json" into version and path and percent-decodes the path. */
export function splitVersionedPath(rawPath: string): VersionedPath {
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    throw new BerthError("invalid-argument", `invalid URL path: ${rawPath}`);
  }
  const m = VERSION_PREFIX.exec(path);
  return m ? { version: m[1]!, path: m[2]! } : { version: undefined, path };
}

/**
 * The version a request runs at: the one in its path, or `range.current` when unversioned.
 * Throws invalid-argument (400) with Docker's wording when it is outside the range.
 */
export function resolveApiVersion(version: string | undefined, range: ApiVersionRange): string {
  if (version === undefined) return range.current;
  if (compareApiVersions(version, range.min) < 0) {
    throw new BerthError(
      "invalid-argument",
      `client version ${version} is too old. Minimum supported API version is ${range.min}, please upgrade your client to a newer version`,
    );
  }
  if (compareApiVersions(version, range.current) > 0) {
    throw new BerthError(
      "invalid-argument",
      `client version ${version} is too new. Maximum supported API version is ${range.current}`,
    );
  }
  return version;
}
