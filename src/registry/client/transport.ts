/**
 * One HTTP exchange with a registry over node:http/https, with time limits:
 *
 *   connect   the TCP (and TLS) connection must be up within `connectMs`
 *   headers   the response head must arrive within `headerMs` of sending the request
 *   stall     while a body is read, fewer than STALL_MIN_BYTES in any `stallMs` window aborts it
 *             (a registry that drips bytes, or goes silent, fails instead of hanging a pull)
 *
 * HTTPS verifies against the system's CA bundle (/etc/ssl/certs/ca-certificates.crt), or Node's
 * own when the system has none. Redirects and auth are the session's business.
 */
import { readFileSync } from "node:fs";
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { rootCertificates } from "node:tls";
import type { Readable } from "node:stream";
import { BerthError } from "../../lib/errors.js";
import type { HostTls } from "./host-certs.js";

export interface Timeouts {
  connectMs: number;
  headerMs: number;
  stallMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 15_000, headerMs: 60_000, stallMs: 60_000 };

/** A body must bring at least this many bytes per stall window. */
export const STALL_MIN_BYTES = 1024;

export interface HttpRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  /** Sent as is, or streamed (a fresh stream per attempt). */
  body?: Buffer | (() => Readable);
  skipVerify?: boolean;
  /** This registry's certs.d material: extra CAs, a client certificate. */
  tls?: HostTls;
}

/** The system's CA bundle (Debian, then Fedora/RHEL paths); Node's own bundle when there is none. */
export const SYSTEM_CA_FILES = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"];

function systemCa(): string | undefined {
  for (const file of SYSTEM_CA_FILES) {
    try {
      return readFileSync(file, "utf8");
    } catch {
      // try the next one
    }
  }
  return undefined;
}

const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });
let httpsAgentCache: https.Agent | undefined;
const httpsAgent = (): https.Agent => {
  if (!httpsAgentCache) {
    const ca = systemCa();
    httpsAgentCache = new https.Agent({ keepAlive: true, maxSockets: 16, ...(ca ? { ca } : {}) });
  }
  return httpsAgentCache;
};
const insecureHttpsAgent = new https.Agent({ keepAlive: true, maxSockets: 16, rejectUnauthorized: false });

/** Agents for hosts with certs.d material, by its content (a changed file makes a new agent). */
const tlsAgents = new Map<string, https.Agent>();
/** The same, by the material object a session holds (every request of the session asks). */
const tlsAgentsOf = new WeakMap<HostTls, { skipVerify: boolean; agent: https.Agent }>();
function tlsAgent(tls: HostTls, skipVerify: boolean): https.Agent {
  const known = tlsAgentsOf.get(tls);
  if (known?.skipVerify === skipVerify) return known.agent;
  const key = JSON.stringify([tls.ca, tls.cert ?? "", tls.key ?? "", skipVerify]);
  let agent = tlsAgents.get(key);
  if (!agent) {
    const system = systemCa();
    agent = new https.Agent({
      keepAlive: true,
      maxSockets: 16,
      rejectUnauthorized: !skipVerify,
      // Given CAs replace Node's defaults: keep the system's (or Node's own) beside them.
      ...(tls.ca.length > 0 ? { ca: [...(system ? [system] : rootCertificates), ...tls.ca] } : {}),
      ...(tls.cert && tls.key ? { cert: tls.cert, key: tls.key } : {}),
    });
    if (tlsAgents.size >= 32) tlsAgents.clear(); // a bound, not a cache policy
    tlsAgents.set(key, agent);
  }
  tlsAgentsOf.set(tls, { skipVerify, agent });
  return agent;
}

/** A network-level failure (no HTTP answer): worth retrying, or falling back to plain HTTP. */
export class TransportError extends BerthError {
  constructor(message: string, cause?: unknown) {
    super("unavailable", message, { cause });
    this.name = "TransportError";
  }
}

export function send(req: HttpRequest, timeouts: Timeouts): Promise<IncomingMessage> {
  const isHttps = req.url.protocol === "https:";
  const mod = isHttps ? https : http;
  const agent = !isHttps
    ? httpAgent
    : req.tls
      ? tlsAgent(req.tls, req.skipVerify === true)
      : req.skipVerify
        ? insecureHttpsAgent
        : httpsAgent();
  const target = `${req.method} ${req.url.origin}${req.url.pathname}`;
  return new Promise<IncomingMessage>((resolve, reject) => {
    const r = mod.request(req.url, { method: req.method, headers: req.headers, agent });
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(headerTimer);
      r.destroy();
      reject(err instanceof BerthError ? err : new TransportError(`${target}: ${err.message}`, err));
    };
    const connectTimer = setTimeout(
      () => fail(new TransportError(`${target}: no connection within ${timeouts.connectMs / 1000}s`)),
      timeouts.connectMs,
    );
    const headerTimer = setTimeout(
      () => fail(new TransportError(`${target}: no response within ${timeouts.headerMs / 1000}s`)),
      timeouts.headerMs,
    );
    r.on("socket", (sock) => {
      const connected = () => clearTimeout(connectTimer);
      if (!sock.connecting) connected();
      else sock.once(isHttps ? "secureConnect" : "connect", connected);
    });
    r.on("error", fail);
    r.on("response", (res) => {
      if (settled) {
        res.destroy();
        return;
      }
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(headerTimer);
      watchStall(res, target, timeouts.stallMs);
      resolve(res);
    });
    if (req.body === undefined) r.end();
    else if (Buffer.isBuffer(req.body)) r.end(req.body);
    else {
      const body = req.body();
      body.on("error", (err) => fail(err));
      body.pipe(r);
    }
  });
}

/** Destroys `res` with a TransportError when a stall window passes with too few bytes. */
function watchStall(res: IncomingMessage, target: string, stallMs: number): void {
  // Counted on the socket, so watching never changes the stream's mode or takes its data.
  const sock = res.socket;
  let last = sock?.bytesRead ?? 0;
  const timer = setInterval(() => {
    const now = sock?.bytesRead ?? 0;
    const bytes = now - last;
    last = now;
    // A full buffer means the reader is slow, not the registry.
    if (res.readableLength >= res.readableHighWaterMark) return;
    if (bytes < STALL_MIN_BYTES && !res.complete) {
      clearInterval(timer);
      res.destroy(
        new TransportError(
          `${target}: the registry sent ${bytes} bytes in ${stallMs / 1000}s (stalled); giving up on this download`,
        ),
      );
    }
  }, stallMs);
  timer.unref();
  const stop = () => clearInterval(timer);
  res.once("end", stop);
  res.once("close", stop);
  res.once("error", stop);
}

/** Reads a whole body, refusing more than `limit` bytes. */
export async function readBody(res: IncomingMessage, limit: number, what: string): Promise<Buffer> {
  const declared = Number(res.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) {
    res.destroy();
    throw new BerthError("invalid-argument", `${what} is too large: ${declared} bytes (limit ${limit})`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res) {
      size += (chunk as Buffer).length;
      if (size > limit) {
        res.destroy();
        throw new BerthError("invalid-argument", `${what} is too large: more than ${limit} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    if (err instanceof BerthError) throw err;
    throw new TransportError(`reading ${what}: ${(err as Error).message}`, err);
  }
  return Buffer.concat(chunks);
}
