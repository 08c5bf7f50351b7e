/**
 * `events` output: the default one-line form and the object --format templates see. (pure apart
 * from the local time zone, which docker uses too)
 *
 *   2024-01-01T00:00:00.000000000Z image tag sha256:… (name=busybox:latest)
 */

import type { EventMessage } from "../../../api/types/system.js";
import { withGoNames } from "./_client-version.js";

const pad = (n: number, w = 2) => String(n).padStart(w, "0");
const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Go's Time.Format("2006-01-02T15:04:05.000000000Z07:00") in the local zone: nine fraction digits
 * always, "Z" for UTC, "+05:30" otherwise.
 */
export function formatEventTime(unixNanos: bigint): string {
  const sec = unixNanos / 1_000_000_000n - (unixNanos < 0n && unixNanos % 1_000_000_000n !== 0n ? 1n : 0n);
  const frac = unixNanos - sec * 1_000_000_000n;
  const ms = Number(sec) * 1000;
  const offsetMin = -new Date(ms).getTimezoneOffset();
  const t = new Date(ms + offsetMin * 60_000);
  const abs = Math.abs(offsetMin);
  const zone =
    offsetMin === 0 ? "Z" : `${offsetMin < 0 ? "-" : "+"}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  return (
    `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}T` +
    `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}.${pad(Number(frac), 9)}${zone}`
  );
}

/**
 * A JSON-decoded integer beyond 2^53 as the digits it was most likely sent with: the shortest decimal
 * that rounds to the same double (what JSON.stringify prints), so 1700000000123000000 stays exact
 * instead of becoming 1700000000122999936. Nanosecond digits may still be off by up to 128.
 */
function integerDigits(n: number): bigint {
  const s = String(Math.trunc(n));
  return /^-?\d+$/.test(s) ? BigInt(s) : BigInt(Math.trunc(n));
}

/** The event's time in Unix nanoseconds: timeNano, else time; undefined when neither is set. */
function eventNanos(e: Partial<EventMessage>): bigint | undefined {
  if (e.timeNano && Number.isFinite(e.timeNano)) return integerDigits(e.timeNano);
  if (e.time && Number.isFinite(e.time)) return BigInt(Math.trunc(e.time)) * 1_000_000_000n;
  return undefined;
}

/** docker's default line: time, type, action, actor id, then the attributes sorted by key. */
export function eventLine(e: Partial<EventMessage>): string {
  const nanos = eventNanos(e);
  let line = nanos === undefined ? "" : `${formatEventTime(nanos)} `;
  line += `${e.Type ?? ""} ${e.Action ?? ""} ${e.Actor?.ID ?? ""}`;
  const attrs = e.Actor?.Attributes ?? {};
  const keys = Object.keys(attrs).sort(byKey);
  if (keys.length > 0) line += ` (${keys.map((k) => `${k}=${attrs[k]}`).join(", ")})`;
  return `${line}\n`;
}

/**
 * The template object: events.Message's JSON keys in its field order (status, id and from only when
 * set; time and timeNano only when non-zero), with Go's field names (Status, ID, From, Scope, Time,
 * TimeNano) as hidden aliases, so `{{.ID}}` and `{{json .}}` both read as in docker.
 */
export function eventView(e: Partial<EventMessage>): Record<string, unknown> {
  const v: Record<string, unknown> = {};
  if (e.status) v.status = e.status;
  if (e.id) v.id = e.id;
  if (e.from) v.from = e.from;
  v.Type = e.Type ?? "";
  v.Action = e.Action ?? "";
  // A Go map: keys sorted when encoded; nil reads as empty (`{{.Actor.Attributes.name}}` is "<no value>").
  const attrs = e.Actor?.Attributes ?? {};
  const sorted = Object.fromEntries(
    Object.keys(attrs)
      .sort(byKey)
      .map((k) => [k, attrs[k]]),
  );
  v.Actor = { ID: e.Actor?.ID ?? "", Attributes: sorted };
  v.scope = e.scope ?? "";
  // int64 in Go: bigints print as integers ("1700000000123000000", not "1.700000000123e+18").
  if (e.time) v.time = integerDigits(e.time);
  if (e.timeNano) v.timeNano = integerDigits(e.timeNano);
  return withGoNames(v, {
    Status: "status",
    ID: "id",
    From: "from",
    Scope: "scope",
    Time: "time",
    TimeNano: "timeNano",
  });
}
