/**
 * A conversation with one registry endpoint on behalf of one set of credentials: picks the scheme
 * (HTTPS; plain HTTP only for insecure registries, after HTTPS failed), answers auth challenges
 * (Basic, or Bearer tokens fetched from the challenge's realm and cached per scope), and follows
 * redirects (bounded; a loop is an error). Everything above deals in /v2/... paths.
 *
 *   GET /v2/x/manifests/1 → 401 Bearer realm=…,scope=repository:x:pull
 *   GET realm?service=…&scope=repository:x:pull (Basic user:password when known) → {"token": "…"}
 *   GET /v2/x/manifests/1 (Authorization: Bearer …) → 200
 *   a second 401 right after a fresh token ends the exchange ("authentication required"): no loop.
 */
import type { IncomingMessage } from "node:http";
import type { Readable } from "node:stream";
import { BerthError, type ErrorKind } from "../../lib/errors.js";
import { parseChallenges } from "./challenge.js";
import type { Endpoint } from "./hosts.js";
import { type HttpRequest, readBody, send, type Timeouts, TransportError } from "./transport.js";

/** What the docker CLI sends in X-Registry-Auth (its AuthConfig, lowercased here). */
export interface Credentials {
  username?: string;
  password?: string;
  /** An OAuth refresh token from an earlier login. */
  identityToken?: string;
  /** A bearer token to use as is. */
  registryToken?: string;
}

export const MAX_REDIRECTS = 5;

export interface SessionRequest {
  method: string;
  /** "/v2/…" with query, or an absolute URL given by the registry (upload locations). */
  path: string;
  /** The token scope this request needs ("repository:a/b:pull"). */
  scope: string;
  headers?: Record<string, string>;
  body?: Buffer | (() => Readable);
}

export class RegistrySession {
  readonly endpoint: Endpoint;
  readonly #creds: Credentials | undefined;
  readonly #timeouts: Timeouts;
  readonly #userAgent: string;
  #scheme: "https" | "http" | undefined;
  readonly #tokens = new Map<string, { token: string; expires: number }>();
  /** The registry asked for Basic auth. */
  #basic = false;
  /** The last Bearer challenge, to get tokens for new scopes without a 401 round trip. */
  #bearer: Record<string, string> | undefined;

  constructor(endpoint: Endpoint, creds: Credentials | undefined, timeouts: Timeouts, userAgent: string) {
    this.endpoint = endpoint;
    this.#creds = creds;
    this.#timeouts = timeouts;
    this.#userAgent = userAgent;
  }

  get name(): string {
    return this.endpoint.host;
  }

  /** Sends the request with auth and redirects handled; any status comes back (callers check). */
  async request(r: SessionRequest): Promise<IncomingMessage> {
    let url = await this.#url(r.path);
    let authRetried = false;
    const visited = new Set<string>();
    for (let hop = 0; ; hop++) {
      const sameHost = url.host === this.endpoint.host;
      const headers: Record<string, string> = { "User-Agent": this.#userAgent, ...r.headers };
      if (sameHost) {
        const auth = await this.#authorization(r.scope);
        if (auth) headers.Authorization = auth;
      }
      const res = await this.#send({ method: r.method, url, headers, body: r.body });
      const status = res.statusCode ?? 0;
      if (status === 401 && sameHost) {
        const challenges = parseChallenges(res.headers["www-authenticate"]);
        res.resume();
        if (authRetried) {
          throw new BerthError(
            "unauthorized",
            `${this.name}: authentication required (the registry refused the credentials it asked for)`,
          );
        }
        authRetried = true;
        await this.#answer(challenges, r.scope);
        continue;
      }
      if ([301, 302, 303, 307, 308].includes(status) && res.headers.location) {
        res.resume();
        const next = new URL(res.headers.location, url);
        if (visited.has(next.href) || next.href === url.href) {
          throw new BerthError("unavailable", `${this.name}: redirect loop at ${next.href}`);
        }
        if (hop >= MAX_REDIRECTS) {
          throw new BerthError("unavailable", `${this.name}: stopped after ${MAX_REDIRECTS} redirects`);
        }
        visited.add(url.href);
        url = next;
        continue;
      }
      return res;
    }
  }

  /** Sends and, for 2xx, returns the response; otherwise throws the registry's error. */
  async ok(r: SessionRequest, what: string): Promise<IncomingMessage> {
    const res = await this.request(r);
    const status = res.statusCode ?? 0;
    if (status >= 200 && status < 300) return res;
    throw await registryError(res, what);
  }

  async #url(path: string): Promise<URL> {
    if (/^https?:\/\//.test(path)) return new URL(path);
    if (!this.#scheme) this.#scheme = await this.#probeScheme();
    return new URL(`${this.#scheme}://${this.endpoint.host}${path}`);
  }

  /** GET /v2/ over each allowed scheme; the first that answers HTTP at all wins. */
  async #probeScheme(): Promise<"https" | "http"> {
    let last: unknown;
    for (const scheme of this.endpoint.schemes) {
      try {
        const res = await send(
          {
            method: "GET",
            url: new URL(`${scheme}://${this.endpoint.host}/v2/`),
            headers: { "User-Agent": this.#userAgent },
            skipVerify: this.endpoint.skipVerify,
            ...(this.endpoint.tls ? { tls: this.endpoint.tls } : {}),
          },
          this.#timeouts,
        );
        res.resume();
        // A challenge here saves a round trip later.
        const bearer = parseChallenges(res.headers["www-authenticate"]).find((c) => c.scheme === "bearer");
        if (bearer) this.#bearer = bearer.params;
        if (parseChallenges(res.headers["www-authenticate"]).some((c) => c.scheme === "basic")) {
          this.#basic = true;
        }
        return scheme;
      } catch (err) {
        last = err;
        if (!(err instanceof TransportError)) throw err;
      }
    }
    const msg = last instanceof Error ? last.message : String(last);
    // A TLS failure against a secure-only registry is most often a plain-HTTP or self-signed one.
    const tls = /EPROTO|SSL|TLS|certificate|wrong version/i.test(msg);
    throw new TransportError(
      `cannot reach registry ${this.endpoint.host}: ${msg}` +
        (tls && !this.endpoint.schemes.includes("http")
          ? ' (if it serves plain HTTP or a certificate no CA here signed, add it to "insecure-registries" in daemon.json)'
          : ""),
      last,
    );
  }

  #send(req: Omit<HttpRequest, "skipVerify">): Promise<IncomingMessage> {
    return send(
      {
        ...req,
        skipVerify: this.endpoint.skipVerify,
        ...(this.endpoint.tls ? { tls: this.endpoint.tls } : {}),
      },
      this.#timeouts,
    );
  }

  async #authorization(scope: string): Promise<string | undefined> {
    const c = this.#creds;
    if (c?.registryToken) return `Bearer ${c.registryToken}`;
    const cached = this.#tokens.get(scope);
    if (cached && cached.expires > Date.now()) return `Bearer ${cached.token}`;
    if (this.#bearer) {
      await this.#fetchToken(this.#bearer, scope);
      const t = this.#tokens.get(scope);
      if (t) return `Bearer ${t.token}`;
    }
    if (this.#basic && c?.username !== undefined) return basicAuth(c.username, c.password ?? "");
    return undefined;
  }

  async #answer(challenges: ReturnType<typeof parseChallenges>, scope: string): Promise<void> {
    const bearer = challenges.find((c) => c.scheme === "bearer");
    if (bearer) {
      this.#bearer = bearer.params;
      await this.#fetchToken(bearer.params, bearer.params.scope ?? scope);
      if (bearer.params.scope && bearer.params.scope !== scope) {
        this.#tokens.set(scope, this.#tokens.get(bearer.params.scope)!);
      }
      return;
    }
    if (challenges.some((c) => c.scheme === "basic")) {
      if (this.#creds?.username === undefined) {
        throw new BerthError(
          "unauthorized",
          `${this.name}: authentication required; log in first (docker login ${this.name})`,
        );
      }
      this.#basic = true;
      return;
    }
    throw new BerthError("unauthorized", `${this.name}: unauthorized, and the registry named no auth scheme`);
  }

