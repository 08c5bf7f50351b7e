/**
 * Published-port requests (pure): `-p [ip:][hostPort:]containerPort[/proto]`, the Engine API's
 * HostConfig.PortBindings, and `-P` (every exposed port on a dynamic host port). A request names a
 * host port, a host port range to pick from, or none (0: dynamic).
 */
import { invalidArgument } from "../../lib/errors.js";
import { tryParseIpv4 } from "../ipam/ipv4.js";
import type { PortProto } from "../types.js";

export interface PortRequest {
  proto: PortProto;
  /** "" for every address. */
  hostIp: string;
  /** 0 with hostPortEnd 0: any free port of the dynamic range. */
  hostPortStart: number;
  hostPortEnd: number;
  containerPort: number;
}

interface Range {
  start: number;
  end: number;
}

function parseRange(text: string, what: "containerPort" | "hostPort"): Range {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
  const start = m ? Number(m[1]) : Number.NaN;
  const end = m?.[2] !== undefined ? Number(m[2]) : start;
  const min = what === "hostPort" ? 0 : 1;
  if (!m || start < min || end > 65535 || end < start) throw invalidArgument(`invalid ${what}: ${text}`);
  return { start, end };
}

function parseProto(text: string): PortProto {
  const p = text.toLowerCase();
  if (p === "tcp" || p === "udp") return p;
  throw invalidArgument(`invalid proto: ${text}`);
}

function checkHostIp(ip: string): string {
  if (ip === "" || ip === "0.0.0.0") return "";
  if (tryParseIpv4(ip) === undefined) {
    throw invalidArgument(
      ip.includes(":") ? `IPv6 host address ${ip} is not supported` : `invalid IP address: ${ip}`,
    );
  }
  return ip;
}

/** Pairs a container port range with a host range (or a dynamic/single host port) into requests. */
function expand(proto: PortProto, hostIp: string, host: Range | undefined, ctr: Range): PortRequest[] {
  const count = ctr.end - ctr.start + 1;
  const hostCount = host ? host.end - host.start + 1 : 0;
  if (host && host.start !== 0 && count > 1 && hostCount !== count) {
    throw invalidArgument(
      `invalid ranges specified for container and host Ports: ${ctr.start}-${ctr.end} and ${host.start}-${host.end}`,
    );
  }
  const out: PortRequest[] = [];
  for (let i = 0; i < count; i++) {
    const dynamic = !host || host.start === 0;
    const single = !dynamic && count > 1;
    out.push({
      proto,
      hostIp,
      hostPortStart: dynamic ? 0 : single ? host.start + i : host.start,
      hostPortEnd: dynamic ? 0 : single ? host.start + i : host.end,
      containerPort: ctr.start + i,
    });
  }
  return out;
}

/** Parses one `-p` value. "8080:80", "127.0.0.1:8080:80/udp", "127.0.0.1::80", "8000-8001:80-81". */
export function parsePortSpec(spec: string): PortRequest[] {
  const slash = spec.lastIndexOf("/");
  const proto = slash >= 0 ? parseProto(spec.slice(slash + 1)) : "tcp";
  const rest = slash >= 0 ? spec.slice(0, slash) : spec;
  let ip = "";
  let ports = rest;
  if (rest.startsWith("[")) {
    const close = rest.indexOf("]:");
    if (close < 0) throw invalidArgument(`invalid port spec: ${spec}`);
    ip = rest.slice(1, close);
    ports = rest.slice(close + 2);
  }
  const parts = ports.split(":");
  if (!ip && parts.length > 3) {
    ip = parts.slice(0, -2).join(":");
    parts.splice(0, parts.length - 2);
  } else if (!ip && parts.length === 3) {
    ip = parts.shift()!;
  }
  if (parts.length < 1 || parts.length > 2 || parts[parts.length - 1] === "") {
    throw invalidArgument(`No port specified: ${spec}<empty>`);
  }
  const ctr = parseRange(parts[parts.length - 1]!, "containerPort");
  const host = parts.length === 2 && parts[0] !== "" ? parseRange(parts[0]!, "hostPort") : undefined;
  return expand(proto, checkHostIp(ip), host, ctr);
}

/** The Engine API form: { "80/tcp": [{ HostIp: "", HostPort: "8080" }] }. */
export type PortBindings = Record<string, readonly { HostIp?: string; HostPort?: string }[] | null>;

function parsePortKey(key: string): { proto: PortProto; ctr: Range } {
  const [port = "", proto = "tcp"] = key.split("/");
  return { proto: parseProto(proto), ctr: parseRange(port, "containerPort") };
}

export function requestsFromBindings(bindings: PortBindings | null | undefined): PortRequest[] {
  const out: PortRequest[] = [];
  for (const [key, list] of Object.entries(bindings ?? {})) {
    const { proto, ctr } = parsePortKey(key);
    for (const b of list ?? [{}]) {
      const host = b.HostPort ? parseRange(b.HostPort, "hostPort") : undefined;
      out.push(...expand(proto, checkHostIp(b.HostIp ?? ""), host, ctr));
    }
  }
  return out;
}

/**
 * `-P`: every exposed port ("80/tcp" keys of Config.ExposedPorts) that has no binding yet gets a
 * dynamic host port.
 */
export function publishAllRequests(
  exposed: readonly string[],
  already: readonly PortRequest[],
): PortRequest[] {
  const bound = new Set(already.map((r) => `${r.containerPort}/${r.proto}`));
  const out: PortRequest[] = [];
  for (const key of exposed) {
    const { proto, ctr } = parsePortKey(key);
    for (let p = ctr.start; p <= ctr.end; p++) {
      if (!bound.has(`${p}/${proto}`)) {
        out.push({ proto, hostIp: "", hostPortStart: 0, hostPortEnd: 0, containerPort: p });
      }
    }
  }
  return out;
}
