/**
 * The Engine API server: HTTP/1.1 on a unix socket. It owns the connection lifecycle (keep-alive,
 * upgrades, shutdown), the version prefix, routing, the common response headers and the mapping of
 * thrown errors to responses; handlers (routes/*.ts) stay thin.
 *
 *   const server = createApiServer({ socketPath, routes, version: { current: "1.50", min: "1.24" } });
 *   await server.start();   // listening, socket chmod 0660
 *   ...
 *   await server.close();   // stops accepting, ends streams, waits briefly for in-flight requests
 */
import { chmod, chown, mkdir, rm, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, ServerResponse } from "node:http";
import { connect, type Socket } from "node:net";
import { dirname } from "node:path";
import type { Duplex } from "node:stream";
import { BerthError, errnoCode } from "../../lib/errors.js";
import { log } from "../../lib/log.js";
import type { ApiVersionRange } from "../types/version.js";
import { createRouteContext, type UpgradeConnection } from "./context.js";
import { errorMessageOf, httpStatusOf, jsonStreamErrorLine, writeError } from "./errors.js";
import { compileRoutes, resolveApiVersion, splitVersionedPath } from "./route-table.js";
import type { Route } from "./router.js";

export interface ApiServerOptions {
  readonly routes: readonly Route[];
  readonly version: ApiVersionRange;
  /** Where to listen, e.g. /run/berth/berth.sock. */
  readonly socketPath: string;
  /** berth's own version, for the `Server: berth/<version> (linux)` header. */
  readonly serverVersion?: string;
  /** Socket file mode after listen (default 0o660). */
  readonly socketMode?: number;
  /** Group to own the socket (like dockerd's `docker` group); unchanged when absent. */
  readonly socketGid?: number;
  /** Cap for ctx.body()/ctx.json() (default 64 MiB). Handlers that take big uploads read ctx.req. */
  readonly maxBodyBytes?: number;
  /** How long close() lets in-flight requests finish before cutting them (default 1000 ms). */
  readonly closeGraceMs?: number;
}

export interface ApiServer {
  readonly socketPath: string;
  /** The node server, for tests and metrics; do not add routes through it. */
  readonly httpServer: Server;
  start(): Promise<void>;
  close(): Promise<void>;
}

interface InFlight {
  readonly abort: AbortController;
  readonly done: Promise<void>;
}

const JSON_STREAM = /^application\/(json|x-ndjson|jsonl|json-seq)\b/i;

