import { invalidArgument } from "../lib/errors.js";

/** Values of Docker's list and prune filters, shared by images, containers, volumes and networks. */

/** `until`/`since` values: unix seconds (fractional allowed), RFC 3339, or a Go duration before now. */
export function parseTime(v: string, now = Date.now()): number {
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const dur = /^(\d+)(s|m|h)$/.exec(v);
  if (dur) return now - Number(dur[1]) * { s: 1e3, m: 6e4, h: 3.6e6 }[dur[2] as "s" | "m" | "h"];
  const t = Date.parse(v);
  if (Number.isNaN(t))
    throw invalidArgument(`invalid time value "${v}": use unix seconds, RFC 3339 or a duration`);
  return t;
}

/** `label=key` (present) or `label=key=value` (equal). */
export function matchLabel(filter: string, labels: Readonly<Record<string, string>>): boolean {
  const eq = filter.indexOf("=");
  if (eq < 0) return filter in labels;
  return labels[filter.slice(0, eq)] === filter.slice(eq + 1);
}
