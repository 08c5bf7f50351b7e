import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";

export type HttpMethod = "GET" | "HEAD" | "POST" | "PUT" | "DELETE";

/** What a route handler gets: the request, parsed path params and query, and the negotiated API version. */
export interface RouteContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** "1.50" for /v1.50/..., the server's current version for unversioned paths. */
  readonly apiVersion: string;
  /**
   * Aborted when the client disconnects or the server shuts down; long streams (events, logs --follow,
   * stats) stop on it. Always set by createApiServer (optional only so hand-made test contexts compile).
   */
  readonly signal?: AbortSignal;
  /** The whole request body (bounded); for JSON bodies use json(). */
  body(): Promise<Buffer>;
  /** Parses the body as JSON; a malformed body is a 400 with Docker's wording. Empty body -> undefined. */
  json<T>(): Promise<T | undefined>;
  /**
   * Takes over the connection for attach/exec: writes Docker's 101 UPGRADED (or 200 for old clients)
   * response headers and hands back the raw socket.
   */
  hijack(contentType?: string): Promise<Duplex>;
}

export interface Route {
  method: HttpMethod;
  /** Path template without the version prefix: "/images/{name}/json". A {name} param may contain slashes. */
  path: string;
  /**
   * Writes the whole response (or hijacks) before its promise settles; if it wrote nothing the server
   * sends an empty 200. A thrown error becomes Docker's error response (see errors.ts), or an in-band
   * error line when a JSON stream has already started.
   */
  handler(ctx: RouteContext): Promise<void>;
}
