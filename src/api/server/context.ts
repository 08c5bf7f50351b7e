/**
 * The RouteContext the server hands to handlers: bounded body reading, JSON parsing with Docker's 400,
 * and hijacking the connection for attach/exec.
 *
 * Two connection shapes reach a handler:
 *  - a plain request (node's 'request' event): `res` is node's own ServerResponse;
 *  - an upgrade request (`Connection: Upgrade`, `Upgrade: tcp`, as the docker CLI sends for attach and
 *    exec start; node's 'upgrade' event): node has already let go of the socket, the server made a
 *    ServerResponse on it, and the request body (exec start sends JSON) is in `head` plus whatever
 *    still arrives on the socket.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { Duplex } from "node:stream";
import { BerthError } from "../../lib/errors.js";
import type { RouteContext } from "./router.js";

export const RAW_STREAM = "application/vnd.docker.raw-stream";
export const MULTIPLEXED_STREAM = "application/vnd.docker.multiplexed-stream";

export interface UpgradeConnection {
  readonly socket: Socket;
  /** Bytes node read past the request headers. */
  readonly head: Buffer;
}

export interface ContextInit {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly apiVersion: string;
  readonly signal: AbortSignal;
  readonly maxBodyBytes: number;
  readonly upgrade: UpgradeConnection | undefined;
  /** Called once with the socket (or stream) a handler took over, so the server can close it on shutdown. */
  readonly onHijack: (stream: Duplex) => void;
}

export interface ServerRouteContext extends RouteContext {
  readonly signal: AbortSignal;
  /** True once hijack() has taken the connection. */
  readonly hijacked: boolean;
}

function tooLarge(limit: number): BerthError {
  return new BerthError("invalid-argument", `request body exceeds the limit of ${limit} bytes`);
}

function declaredLength(req: IncomingMessage): number | undefined {
  const v = req.headers["content-length"];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new BerthError("invalid-argument", "invalid Content-Length");
  return n;
}

async function readRequestBody(req: IncomingMessage, res: ServerResponse, limit: number): Promise<Buffer> {
  const declared = declaredLength(req);
  if (declared !== undefined && declared > limit) {
    res.shouldKeepAlive = false;
    throw tooLarge(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > limit) {
      res.shouldKeepAlive = false;
      throw tooLarge(limit);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks, size);
}

/** Reads Content-Length bytes from `head` and then the socket; keeps any extra bytes for the hijacker. */
function readUpgradeBody(
  up: UpgradeConnection,
  req: IncomingMessage,
  limit: number,
  keep: (rest: Buffer) => void,
): Promise<Buffer> {
  const length = declaredLength(req) ?? 0;
  if (length > limit) return Promise.reject(tooLarge(limit));
  if (up.head.length >= length) {
    keep(up.head.subarray(length));
    return Promise.resolve(up.head.subarray(0, length));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [up.head];
    let size = up.head.length;
    const cleanup = () => {
      up.socket.off("data", onData);
      up.socket.off("end", onEnd);
      up.socket.off("error", onEnd);
      up.socket.pause();
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size < length) return;
      cleanup();
      const all = Buffer.concat(chunks, size);
      keep(all.subarray(length));
      resolve(all.subarray(0, length));
    };
    const onEnd = () => {
      cleanup();
      reject(new BerthError("invalid-argument", "unexpected end of request body"));
    };
    up.socket.on("data", onData);
    up.socket.once("end", onEnd);
    up.socket.once("error", onEnd);
  });
}

function rawHeaderBlock(res: ServerResponse, skip: ReadonlySet<string>): string {
  let out = "";
  for (const [name, value] of Object.entries(res.getHeaders())) {
    if (value === undefined || skip.has(name)) continue;
    const values = Array.isArray(value) ? value : [String(value)];
    for (const v of values) out += `${canonicalHeader(name)}: ${v}\r\n`;
  }
  return out;
}

function canonicalHeader(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

const HIJACK_SKIP = new Set(["content-type", "connection", "upgrade", "content-length", "transfer-encoding"]);

export function createRouteContext(init: ContextInit): ServerRouteContext {
  const { req, res, upgrade } = init;
  let bodyPromise: Promise<Buffer> | undefined;
  let hijacked = false;
  // Bytes that arrived after the request body on an upgrade connection (early stdin).
  let pending: Buffer | undefined = upgrade?.head;

  const body = (): Promise<Buffer> => {
    bodyPromise ??= upgrade
      ? readUpgradeBody(upgrade, req, init.maxBodyBytes, (rest) => {
          pending = rest;
        })
      : readRequestBody(req, res, init.maxBodyBytes);
    return bodyPromise;
  };

  const hijackUpgrade = (up: UpgradeConnection, contentType: string): Duplex => {
    res.detachSocket(up.socket);
    up.socket.setTimeout(0);
    // Back to "no reader yet" (as node leaves an upgraded socket), so the hijacker's first
    // 'data' listener or pipe() starts the flow even if reading the body paused it.
    (up.socket as unknown as { readableFlowing: boolean | null }).readableFlowing = null;
    up.socket.write(
      `HTTP/1.1 101 UPGRADED\r\nContent-Type: ${contentType}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n` +
        `${rawHeaderBlock(res, HIJACK_SKIP)}\r\n`,
    );
    if (pending && pending.length > 0) up.socket.unshift(pending);
    pending = undefined;
    return up.socket;
  };

  const hijackPlain = (contentType: string): Duplex => {
    // No Upgrade: answer 200 and stream raw bytes on the response (no chunked framing), reading
    // from the request body; the connection closes when the stream ends.
    res.useChunkedEncodingByDefault = false;
    res.shouldKeepAlive = false;
    res.removeHeader("Content-Length");
    res.writeHead(200, { "Content-Type": contentType });
    res.flushHeaders();
    return Duplex.from({ readable: req, writable: res });
  };

  return {
    req,
    res,
    params: init.params,
    query: init.query,
    apiVersion: init.apiVersion,
    signal: init.signal,
    get hijacked() {
      return hijacked;
    },
    body,
    async json<T>(): Promise<T | undefined> {
      const buf = await body();
      if (buf.length === 0 || buf.toString("utf8").trim() === "") return undefined;
      try {
        return JSON.parse(buf.toString("utf8")) as T;
      } catch (err) {
        throw new BerthError("invalid-argument", `invalid JSON: ${(err as Error).message}`, { cause: err });
      }
    },
    async hijack(contentType = RAW_STREAM): Promise<Duplex> {
      if (hijacked) throw new BerthError("internal", "connection already hijacked");
      if (res.headersSent) throw new BerthError("internal", "cannot hijack: response already started");
      // An upgrade request's body must be read before the socket changes hands.
      if (upgrade) await body();
      hijacked = true;
      const stream = upgrade ? hijackUpgrade(upgrade, contentType) : hijackPlain(contentType);
      init.onHijack(stream);
      return stream;
    },
  };
}
