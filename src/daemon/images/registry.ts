/**
 * The daemon's view of registries: settings from daemon.json, and sessions per registry endpoint
 * for one request's credentials (X-Registry-Auth or the /auth body).
 */
import type { AuthConfig } from "../../api/types/registry-auth.js";
import type { Digest } from "../../lib/digest.js";
import { loadHostCerts } from "../../registry/client/host-certs.js";
import { type Endpoint, endpointsFor, type RegistrySettings } from "../../registry/client/hosts.js";
import { type Credentials, RegistrySession } from "../../registry/client/session.js";
import { DEFAULT_TIMEOUTS, type Timeouts } from "../../registry/client/transport.js";
import type { ImageDeps } from "./deps.js";

export interface RegistryDeps {
  settings: RegistrySettings;
  /** Docker's certs.d layout: <dir>/<host:port>/{*.crt, *.cert, *.key}. */
  certsDirs: readonly string[];
  timeouts: Timeouts;
  userAgent: string;
}

export function registryDeps(cfg: {
  insecureRegistries?: string[];
  registryMirrors?: Record<string, string[]>;
  registryTimeouts?: Partial<Timeouts>;
  certsDirs?: string[];
  version: string;
}): RegistryDeps {
  return {
    certsDirs: cfg.certsDirs ?? DEFAULT_CERTS_DIRS,
    settings: { insecure: cfg.insecureRegistries ?? [], mirrors: cfg.registryMirrors ?? {} },
    timeouts: { ...DEFAULT_TIMEOUTS, ...cfg.registryTimeouts },
    userAgent: `berth/${cfg.version}`,
  };
}

/** Where per-registry TLS files are looked for: berth's own, then Docker's. */
export const DEFAULT_CERTS_DIRS = ["/etc/berth/certs.d", "/etc/docker/certs.d"];

export function credentialsOf(auth: AuthConfig | undefined): Credentials | undefined {
  if (!auth) return undefined;
  const c: Credentials = {};
  if (auth.username !== undefined) c.username = auth.username;
  if (auth.password !== undefined) c.password = auth.password;
  if (auth.identitytoken) c.identityToken = auth.identitytoken;
  if (auth.registrytoken) c.registryToken = auth.registrytoken;
  return Object.keys(c).length > 0 ? c : undefined;
}

/** One session per endpoint of `domain`, in the order to try them. */
export function sessionsFor(
  reg: RegistryDeps,
  domain: string,
  purpose: "pull" | "push",
  auth: AuthConfig | undefined,
): RegistrySession[] {
  const creds = credentialsOf(auth);
  return endpointsFor(reg.settings, domain, purpose).map((e: Endpoint) => {
    const tls = loadHostCerts(reg.certsDirs, e.host);
    // Credentials are for the registry itself; mirrors are asked anonymously.
    return new RegistrySession(
      tls ? { ...e, tls } : e,
      e.mirror ? undefined : creds,
      reg.timeouts,
      reg.userAgent,
    );
  });
}

/** Keeps blobs from garbage collection while fn runs (they are not referenced by an image yet). */
export async function withPins<T>(
  deps: ImageDeps,
  digests: () => Digest[],
  fn: (pin: (d: Digest) => void) => Promise<T>,
): Promise<T> {
  if (!deps.pinned) deps.pinned = new Map();
  const pins = deps.pinned;
  const mine: Digest[] = [];
  const pin = (d: Digest) => {
    mine.push(d);
    pins.set(d, (pins.get(d) ?? 0) + 1);
  };
  for (const d of digests()) pin(d);
  try {
    return await fn(pin);
  } finally {
    for (const d of mine) {
      const n = (pins.get(d) ?? 1) - 1;
      if (n <= 0) pins.delete(d);
      else pins.set(d, n);
    }
  }
}
