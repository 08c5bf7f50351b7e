/**
 * Port specs, short to long syntax: "80", "8080:80", "127.0.0.1:8080:80/udp", "[::1]:8080:80",
 * "8000-8001:80-81" (one entry per port), "8000-8010:80" (a host range for one port), numbers.
 */
import type { ServicePort } from "../model.js";

export class PortError extends Error {}

interface Range {
  start: number;
  end: number;
}

function parseRange(text: string, what: string, spec: string): Range {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m)
    throw new PortError(
      `invalid port ${JSON.stringify(spec)}: ${what} ${JSON.stringify(text)} is not a number or range`,
    );
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  for (const p of [start, end]) {
    if (p < 1 || p > 65535) {
      throw new PortError(`invalid port ${JSON.stringify(spec)}: ${what} ${p} is out of range (1-65535)`);
    }
  }
  if (end < start)
    throw new PortError(`invalid port ${JSON.stringify(spec)}: range ${text} ends before it starts`);
  return { start, end };
}

export function parsePortSpec(input: string | number): ServicePort[] {
  const spec = String(input).trim();
  let rest = spec;
  let protocol = "tcp";
  const slash = rest.lastIndexOf("/");
  if (slash >= 0) {
    protocol = rest.slice(slash + 1).toLowerCase();
    rest = rest.slice(0, slash);
    if (!["tcp", "udp", "sctp"].includes(protocol)) {
      throw new PortError(
        `invalid port ${JSON.stringify(spec)}: unknown protocol ${JSON.stringify(protocol)} (tcp, udp or sctp)`,
      );
    }
  }
  let hostIp: string | undefined;
  if (rest.startsWith("[")) {
    const close = rest.indexOf("]");
    if (close < 0 || rest[close + 1] !== ":")
      throw new PortError(`invalid port ${JSON.stringify(spec)}: bad IPv6 address`);
    hostIp = rest.slice(1, close);
    rest = rest.slice(close + 2);
  }
  const parts = rest.split(":");
  let published: string | undefined;
  let target: string;
  if (parts.length === 1) target = parts[0]!;
  else if (parts.length === 2) [published, target] = parts as [string, string];
  else {
    if (hostIp !== undefined) throw new PortError(`invalid port ${JSON.stringify(spec)}: too many colons`);
    target = parts.pop()!;
    published = parts.pop()!;
    hostIp = parts.join(":");
  }
  if (published === "") published = undefined;
  const t = parseRange(target, "container port", spec);
  const entry = (tgt: number, pub?: string): ServicePort => ({
    mode: "ingress",
    ...(hostIp ? { host_ip: hostIp } : {}),
    target: tgt,
    ...(pub !== undefined ? { published: pub } : {}),
    protocol,
  });
  const count = t.end - t.start + 1;
  if (published === undefined) return Array.from({ length: count }, (_, i) => entry(t.start + i));
  const p = parseRange(published, "host port", spec);
  const pcount = p.end - p.start + 1;
  if (count === 1) return [entry(t.start, pcount === 1 ? String(p.start) : `${p.start}-${p.end}`)];
  if (pcount !== count) {
    throw new PortError(
      `invalid port ${JSON.stringify(spec)}: host range ${published} and container range ${target} differ in size`,
    );
  }
  return Array.from({ length: count }, (_, i) => entry(t.start + i, String(p.start + i)));
}

/** Long syntax, normalised: numeric target, string published, tcp/ingress defaults. */
export function normalizePortObject(raw: Record<string, unknown>): ServicePort {
  const target = Number(raw.target);
  if (!Number.isInteger(target) || target < 1 || target > 65535) {
    throw new PortError(`invalid port: target ${JSON.stringify(raw.target)} is not a port (1-65535)`);
  }
  const out: ServicePort = {
    ...(raw as object),
    mode: String(raw.mode ?? "ingress"),
    target,
    protocol: String(raw.protocol ?? "tcp"),
  } as ServicePort;
  if (raw.published !== undefined && raw.published !== null && raw.published !== "") {
    const pub = String(raw.published);
    parseRange(pub, "host port", pub);
    out.published = pub;
  } else delete out.published;
  return out;
}
