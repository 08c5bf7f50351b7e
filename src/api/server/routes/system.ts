/**
 * System routes: GET|HEAD /_ping, GET /version, GET /info, GET /events.
 * The backend interface is declared here, by its consumer; daemon/system satisfies it structurally.
 */
import { BerthError } from "../../../lib/errors.js";
import { type Filters, parseFilters } from "../../types/filters.js";
import type { EventMessage, SystemInfo, SystemVersion } from "../../types/system.js";
import { parseTimestamp } from "../../types/timestamp.js";
import { beginJsonStream, sendJson, writeJsonLine } from "../respond.js";
import type { Route, RouteContext } from "../router.js";

export interface EventSubscribeOptions {
  /** Unix nanoseconds: replay buffered events from this time on. */
  readonly since?: bigint;
  /** Unix nanoseconds: replay buffered events up to this time. */
  readonly until?: bigint;
  readonly filters: Filters;
}

export interface EventSubscription {
  /** Buffered events within since/until that pass the filters, oldest first; empty when neither is set. */
  readonly history: readonly EventMessage[];
  /** Stops delivery; idempotent. */
  close(): void;
}

export interface EventSource {
  /**
   * Delivers future events that pass the filters to `onEvent`, synchronously as they are published.
   * Throws invalid-argument for filters it does not accept.
   */
  subscribe(options: EventSubscribeOptions, onEvent: (event: EventMessage) => void): EventSubscription;
}

export interface SystemBackend {
  /** The complete /version body. */
  version(): SystemVersion | Promise<SystemVersion>;
  /** The complete /info body. */
  info(): Promise<SystemInfo>;
  readonly events: EventSource;
}

export interface SystemRoutesOptions {
  /** Wall clock in Unix nanoseconds (tests inject one). */
  readonly now?: () => bigint;
  /** A client that lets this many bytes of events pile up unread is cut off (default 16 MiB). */
  readonly maxEventBacklogBytes?: number;
}

const wallClockNanos = (): bigint => BigInt(Date.now()) * 1_000_000n;

export function systemRoutes(backend: SystemBackend, options: SystemRoutesOptions = {}): Route[] {
  const now = options.now ?? wallClockNanos;
  const maxBacklog = options.maxEventBacklogBytes ?? 16 * 1024 * 1024;

  const ping = async ({ req, res }: RouteContext): Promise<void> => {
    res.setHeader("Builder-Version", "1");
    res.setHeader("Swarm", "inactive");
    res.setHeader("Cache-Control", "no-cache, no-store, must-revalidate");
    res.setHeader("Pragma", "no-cache");
    res.writeHead(200, {
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Length": req.method === "HEAD" ? 0 : 2,
    });
    res.end(req.method === "HEAD" ? undefined : "OK");
  };

  return [
    { method: "GET", path: "/_ping", handler: ping },
    { method: "HEAD", path: "/_ping", handler: ping },
    {
      method: "GET",
      path: "/version",
      handler: async ({ res }) => sendJson(res, 200, await backend.version()),
    },
    {
      method: "GET",
      path: "/info",
      handler: async ({ res }) => sendJson(res, 200, await backend.info()),
    },
    {
      method: "GET",
      path: "/events",
      handler: (ctx) => streamEvents(ctx, backend.events, now(), maxBacklog),
    },
  ];
}

async function streamEvents(ctx: RouteContext, source: EventSource, now: bigint, maxBacklog: number) {
  const { query, res } = ctx;
  const since = parseTimestamp(query.get("since"));
  const until = parseTimestamp(query.get("until"));
  if (until !== undefined && since !== undefined && until < since) {
    throw new BerthError(
      "invalid-argument",
      `\`since\` time (${query.get("since")}) cannot be after \`until\` time (${query.get("until")})`,
    );
  }
  const filters = parseFilters(query.get("filters"));

  const sub = source.subscribe({ since, until, filters }, (event) => {
    if (!writeJsonLine(res, event) && res.writableLength > maxBacklog) res.destroy();
  });
  try {
    beginJsonStream(res);
    for (const event of sub.history) writeJsonLine(res, event);
    if (until === undefined || until > now) {
      const ms = until === undefined ? undefined : Number((until - now) / 1_000_000n) + 1;
      await endOfStream(ctx, ms);
    }
  } finally {
    sub.close();
  }
  if (!res.writableEnded && !res.destroyed) res.end();
}

/** Resolves when the client goes away, the server shuts down, or `ms` elapse. */
function endOfStream(ctx: RouteContext, ms: number | undefined): Promise<void> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(timer);
      ctx.signal?.removeEventListener("abort", done);
      ctx.res.off("close", done);
      resolve();
    };
    // setTimeout cannot wait past 2^31-1 ms (~24.8 days); such a stream just runs until the client leaves.
    if (ms !== undefined && ms <= 2_147_483_647) timer = setTimeout(done, ms);
    if (ctx.signal?.aborted) return done();
    ctx.signal?.addEventListener("abort", done, { once: true });
    ctx.res.once("close", done);
  });
}
