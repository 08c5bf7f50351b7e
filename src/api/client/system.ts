/** System endpoints: ping, version, info, events. */
import { encodeFilters } from "../types/filters.js";
import type { EventMessage, SystemInfo, SystemVersion } from "../types/system.js";
import { formatTimestamp, toNanos } from "../types/timestamp.js";
import { type ApiClient, readJsonStream } from "./client.js";

export interface PingResult {
  /** The server's highest API version (Api-Version header). */
  readonly apiVersion: string;
  readonly osType: string;
  readonly experimental: boolean;
  /** "1" (classic) or "2" (BuildKit) */
  readonly builderVersion: string;
  readonly swarm: string;
}

export async function ping(client: ApiClient, signal?: AbortSignal): Promise<PingResult> {
  const res = await client.request("GET", "/_ping", { unversioned: true, signal });
  const h = (name: string) => {
    const v = res.headers[name];
    return typeof v === "string" ? v : "";
  };
  return {
    apiVersion: h("api-version"),
    osType: h("ostype"),
    experimental: h("docker-experimental") === "true",
    builderVersion: h("builder-version"),
    swarm: h("swarm"),
  };
}

export function version(client: ApiClient): Promise<SystemVersion> {
  return client.json<SystemVersion>("GET", "/version");
}

export function info(client: ApiClient): Promise<SystemInfo> {
  return client.json<SystemInfo>("GET", "/info");
}

/** A time bound: a Date, Unix seconds (fractional allowed), or a string sent as is ("1700000000.5", RFC 3339). */
export type TimeBound = Date | number | string;

export interface EventsOptions {
  readonly since?: TimeBound;
  readonly until?: TimeBound;
  /** e.g. { type: ["container"], event: ["start", "die"], label: ["app=web"] } */
  readonly filters?: Readonly<Record<string, readonly string[] | string | undefined>>;
  /** Ends the stream (the iterator returns). */
  readonly signal?: AbortSignal;
}

function bound(value: TimeBound | undefined): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === "string" ? value : formatTimestamp(toNanos(value));
}

/**
 * Streams events. With `until` in the past the daemon replays its buffer and the iterator ends;
 * otherwise it runs until `signal` aborts or the caller stops iterating.
 */
export async function* events(client: ApiClient, options: EventsOptions = {}): AsyncGenerator<EventMessage> {
  const filters = options.filters ? encodeFilters(options.filters) : "";
  const res = await client.stream("GET", "/events", {
    query: { since: bound(options.since), until: bound(options.until), filters: filters || undefined },
    signal: options.signal,
  });
  try {
    yield* readJsonStream<EventMessage>(res);
  } catch (err) {
    if (options.signal?.aborted) return;
    throw err;
  } finally {
    res.destroy();
  }
}
