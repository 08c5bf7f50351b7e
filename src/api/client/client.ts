/**
 * ApiClient: the Engine API over a unix socket (or TCP), for the CLI, compose and tests. It works
 * against berthd and against Docker alike. Kept to node:http and lib/errors so the CLI starts fast.
 *
 *   const client = new ApiClient({ host: "unix:///run/berth/berth.sock" });
 *   const info = await client.json<SystemInfo>("GET", "/info");
 *   for await (const msg of readJsonStream(await client.stream("POST", "/images/create", { query }))) ...
 *
 * Paths are given without the version prefix; the client negotiates the version once through /_ping
 * (the lower of the server's Api-Version and its own maximum) and sends /v1.NN/... after that.
 * Responses with status >= 400 throw ApiError (a BerthError whose kind follows the status); 3xx such as
 * 304 "already started" come back as ordinary responses, as in Docker's client.
 */
import {
  Agent,
  type ClientRequest,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
} from "node:http";
import type { Duplex, Readable } from "node:stream";
import { BerthError, type ErrorKind, errnoCode } from "../../lib/errors.js";
import { API_VERSION_CURRENT, compareApiVersions } from "../types/version.js";

export const DEFAULT_HOST = "unix:///run/berth/berth.sock";

export interface ApiClientOptions {
  /** "unix:///run/berth/berth.sock" (default), "tcp://127.0.0.1:2375" or "http://host:port". */
  readonly host?: string;
  /** Use this version and skip negotiation. */
  readonly apiVersion?: string;
  /** Highest version to negotiate (default API_VERSION_CURRENT). */
  readonly maxApiVersion?: string;
  /** Sent with every request (User-Agent, ...). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Named in connection errors: "Cannot connect to the <name> daemon at ..." (default "berth"). */
  readonly daemonName?: string;
}

export type QueryValue = string | number | boolean | null | undefined | readonly string[];

export interface RequestOptions {
  /** undefined/null values are left out; true/false become "1"/"0"; arrays repeat the key. */
  readonly query?: Readonly<Record<string, QueryValue>>;
  /** Buffer, Uint8Array or string: sent as is; a Readable: streamed; anything else: JSON. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  /** Do not add the /vX.Y prefix (for /_ping). */
  readonly unversioned?: boolean;
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface HijackedConnection {
  /** The raw connection: write stdin, read the (raw or multiplexed) output. */
  readonly socket: Duplex;
  readonly headers: IncomingHttpHeaders;
  /** application/vnd.docker.raw-stream or application/vnd.docker.multiplexed-stream */
  readonly contentType: string;
}

/** A non-2xx/3xx answer from the daemon: kind from the status, message from its {"message"} body. */
export class ApiError extends BerthError {
  readonly status: number;
  constructor(status: number, message: string) {
    super(kindForStatus(status), message);
    this.name = "ApiError";
    this.status = status;
  }
}

export function kindForStatus(status: number): ErrorKind {
  switch (status) {
    case 400:
      return "invalid-argument";
    case 401:
      return "unauthorized";
    case 403:
      return "permission-denied";
    case 404:
      return "not-found";
    case 409:
      return "conflict";
    case 304:
      return "not-modified";
    case 501:
      return "not-implemented";
    case 503:
      return "unavailable";
    default:
      return "internal";
  }
}

interface Endpoint {
  readonly socketPath?: string;
  readonly hostname?: string;
  readonly port?: number;
}

function parseHost(host: string): Endpoint {
  if (host.startsWith("unix://")) return { socketPath: host.slice("unix://".length) };
  const m = /^(?:tcp|http):\/\/\[?([^\]/]+?)\]?(?::(\d+))?\/?$/.exec(host);
  if (m) return { hostname: m[1]!, port: m[2] ? Number(m[2]) : 2375 };
  throw new BerthError("invalid-argument", `unsupported host ${JSON.stringify(host)}: use unix:// or tcp://`);
}

function encodeQuery(query: Readonly<Record<string, QueryValue>> | undefined): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (typeof value === "boolean") params.append(key, value ? "1" : "0");
    else if (Array.isArray(value)) for (const v of value) params.append(key, v);
    else params.append(key, String(value));
  }
  const s = params.toString();
  return s === "" ? "" : `?${s}`;
}

