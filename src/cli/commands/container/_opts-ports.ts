/**
 * -p/--publish and --expose, as docker parses them (go-connections/nat):
 *
 *   [ip:][hostPort:]containerPort[/proto]   ranges allowed: 8000-8010:80-90, 8000-8010:80 (any of)
 *   [::1]:8080:80                           IPv6 host addresses in brackets
 *   published=8080,target=80,protocol=udp   the long form
 *
 * Results use the Engine API shapes: ExposedPorts {"80/tcp": {}} and PortBindings
 * {"80/tcp": [{HostIp, HostPort}]}. Errors carry docker's words ("invalid containerPort: 99999").
 * (pure)
 */
import type { PortBinding } from "../../../api/types/containers.js";
import { goQuote } from "../../go-strconv.js";
import { canonicalIp } from "./_opts-values.js";

export interface PortSpecs {
  readonly exposed: Record<string, Record<string, never>>;
  readonly bindings: Record<string, PortBinding[]>;
}

/** strconv.ParseUint(s, 10, 16) with Go's error text. */
function parseUint16(s: string): number {
  if (!/^\d+$/.test(s)) throw new Error(`strconv.ParseUint: parsing ${goQuote(s)}: invalid syntax`);
  const n = Number(s);
  if (n > 65535) throw new Error(`strconv.ParseUint: parsing ${goQuote(s)}: value out of range`);
  return n;
}

/** "80" or "80-90" (only the first two parts of a longer dash list count, as in docker). */
export function parsePortRange(ports: string): [number, number] {
  if (ports === "") throw new Error("empty string specified for ports");
  if (!ports.includes("-")) {
    const p = parseUint16(ports);
    return [p, p];
  }
  const parts = ports.split("-");
  const start = parseUint16(parts[0]!);
  const end = parseUint16(parts[1]!);
  if (end < start) throw new Error(`invalid range specified for port: ${ports}`);
  return [start, end];
}

/** "80/udp" -> ["udp", "80"]; no protocol is tcp. */
export function splitProtoPort(raw: string): [string, string] {
  const parts = raw.split("/");
  if (raw === "" || parts[0] === "") return ["", ""];
  if (parts.length === 1 || parts[1] === "") return ["tcp", parts[0]!];
  return [parts[1]!, parts[0]!];
}

function splitParts(raw: string): [string, string, string] {
  const parts = raw.split(":");
  const n = parts.length;
  const containerPort = parts[n - 1]!;
  if (n === 1) return ["", "", containerPort];
  if (n === 2) return ["", parts[0]!, containerPort];
  if (n === 3) return [parts[0]!, parts[1]!, containerPort];
  return [parts.slice(0, n - 2).join(":"), parts[n - 2]!, containerPort];
}

/** The long form "published=8080,target=80,protocol=udp" in short notation ("8080:80/udp"). */
export function toStandardNotation(publish: string): string {
  if (!publish.includes("=")) return publish;
  const params: Record<string, string> = { protocol: "tcp" };
  for (const param of publish.split(",")) {
    const eq = param.indexOf("=");
    if (eq <= 0) {
      throw new Error(`invalid publish opts format (should be name=value but got '${param}')`);
    }
    params[param.slice(0, eq)] = param.slice(eq + 1);
  }
  return `${params.published ?? ""}:${params.target ?? ""}/${params.protocol}`;
}

interface PortMapping {
  port: string;
  binding: PortBinding;
}

/** One short-form spec to its (container port, host binding) pairs. */
export function parsePortSpec(raw: string): PortMapping[] {
  let [ip, hostPort, containerPort] = splitParts(raw);
  const [proto, cport] = splitProtoPort(containerPort);
  containerPort = cport;
  if (ip.startsWith("[")) {
    const close = ip.indexOf("]");
    if (close !== ip.length - 1) throw new Error(`invalid IP address ${ip}: missing ']' in address`);
    ip = ip.slice(1, -1);
  }
  if (ip !== "" && canonicalIp(ip) === undefined) throw new Error(`invalid IP address: ${ip}`);
  if (containerPort === "") throw new Error(`no port specified: ${raw}<empty>`);
  let start: number;
  let end: number;
  try {
    [start, end] = parsePortRange(containerPort);
  } catch {
    throw new Error(`invalid containerPort: ${containerPort}`);
  }
  let hostStart = 0;
  let hostEnd = 0;
  if (hostPort !== "") {
    try {
      [hostStart, hostEnd] = parsePortRange(hostPort);
    } catch {
      throw new Error(`invalid hostPort: ${hostPort}`);
    }
  }
  if (hostPort !== "" && end - start !== hostEnd - hostStart && end !== start) {
    throw new Error(
      `invalid ranges specified for container and host Ports: ${containerPort} and ${hostPort}`,
    );
  }
  const protocol = proto.toLowerCase();
  if (!["tcp", "udp", "sctp"].includes(protocol)) throw new Error(`invalid proto: ${proto}`);
  const out: PortMapping[] = [];
  for (let i = 0; i <= end - start; i++) {
    let host = hostPort === "" ? "" : String(hostStart + i);
    if (start === end && hostStart !== hostEnd) host = `${host}-${hostEnd}`;
    out.push({ port: `${start + i}/${protocol}`, binding: { HostIp: ip, HostPort: host } });
  }
  return out;
}

/** All -p values: exposed ports and bindings, in the order given. */
export function parsePublish(specs: readonly string[]): PortSpecs {
  const exposed: Record<string, Record<string, never>> = {};
  const bindings: Record<string, PortBinding[]> = {};
  for (const spec of specs) {
    for (const { port, binding } of parsePortSpec(toStandardNotation(spec))) {
      exposed[port] = {};
      bindings[port] = [...(bindings[port] ?? []), binding];
    }
  }
  return { exposed, bindings };
}

/** --expose port[/proto] or start-end[/proto], added to `exposed`. */
export function addExposed(exposed: Record<string, Record<string, never>>, values: readonly string[]): void {
  for (const e of values) {
    if (e.includes(":")) throw new Error(`invalid port format for --expose: ${e}`);
    const [proto, port] = splitProtoPort(e);
    let start: number;
    let end: number;
    try {
      [start, end] = parsePortRange(port);
    } catch (err) {
      throw new Error(`invalid range format for --expose: ${e}, error: ${(err as Error).message}`);
    }
    for (let p = start; p <= end; p++) exposed[`${p}/${proto}`] ??= {};
  }
}
