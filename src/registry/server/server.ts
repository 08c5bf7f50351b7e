/**
 * `berth registry serve`: an OCI distribution registry over HTTP. One function per endpoint
 * (handlers/), one dispatcher here that authenticates, routes, and turns every error into the spec's
 * `{"errors":[…]}` body. Every response carries `Docker-Distribution-API-Version: registry/2.0`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { BasicAuth } from "./auth.js";
import { denied, errorBody, isRegistryError, RegistryError } from "./errors.js";
import { deleteBlob, getBlob } from "./handlers/blobs.js";
import type { RequestContext } from "./handlers/context.js";
import { catalog, listTags, referrers } from "./handlers/discovery.js";
import { deleteManifest, getManifest, putManifest } from "./handlers/manifests.js";
import { cancelUpload, getUpload, patchUpload, putUpload, startUpload } from "./handlers/uploads.js";
import { isWrite, matchRoute, type Route } from "./routes.js";
import { RegistryStorage } from "./storage.js";
import { Uploads } from "./uploads.js";

export interface RegistryServerOptions {
  /** Storage directory (created when missing). */
  root: string;
  /** Listen address; default 127.0.0.1. */
  host?: string;
  /** Listen port; 0 picks a free one. Default 5000. */
  port?: number;
  /** htpasswd file: when set, every request needs basic auth of a user in it. */
  htpasswd?: string;
  /** Realm named in the 401 challenge; default "berth-registry". */
  realm?: string;
  /** Serve HTTPS with this certificate and key (PEM); with clientCa, require client certificates it signed. */
  tls?: { cert: string; key: string; clientCa?: string };
  /** Refuse pushes and deletes with 403 DENIED. */
  readOnly?: boolean;
  /** Called once per request with "METHOD path status ms" (an access log). */
  accessLog?: (line: string) => void;
  /** Called for server-side failures (5xx). */
  errorLog?: (line: string) => void;
}

export interface RunningRegistry {
  /** "http://127.0.0.1:5000" */
  url: string;
  /** "127.0.0.1:5000", as image references spell it. */
  hostPort: string;
  port: number;
  storage: RegistryStorage;
  /** Things worth telling the operator: htpasswd lines that can never log in. */
  warnings: readonly string[];
  /** Stops accepting, lets requests in flight finish (up to `graceMs`, default 5 s), then closes. */
  close(graceMs?: number): Promise<void>;
}

export async function startRegistryServer(opts: RegistryServerOptions): Promise<RunningRegistry> {
  const storage = await RegistryStorage.open(opts.root);
  const uploads = new Uploads(storage);
  const auth = opts.htpasswd
    ? await BasicAuth.load(opts.htpasswd, opts.realm ?? "berth-registry")
    : undefined;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    res.on("finish", () => {
      opts.accessLog?.(
        `${req.method} ${req.url} ${res.statusCode} ${Math.round(performance.now() - started)}ms`,
      );
    });
    handle({ req, res, storage, uploads, auth, opts }).catch((err) => {
      opts.errorLog?.(`${req.method} ${req.url}: ${String(err)}`);
      res.destroy();
    });
  };
  const tls = opts.tls;
  const server: Server = tls
    ? createHttpsServer(
        {
          cert: tls.cert,
          key: tls.key,
          ...(tls.clientCa ? { ca: tls.clientCa, requestCert: true, rejectUnauthorized: true } : {}),
        },
        handler,
      )
    : createServer(handler);
  // Uploads of big layers may take long: no whole-request time limit, but headers must come promptly
  // and a connection that stays silent for 5 minutes (a stalled upload) is closed.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.timeout = 5 * 60_000;
  server.keepAliveTimeout = 30_000;
  const host = opts.host ?? "127.0.0.1";
  await listen(server, host, opts.port ?? 5000);
  const port = (server.address() as AddressInfo).port;
  const hostPort = `${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    url: `${tls ? "https" : "http"}://${hostPort}`,
    hostPort,
    port,
    storage,
    warnings: auth ? auth.problems.map((p) => `htpasswd ${opts.htpasswd}: ${p}`) : [],
    close: (graceMs = 5000) => closeServer(server, graceMs),
  };
}

interface Shared {
  req: IncomingMessage;
  res: ServerResponse;
  storage: RegistryStorage;
  uploads: Uploads;
  auth: BasicAuth | undefined;
  opts: RegistryServerOptions;
}

async function handle(s: Shared): Promise<void> {
  const { req, res } = s;
  res.setHeader("Docker-Distribution-API-Version", "registry/2.0");
  const url = new URL(req.url ?? "/", "http://registry.invalid");
  const ctx: RequestContext = { req, res, url, storage: s.storage, uploads: s.uploads };
  try {
    const method = req.method ?? "GET";
    if (s.auth) {
      try {
        await s.auth.authenticate(req.headers.authorization);
      } catch (err) {
        res.setHeader("WWW-Authenticate", s.auth.challenge());
        throw err;
      }
    }
    const route = matchRoute(method, url.pathname);
    if (!route) throw new RegistryError(404, "UNSUPPORTED", `no registry endpoint at ${url.pathname}`);
    if (s.opts.readOnly && isWrite(method)) throw denied("this registry is read-only");
    await dispatch(ctx, method, route);
  } catch (err) {
    sendError(ctx, err, s.opts.errorLog);
  }
}

async function dispatch(ctx: RequestContext, method: string, r: Route): Promise<void> {
  switch (r.kind) {
    case "base":
      ctx.res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "2" });
      ctx.res.end(method === "HEAD" ? undefined : "{}");
      return;
    case "catalog":
      return catalog(ctx);
    case "tags":
      return listTags(ctx, r.name);
    case "referrers":
      return referrers(ctx, r.name, r.digest);
    case "manifest":
      if (method === "PUT") return putManifest(ctx, r.name, r.reference);
      if (method === "DELETE") return deleteManifest(ctx, r.name, r.reference);
      return getManifest(ctx, r.name, r.reference);
    case "blob":
      if (method === "DELETE") return deleteBlob(ctx, r.name, r.digest);
      return getBlob(ctx, r.name, r.digest);
    case "upload-start":
      return startUpload(ctx, r.name);
    case "upload":
      if (method === "PATCH") return patchUpload(ctx, r.name, r.uuid);
      if (method === "PUT") return putUpload(ctx, r.name, r.uuid);
      if (method === "DELETE") return cancelUpload(ctx, r.name, r.uuid);
      return getUpload(ctx, r.name, r.uuid);
  }
}

function sendError(ctx: RequestContext, err: unknown, errorLog?: (line: string) => void): void {
  const { req, res } = ctx;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  let e: RegistryError;
  if (isRegistryError(err)) e = err;
  else {
    errorLog?.(
      `${req.method} ${req.url}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
    e = new RegistryError(
      500,
      "UNKNOWN",
      `internal error: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const body = Buffer.from(errorBody(e.entries));
  const headers: Record<string, string> = {
    ...e.headers,
    "Content-Type": "application/json",
    "Content-Length": String(body.length),
  };
  // A body we did not read would be taken for the next request: close the connection instead.
  if (!req.complete) headers.Connection = "close";
  res.writeHead(e.status, headers);
  res.end(req.method === "HEAD" ? undefined : body);
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

async function closeServer(server: Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  try {
    await closed;
  } finally {
    clearTimeout(timer);
  }
}