  async #fetchToken(params: Record<string, string>, scope: string): Promise<void> {
    const realm = params.realm;
    if (!realm) throw new BerthError("unauthorized", `${this.name}: Bearer challenge without a realm`);
    const url = new URL(realm);
    if (params.service) url.searchParams.set("service", params.service);
    for (const s of scope.split(" ")) if (s) url.searchParams.append("scope", s);
    const c = this.#creds;
    const headers: Record<string, string> = { "User-Agent": this.#userAgent };
    let res: IncomingMessage;
    if (c?.identityToken) {
      const form = new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: c.identityToken,
        service: params.service ?? "",
        scope,
        client_id: "berth",
      });
      headers["Content-Type"] = "application/x-www-form-urlencoded";
      res = await this.#send({
        method: "POST",
        url: new URL(realm),
        headers,
        body: Buffer.from(form.toString()),
      });
    } else {
      if (c?.username !== undefined) headers.Authorization = basicAuth(c.username, c.password ?? "");
      res = await this.#send({ method: "GET", url, headers });
    }
    const status = res.statusCode ?? 0;
    if (status === 401 || status === 403) {
      res.resume();
      throw new BerthError(
        "unauthorized",
        c?.username !== undefined
          ? `${this.name}: incorrect username or password`
          : `${this.name}: the token service refused anonymous access; log in first`,
      );
    }
    if (status !== 200) throw await registryError(res, `token from ${url.origin}`);
    const body = await readBody(res, 1 << 20, "token response");
    let doc: { token?: string; access_token?: string; expires_in?: number };
    try {
      doc = JSON.parse(body.toString("utf8"));
    } catch {
      throw new BerthError("unauthorized", `${this.name}: the token service answered with invalid JSON`);
    }
    const token = doc.token ?? doc.access_token;
    if (!token) throw new BerthError("unauthorized", `${this.name}: the token service sent no token`);
    const ttl = Math.max(60, doc.expires_in ?? 60) * 1000;
    this.#tokens.set(scope, { token, expires: Date.now() + ttl - 10_000 });
  }
}

function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

function kindFor(status: number): ErrorKind {
  if (status === 401) return "unauthorized";
  if (status === 403) return "permission-denied";
  if (status === 404) return "not-found";
  if (status === 400 || status === 413 || status === 416) return "invalid-argument";
  if (status >= 500) return "unavailable";
  return "internal";
}

/** The registry's error body (`{"errors":[{"code","message"}]}`) as a BerthError. */
export async function registryError(res: IncomingMessage, what: string): Promise<BerthError> {
  return new BerthError(kindFor(res.statusCode ?? 0), `${what}: ${await registryErrorDetail(res)}`);
}

/** "manifest unknown: manifest unknown" from the error body, or "registry answered 404". */
export async function registryErrorDetail(res: IncomingMessage): Promise<string> {
  let detail = "";
  try {
    const body = await readBody(res, 64 * 1024, "error body");
    const doc = JSON.parse(body.toString("utf8")) as { errors?: { code?: string; message?: string }[] };
    detail = (doc.errors ?? [])
      .map((e) => [e.code?.toLowerCase().replace(/_/g, " "), e.message].filter(Boolean).join(": "))
      .join("; ");
  } catch {
    // no or non-JSON body
  }
  return detail || `registry answered ${res.statusCode ?? 0}`;
}
