/**
 * Registry credentials on the wire: the `X-Registry-Auth` header of pull and push (base64url of
 * Docker's AuthConfig JSON) and the body of `POST /auth` (docker login). Pure.
 *
 *   X-Registry-Auth: eyJ1c2VybmFtZSI6ImEiLCJwYXNzd29yZCI6ImIiLCJzZXJ2ZXJhZGRyZXNzIjoiMTI3LjAuMC4xOjUwMDAifQ==
 *   → { username: "a", password: "b", serveraddress: "127.0.0.1:5000" }
 */
import { invalidArgument } from "../../lib/errors.js";

export interface AuthConfig {
  username?: string;
  password?: string;
  /** Deprecated by Docker; "user:password" in base64 (config.json's `auth`). */
  auth?: string;
  email?: string;
  serveraddress?: string;
  identitytoken?: string;
  registrytoken?: string;
}

/** The `POST /auth` answer. */
export interface AuthResponse {
  Status: string;
  IdentityToken?: string;
}

const FIELDS = ["username", "password", "auth", "email", "serveraddress", "identitytoken", "registrytoken"];

/** The JSON in a base64url header (absent or empty: undefined). */
function base64JsonHeader(header: string | undefined, name: string): unknown {
  if (header === undefined || header.trim() === "") return undefined;
  const b64 = header.trim().replace(/-/g, "+").replace(/_/g, "/");
  try {
    return JSON.parse(Buffer.from(b64, "base64").toString("utf8"));
  } catch {
    throw invalidArgument(`invalid ${name} header: expected base64url-encoded JSON`);
  }
}

/** Decodes X-Registry-Auth; an absent or empty header is anonymous (undefined). */
export function decodeRegistryAuth(header: string | undefined): AuthConfig | undefined {
  const doc = base64JsonHeader(header, "X-Registry-Auth");
  return doc === undefined ? undefined : checkAuthConfig(doc, "X-Registry-Auth header");
}

/**
 * Decodes X-Registry-Config (POST /build): base64url JSON of every credential the client has, by
 * registry address ("127.0.0.1:5000", "https://index.docker.io/v1/"). Absent: none.
 */
export function decodeRegistryConfig(header: string | undefined): Record<string, AuthConfig> {
  const doc = base64JsonHeader(header, "X-Registry-Config");
  if (doc === undefined) return {};
  if (doc === null || typeof doc !== "object" || Array.isArray(doc))
    throw invalidArgument("invalid X-Registry-Config header: expected a JSON object of credentials");
  const out: Record<string, AuthConfig> = {};
  for (const [registry, v] of Object.entries(doc as Record<string, unknown>)) {
    const auth = checkAuthConfig(v, `X-Registry-Config entry for ${registry}`);
    if (auth && Object.keys(auth).length > 0) out[registry] = auth;
  }
  return out;
}

/**
 * The credentials X-Registry-Config holds for a registry domain: keyed by host[:port], maybe with
 * a scheme or path ("https://index.docker.io/v1/" for Docker Hub).
 */
export function registryConfigFor(
  configs: Record<string, AuthConfig>,
  domain: string,
): AuthConfig | undefined {
  const hub = (h: string) =>
    ["docker.io", "index.docker.io", "registry-1.docker.io"].includes(h) ? "docker.io" : h;
  const want = hub(domain);
  for (const [key, auth] of Object.entries(configs)) {
    if (hub(key.replace(/^https?:\/\//, "").replace(/\/.*$/, "")) === want) return auth;
  }
  return undefined;
}

/** Validates an AuthConfig-shaped value (the /auth body, the decoded header). */
export function checkAuthConfig(doc: unknown, what: string): AuthConfig | undefined {
  if (doc === null) return undefined;
  if (typeof doc !== "object" || Array.isArray(doc))
    throw invalidArgument(`invalid ${what}: expected a JSON object`);
  const out: AuthConfig = {};
  for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
    const key = k.toLowerCase();
    if (!FIELDS.includes(key) || v === undefined || v === null || v === "") continue;
    if (typeof v !== "string") throw invalidArgument(`invalid ${what}: "${k}" must be a string`);
    (out as Record<string, string>)[key] = v;
  }
  if (out.auth && out.username === undefined) {
    const plain = Buffer.from(out.auth, "base64").toString("utf8");
    const colon = plain.indexOf(":");
    if (colon > 0) {
      out.username = plain.slice(0, colon);
      out.password = plain.slice(colon + 1);
    }
  }
  return out;
}

/** Encodes credentials for X-Registry-Auth as the docker CLI does (base64url of the JSON). */
export function encodeRegistryAuth(auth: AuthConfig): string {
  return Buffer.from(JSON.stringify(auth)).toString("base64").replace(/\+/g, "-").replace(/\//g, "_");
}
