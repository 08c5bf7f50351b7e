/**
 * The distribution API's URL space: which endpoint a request path names, with its parameters
 * decoded and checked. Repository names contain slashes, so each pattern anchors on the segment
 * after the name (`/manifests/`, `/blobs/`, `/tags/list`, `/referrers/`). (pure)
 */
import { RegistryError, unsupported } from "./errors.js";
import { checkName } from "./names.js";

export type Route =
  | { kind: "base" }
  | { kind: "catalog" }
  | { kind: "manifest"; name: string; reference: string }
  | { kind: "blob"; name: string; digest: string }
  | { kind: "upload-start"; name: string }
  | { kind: "upload"; name: string; uuid: string }
  | { kind: "tags"; name: string }
  | { kind: "referrers"; name: string; digest: string };

export type RouteKind = Route["kind"];

/** The methods each endpoint answers; HEAD is allowed wherever GET is. */
export const METHODS: Readonly<Record<RouteKind, readonly string[]>> = {
  base: ["GET", "HEAD"],
  catalog: ["GET", "HEAD"],
  manifest: ["GET", "HEAD", "PUT", "DELETE"],
  blob: ["GET", "HEAD", "DELETE"],
  "upload-start": ["POST"],
  upload: ["GET", "PATCH", "PUT", "DELETE"],
  tags: ["GET", "HEAD"],
  referrers: ["GET", "HEAD"],
};

/** Methods that change the registry (refused in read-only mode). */
export function isWrite(method: string): boolean {
  return method !== "GET" && method !== "HEAD";
}

const PATTERNS: ReadonlyArray<[RegExp, (m: RegExpExecArray) => Route]> = [
  [/^\/v2\/?$/, () => ({ kind: "base" })],
  [/^\/v2\/_catalog\/?$/, () => ({ kind: "catalog" })],
  [/^\/v2\/(.+)\/tags\/list\/?$/, (m) => ({ kind: "tags", name: m[1]! })],
  [/^\/v2\/(.+)\/manifests\/([^/]+)$/, (m) => ({ kind: "manifest", name: m[1]!, reference: m[2]! })],
  [/^\/v2\/(.+)\/blobs\/uploads\/?$/, (m) => ({ kind: "upload-start", name: m[1]! })],
  [/^\/v2\/(.+)\/blobs\/uploads\/([^/]+)$/, (m) => ({ kind: "upload", name: m[1]!, uuid: m[2]! })],
  [/^\/v2\/(.+)\/blobs\/([^/]+)$/, (m) => ({ kind: "blob", name: m[1]!, digest: m[2]! })],
  [/^\/v2\/(.+)\/referrers\/([^/]+)$/, (m) => ({ kind: "referrers", name: m[1]!, digest: m[2]! })],
];

/**
 * Matches a request path (without the query string). Returns undefined for paths outside the API;
 * throws NAME_INVALID for a malformed repository name and UNSUPPORTED (405) for a method the endpoint
 * does not answer. Percent-escapes in segments are decoded (some clients send `sha256%3A…`).
 */
export function matchRoute(method: string, pathname: string): Route | undefined {
  for (const [re, build] of PATTERNS) {
    const m = re.exec(pathname);
    if (!m) continue;
    const route = decodeRoute(build(m));
    if ("name" in route) checkName(route.name);
    if (!METHODS[route.kind].includes(method)) {
      throw unsupported(`${method} is not supported on ${pathname}`);
    }
    return route;
  }
  return undefined;
}

function decodeRoute(route: Route): Route {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(route)) out[k] = k === "kind" ? v : decodeSegment(v);
  return out as unknown as Route;
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new RegistryError(400, "NAME_INVALID", `malformed percent-escape in "${s}"`);
  }
}