export function createApiServer(options: ApiServerOptions): ApiServer {
  const table = compileRoutes(options.routes);
  const range = options.version;
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024 * 1024;
  const graceMs = options.closeGraceMs ?? 1000;
  const serverHeader = `berth/${options.serverVersion ?? "dev"} (linux)`;
  const inFlight = new Set<InFlight>();
  const hijacked = new Set<Duplex>();
  const upgraded = new Set<Socket>(); // sockets node handed over on 'upgrade'; the server no longer tracks them
  let closing: Promise<void> | undefined;

  const httpServer = createServer({ requestTimeout: 0 });
  httpServer.on("request", (req: IncomingMessage, res: ServerResponse) => {
    void dispatch(req, res, undefined);
  });
  httpServer.on("upgrade", (req: IncomingMessage, socket: Socket, head: Buffer) => {
    // Node has released the socket; answer on a ServerResponse of our own. Unless a handler
    // hijacks, the connection closes after that response (the parser is gone).
    upgraded.add(socket);
    socket.once("close", () => upgraded.delete(socket));
    const res = new ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket);
    res.once("finish", () => {
      res.detachSocket(socket);
      socket.end();
    });
    socket.on("error", () => socket.destroy());
    void dispatch(req, res, { socket, head });
  });
  async function dispatch(req: IncomingMessage, res: ServerResponse, up: UpgradeConnection | undefined) {
    const abort = new AbortController();
    let finish!: () => void;
    const entry: InFlight = { abort, done: new Promise<void>((r) => (finish = r)) };
    inFlight.add(entry);
    const onGone = () => abort.abort(new BerthError("canceled", "client disconnected"));
    res.once("close", onGone);
    up?.socket.once("close", onGone);

    res.setHeader("Api-Version", range.current);
    res.setHeader("Docker-Experimental", "false");
    res.setHeader("Ostype", "linux");
    res.setHeader("Server", serverHeader);

    let ctx: ReturnType<typeof createRouteContext> | undefined;
    try {
      const rawUrl = req.url ?? "/";
      const q = rawUrl.indexOf("?");
      const { version, path } = splitVersionedPath(q < 0 ? rawUrl : rawUrl.slice(0, q));
      const found = table.match(req.method ?? "GET", path);
      // Docker answers 404 "page not found" for unknown paths and for known paths under another method.
      if (found.kind !== "found") throw new BerthError("not-found", "page not found");
      const apiVersion = resolveApiVersion(version, range);
      ctx = createRouteContext({
        req,
        res,
        params: found.match.params,
        query: new URLSearchParams(q < 0 ? "" : rawUrl.slice(q + 1)),
        apiVersion,
        signal: abort.signal,
        maxBodyBytes,
        upgrade: up,
        onHijack: (stream) => {
          hijacked.add(stream);
          stream.once("close", () => hijacked.delete(stream));
        },
      });
      await found.match.route.handler(ctx);
      if (!ctx.hijacked && !res.headersSent && !res.writableEnded) res.end();
    } catch (err) {
      failRequest(req, res, err, ctx?.hijacked === true ? up?.socket : undefined);
    } finally {
      inFlight.delete(entry);
      finish();
    }
  }

  function failRequest(req: IncomingMessage, res: ServerResponse, err: unknown, hijackedSocket?: Socket) {
    const status = httpStatusOf(err);
    const fields = { method: req.method, url: req.url, status, error: errorMessageOf(err) };
    if (status >= 500 && status !== 501) log.error("api: request failed", fields);
    else log.debug("api: request failed", fields);
    if (hijackedSocket) {
      hijackedSocket.destroy();
      return;
    }
    if (!res.headersSent) {
      writeError(res, err);
      return;
    }
    if (res.writableEnded || res.destroyed) return;
    const contentType = String(res.getHeader("content-type") ?? "");
    if (JSON_STREAM.test(contentType)) res.end(jsonStreamErrorLine(err));
    else res.destroy();
  }

  async function start(): Promise<void> {
    await prepareSocketPath(options.socketPath);
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      httpServer.once("error", onError);
      httpServer.listen(options.socketPath, () => {
        httpServer.off("error", onError);
        resolve();
      });
    });
    await chmod(options.socketPath, options.socketMode ?? 0o660);
    if (options.socketGid !== undefined)
      await chown(options.socketPath, process.getuid?.() ?? 0, options.socketGid);
    log.info("api: listening", { socket: options.socketPath });
  }

  async function shutdown(): Promise<void> {
    if (!httpServer.listening) return;
    const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
    const reason = new BerthError("canceled", "server shutting down");
    for (const entry of inFlight) entry.abort.abort(reason);
    for (const stream of hijacked) stream.destroy();
    httpServer.closeIdleConnections();
    const all = Promise.all([...inFlight].map((e) => e.done));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    httpServer.closeAllConnections();
    for (const stream of hijacked) stream.destroy();
    for (const socket of upgraded) socket.destroy();
    await closed;
    await rm(options.socketPath, { force: true });
  }

  return {
    socketPath: options.socketPath,
    httpServer,
    start,
    close() {
      closing ??= shutdown();
      return closing;
    },
  };
}

/** Creates the socket's directory and removes a stale socket file; refuses if a server answers there. */
async function prepareSocketPath(socketPath: string): Promise<void> {
  await mkdir(dirname(socketPath), { recursive: true, mode: 0o755 });
  let isSocket = false;
  try {
    isSocket = (await stat(socketPath)).isSocket();
  } catch (err) {
    if (errnoCode(err) === "ENOENT") return;
    throw err;
  }
  if (!isSocket) throw new BerthError("failed-precondition", `${socketPath} exists and is not a socket`);
  if (await answers(socketPath)) {
    throw new BerthError("conflict", `${socketPath} is in use: another daemon is listening there`);
  }
  await rm(socketPath, { force: true });
}

function answers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect(socketPath);
    sock.once("connect", () => {
      sock.destroy();
      resolve(true);
    });
    sock.once("error", () => resolve(false));
  });
}
