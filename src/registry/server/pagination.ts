/**
 * `n`/`last` pagination of tag and repository lists, with the RFC 5988 `Link: <…>; rel="next"` header
 * the spec asks for when more entries follow. Lists are sorted by code unit ("ASCIIbetical", as Go's
 * sort.Strings). (pure)
 */
import { RegistryError } from "./errors.js";

/** A page never holds more than this, whatever `n` asks; a Link header then points at the rest. */
export const PAGE_MAX = 1000;

export interface PageQuery {
  /** Absent: every entry (after `last`); otherwise at most min(n, PAGE_MAX). */
  n?: number;
  /** Entries strictly after this one. */
  last?: string;
}

export interface Page {
  items: string[];
  /** The `last` of the next page, when there is one. */
  next?: string;
}

/** Reads `n` and `last` from a query string; throws 400 for an `n` that is not a non-negative integer. */
export function parsePageQuery(params: URLSearchParams): PageQuery {
  const q: PageQuery = {};
  const n = params.get("n");
  if (n !== null && n !== "") {
    if (!/^\d{1,9}$/.test(n)) {
      throw new RegistryError(400, "UNSUPPORTED", `invalid n "${n}": must be a non-negative integer`);
    }
    q.n = Number(n);
  }
  const last = params.get("last");
  if (last !== null && last !== "") q.last = last;
  return q;
}

export function compareAscii(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One page of `all` (any order; it is sorted here). n = 0 gives an empty page and no next. */
export function paginate(all: readonly string[], q: PageQuery): Page {
  const sorted = [...all].sort(compareAscii);
  const after = q.last === undefined ? sorted : sorted.filter((s) => s > q.last!);
  if (q.n === 0) return { items: [] };
  const limit = q.n === undefined ? after.length : Math.min(q.n, PAGE_MAX);
  const items = after.slice(0, limit);
  const page: Page = { items };
  if (after.length > limit && items.length > 0) page.next = items[items.length - 1]!;
  return page;
}

/** The Link header for the next page of `path` (e.g. "/v2/library/busybox/tags/list"). */
export function nextLink(path: string, n: number, last: string): string {
  const qs = new URLSearchParams({ n: String(n), last }).toString();
  return `<${path}?${qs}>; rel="next"`;
}
