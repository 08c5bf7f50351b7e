/**
 * Where a registry name is reached (pure): its host, the schemes to try, and mirrors tried first.
 *
 *   docker.io            → https://registry-1.docker.io
 *   127.0.0.1:5000       → https, then http (loopback is insecure by default, as in Docker)
 *   reg.example:5000     → https only, unless listed in insecure-registries (host:port or a CIDR)
 *
 * Mirrors are berth's extension of daemon.json's `registry-mirrors`: a map from a registry name to
 * mirror URLs (`{"docker.io": ["https://m.example"], "127.0.0.1:5000": ["http://127.0.0.1:5001"]}`);
 * Docker's list form means mirrors of docker.io. Mirrors serve pulls only; pushes go to the registry.
 */
import { isIP } from "node:net";
import type { HostTls } from "./host-certs.js";

export interface RegistrySettings {
  /** host[:port] names or CIDRs (IPv4 or IPv6) whose registries may be plain HTTP or untrusted TLS. */
  insecure: readonly string[];
  /** Registry name ("docker.io", "127.0.0.1:5000") → mirror base URLs, tried in order before it. */
  mirrors: Readonly<Record<string, readonly string[]>>;
}

export interface Endpoint {
  /** host[:port] to connect to. */
  host: string;
  /** Schemes to try in order; "http" only appears for insecure registries. */
  schemes: readonly ("https" | "http")[];
  /** TLS certificates are not verified (insecure registries, as Docker does). */
  skipVerify: boolean;
  mirror: boolean;
  /** certs.d material for this host (filled in by the caller, which reads files). */
  tls?: HostTls;
}

export const DOCKER_HUB_HOST = "registry-1.docker.io";

const DEFAULT_INSECURE = ["127.0.0.0/8", "::1/128", "localhost"];

/** The host and port part of a registry name, without IPv6 brackets: ["127.0.0.1", "5000"]. */
function splitHostPort(name: string): [string, string | undefined] {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(name);
  if (v6) return [v6[1]!, v6[2]];
  const i = name.lastIndexOf(":");
  if (i !== -1 && name.indexOf(":") === i) return [name.slice(0, i), name.slice(i + 1)];
  return [name, undefined];
}

function ipv4ToInt(ip: string): number {
  return ip.split(".").reduce((n, p) => (n << 8) + Number(p), 0) >>> 0;
}

function ipv6ToBigInt(ip: string): bigint {
  const [head = "", tail] = ip.split("::");
  const parts = (s: string) => (s === "" ? [] : s.split(":"));
  const h = parts(head);
  const t = tail === undefined ? [] : parts(tail);
  const groups = [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
  return groups.reduce((n, g) => (n << 16n) + BigInt(Number.parseInt(g, 16)), 0n);
}

/** True when `ip` is inside `cidr` ("10.0.0.0/8", "::1/128"); false for a malformed CIDR. */
export function inCidr(ip: string, cidr: string): boolean {
  const [base = "", bitsText] = cidr.split("/");
  const fam = isIP(base);
  if (fam === 0 || fam !== isIP(ip) || bitsText === undefined) return false;
  const bits = Number(bitsText);
  if (fam === 4) {
    if (!(bits >= 0 && bits <= 32)) return false;
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    return (ipv4ToInt(ip) & mask) === (ipv4ToInt(base) & mask);
  }
  if (!(bits >= 0 && bits <= 128)) return false;
  const mask = bits === 0 ? 0n : ((1n << 128n) - 1n) ^ ((1n << BigInt(128 - bits)) - 1n);
  return (ipv6ToBigInt(ip) & mask) === (ipv6ToBigInt(base) & mask);
}

/** Whether a registry (host[:port]) may be spoken to over plain HTTP or unverified TLS. */
export function isInsecure(settings: RegistrySettings, registry: string): boolean {
  const [host] = splitHostPort(registry);
  for (const entry of [...DEFAULT_INSECURE, ...settings.insecure]) {
    if (entry.includes("/")) {
      if (isIP(host) !== 0 && inCidr(host, entry)) return true;
    } else if (entry === registry || entry === host) {
      return true;
    }
  }
  return false;
}

function endpointOf(settings: RegistrySettings, host: string, mirror: boolean): Endpoint {
  const insecure = isInsecure(settings, host);
  return { host, schemes: insecure ? ["https", "http"] : ["https"], skipVerify: insecure, mirror };
}

/** A mirror URL ("http://127.0.0.1:5001", "https://m.example/") as an endpoint with its scheme fixed. */
function mirrorEndpoint(settings: RegistrySettings, url: string): Endpoint {
  const u = new URL(url);
  const scheme = u.protocol === "http:" ? "http" : "https";
  return { host: u.host, schemes: [scheme], skipVerify: isInsecure(settings, u.host), mirror: true };
}

/** Endpoints for a registry name, in the order to try them (mirrors first, for pulls only). */
export function endpointsFor(
  settings: RegistrySettings,
  domain: string,
  purpose: "pull" | "push",
): Endpoint[] {
  const host = domain === "docker.io" ? DOCKER_HUB_HOST : domain;
  const own = endpointOf(settings, host, false);
  if (purpose === "push") return [own];
  const mirrors = settings.mirrors[domain] ?? [];
  return [...mirrors.map((m) => mirrorEndpoint(settings, m)), own];
}

/** Normalises daemon.json's `registry-mirrors` (a list means docker.io's mirrors, as in Docker). */
export function normalizeMirrors(value: unknown): Record<string, string[]> | undefined {
  const urls = (v: unknown) =>
    Array.isArray(v) && v.every((u) => typeof u === "string" && /^https?:\/\/[^/]+\/?$/.test(u))
      ? (v as string[]).map((u) => u.replace(/\/$/, ""))
      : undefined;
  if (Array.isArray(value)) {
    const list = urls(value);
    return list ? { "docker.io": list } : undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(value)) {
    const list = urls(v);
    if (!list || k === "") return undefined;
    out[k === "index.docker.io" ? "docker.io" : k] = list;
  }
  return out;
}