function isReadable(v: unknown): v is Readable {
  return typeof v === "object" && v !== null && typeof (v as Readable).pipe === "function";
}

async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function messageOf(status: number, body: Buffer): string {
  const text = body.toString("utf8").trim();
  if (text !== "") {
    try {
      const parsed = JSON.parse(text) as { message?: unknown };
      if (typeof parsed.message === "string") return parsed.message;
    } catch {
      // not JSON: use the text
    }
    return text;
  }
  return `request failed with status ${status}`;
}

export class ApiClient {
  readonly host: string;
  readonly #endpoint: Endpoint;
  readonly #agent: Agent;
  readonly #options: ApiClientOptions;
  #version: Promise<string> | undefined;

  constructor(options: ApiClientOptions = {}) {
    this.#options = options;
    this.host = options.host ?? DEFAULT_HOST;
    this.#endpoint = parseHost(this.host);
    this.#agent = new Agent({ keepAlive: true });
    if (options.apiVersion !== undefined) this.#version = Promise.resolve(options.apiVersion);
  }

  /** The API version used in paths: negotiated through /_ping on first use, then cached. */
  apiVersion(): Promise<string> {
    this.#version ??= this.#negotiate().catch((err: unknown) => {
      this.#version = undefined; // retry on the next call (the daemon may be starting)
      throw err;
    });
    return this.#version;
  }

  async #negotiate(): Promise<string> {
    const res = await this.#send("GET", "/_ping", {}, undefined);
    await readAll(res);
    const max = this.#options.maxApiVersion ?? API_VERSION_CURRENT;
    const header = res.headers["api-version"];
    const server = typeof header === "string" && header !== "" ? header : "1.24";
    return compareApiVersions(server, max) < 0 ? server : max;
  }

  /** Sends a request and buffers the whole response. Throws ApiError for status >= 400. */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
    const res = await this.#open(method, path, options);
    const body = await readAll(res);
    return { status: res.statusCode ?? 0, headers: res.headers, body };
  }

  /** Sends a request and parses the JSON response (undefined for an empty body). */
  async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const res = await this.request(method, path, options);
    const text = res.body.toString("utf8");
    if (text.trim() === "") return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new BerthError(
        "internal",
        `invalid JSON from daemon for ${method} ${path}: ${(err as Error).message}`,
      );
    }
  }

  /** Sends a request and returns the response unread (for streams). Throws ApiError for status >= 400. */
  stream(method: string, path: string, options: RequestOptions = {}): Promise<IncomingMessage> {
    return this.#open(method, path, options);
  }

  /** Attach/exec start: sends the request with `Upgrade: tcp` and returns the upgraded connection. */
  async hijack(method: string, path: string, options: RequestOptions = {}): Promise<HijackedConnection> {
    const full = await this.#path(path, options);
    const headers = { ...options.headers, Connection: "Upgrade", Upgrade: "tcp" };
    const req = this.#request(method, full, headers, options.signal, false);
    return new Promise<HijackedConnection>((resolve, reject) => {
      req.once("upgrade", (res: IncomingMessage, socket: Duplex, head: Buffer) => {
        if (head.length > 0) socket.unshift(head);
        resolve({ socket, headers: res.headers, contentType: String(res.headers["content-type"] ?? "") });
      });
      req.once("response", (res: IncomingMessage) => {
        readAll(res).then((body) => {
          const status = res.statusCode ?? 0;
          reject(
            status >= 400
              ? new ApiError(status, messageOf(status, body))
              : new BerthError("internal", `${method} ${path}: the daemon did not upgrade the connection`),
          );
        }, reject);
      });
      req.once("error", (err) => reject(this.#connectionError(err)));
      this.#writeBody(req, options.body, headers);
    });
  }

  /** Drops pooled keep-alive connections. */
  close(): void {
    this.#agent.destroy();
  }

  async #path(path: string, options: RequestOptions): Promise<string> {
    const query = encodeQuery(options.query);
    if (options.unversioned) return path + query;
    return `/v${await this.apiVersion()}${path}${query}`;
  }

  async #open(method: string, path: string, options: RequestOptions): Promise<IncomingMessage> {
    const res = await this.#send(method, await this.#path(path, options), options, options.body);
    const status = res.statusCode ?? 0;
    if (status >= 400) throw new ApiError(status, messageOf(status, await readAll(res)));
    return res;
  }

  #send(method: string, fullPath: string, options: RequestOptions, body: unknown): Promise<IncomingMessage> {
    const headers: Record<string, string> = { ...options.headers };
    const req = this.#request(method, fullPath, headers, options.signal, true);
    return new Promise<IncomingMessage>((resolve, reject) => {
      req.once("response", resolve);
      req.once("error", (err) => reject(this.#connectionError(err)));
      this.#writeBody(req, body, headers);
    });
  }

  #request(
    method: string,
    fullPath: string,
    headers: Record<string, string>,
    signal: AbortSignal | undefined,
    pooled: boolean,
  ): ClientRequest {
    const base = this.#options.headers ?? {};
    const all: Record<string, string> = { "User-Agent": "berth-client", ...base, ...headers };
    return httpRequest({
      ...this.#endpoint,
      host: this.#endpoint.hostname ?? "localhost",
      method,
      path: fullPath,
      headers: all,
      agent: pooled ? this.#agent : false,
      signal,
    });
  }

  #writeBody(req: ClientRequest, body: unknown, headers: Record<string, string>): void {
    const has = (name: string) => Object.keys(headers).some((h) => h.toLowerCase() === name);
    if (body === undefined) {
      req.end();
    } else if (isReadable(body)) {
      if (!has("content-type")) req.setHeader("Content-Type", "application/x-tar");
      body.once("error", (err) => req.destroy(err));
      body.pipe(req);
    } else if (typeof body === "string" || body instanceof Uint8Array) {
      req.setHeader("Content-Length", Buffer.byteLength(body));
      req.end(body);
    } else {
      const json = JSON.stringify(body);
      if (!has("content-type")) req.setHeader("Content-Type", "application/json");
      req.setHeader("Content-Length", Buffer.byteLength(json));
      req.end(json);
    }
  }

  #connectionError(err: unknown): BerthError {
    if (err instanceof BerthError) return err;
    const name = this.#options.daemonName ?? "berth";
    const code = errnoCode(err);
    if (code === "ABORT_ERR") return new BerthError("canceled", "request canceled", { cause: err });
    if (code === "ENOENT" || code === "ECONNREFUSED") {
      return new BerthError(
        "unavailable",
        `Cannot connect to the ${name} daemon at ${this.host}. Is the ${name} daemon running?`,
        { cause: err },
      );
    }
    if (code === "EACCES") {
      return new BerthError(
        "permission-denied",
        `permission denied while trying to connect to the ${name} daemon socket at ${this.host}`,
        { cause: err },
      );
    }
    const msg = err instanceof Error ? err.message : String(err);
    return new BerthError("unavailable", `error during connect to ${this.host}: ${msg}`, { cause: err });
  }
}

/**
 * Reads a JSON message stream (one JSON value per line, as /events, pull and build send) and yields
 * each parsed value. Blank lines are skipped; a malformed line throws.
 */
export async function* readJsonStream<T>(stream: AsyncIterable<Buffer | string>): AsyncGenerator<T> {
  let pending = "";
  const decoder = new TextDecoder();
  for await (const chunk of stream) {
    pending += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    let nl = pending.indexOf("\n");
    while (nl >= 0) {
      const line = pending.slice(0, nl).trim();
      pending = pending.slice(nl + 1);
      if (line !== "") yield JSON.parse(line) as T;
      nl = pending.indexOf("\n");
    }
  }
  pending += decoder.decode();
  if (pending.trim() !== "") yield JSON.parse(pending) as T;
}

/** Throws when a JSON progress message carries Docker's in-band error ({"error": ..., "errorDetail": ...}). */
export function throwIfStreamError(message: unknown): void {
  if (typeof message !== "object" || message === null) return;
  const m = message as { error?: unknown; errorDetail?: { message?: unknown } };
  if (m.errorDetail !== undefined || m.error !== undefined) {
    const text = typeof m.errorDetail?.message === "string" ? m.errorDetail.message : String(m.error);
    throw new BerthError("internal", text);
  }
}
