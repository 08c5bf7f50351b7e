/**
 * Host port bookkeeping (pure). State is plain data the daemon may persist. A port held for every
 * address ("" / 0.0.0.0) conflicts with the same port on any specific address and the other way
 * round, as a real bind would. Dynamic ports come from the host's ephemeral range (Linux's
 * ip_local_port_range, 32768-60999 by default; Docker reads the same file), scanning on from the last
 * port handed out so a just-released port is not reused at once.
 *
 * The allocator knows only berth's own allocations; the shell (mapper.ts) also bind-tests each
 * candidate, so a port some other process holds is skipped (dynamic) or refused (fixed).
 */
import { BerthError, invalidArgument } from "../../lib/errors.js";
import { isUnspecified } from "../ipam/ipv4.js";
import type { PortMapping, PortProto } from "../types.js";
import type { PortRequest } from "./spec.js";

export interface PortRange {
  start: number;
  end: number;
}

export const DEFAULT_PORT_RANGE: PortRange = { start: 32768, end: 60999 };

export interface PortAllocations {
  entries: { proto: PortProto; hostIp: string; hostPort: number }[];
  /** Last dynamic port handed out, per protocol. */
  last: { tcp: number; udp: number };
}

export const emptyAllocations = (): PortAllocations => ({ entries: [], last: { tcp: 0, udp: 0 } });

const display = (ip: string) => (isUnspecified(ip) ? "0.0.0.0" : ip);

/** Docker's message, e.g. "Bind for 0.0.0.0:8080 failed: port is already allocated". */
export function alreadyAllocated(hostIp: string, port: string | number): BerthError {
  return new BerthError("conflict", `Bind for ${display(hostIp)}:${port} failed: port is already allocated`);
}

export function isAllocated(state: PortAllocations, proto: PortProto, hostIp: string, port: number): boolean {
  return state.entries.some(
    (e) =>
      e.proto === proto &&
      e.hostPort === port &&
      (isUnspecified(e.hostIp) || isUnspecified(hostIp) || e.hostIp === hostIp),
  );
}

/** Parses "32768 60999" (/proc/sys/net/ipv4/ip_local_port_range). */
export function parsePortRange(text: string): PortRange {
  const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(text);
  const start = Number(m?.[1]);
  const end = Number(m?.[2]);
  if (!m || start < 1 || end > 65535 || end < start)
    throw invalidArgument(`invalid port range: ${text.trim()}`);
  return { start, end };
}

/**
 * The ports to try for one request, best first, at most `limit` of them: the fixed port, the free
 * ports of the requested host range, or free dynamic ports from after the last one handed out.
 * Throws the "already allocated" conflict when nothing is left.
 */
export function candidatePorts(
  state: PortAllocations,
  req: PortRequest,
  range: PortRange = DEFAULT_PORT_RANGE,
  limit = 64,
): number[] {
  const free = (p: number) => !isAllocated(state, req.proto, req.hostIp, p);
  if (req.hostPortStart !== 0 && req.hostPortStart === req.hostPortEnd) {
    if (!free(req.hostPortStart)) throw alreadyAllocated(req.hostIp, req.hostPortStart);
    return [req.hostPortStart];
  }
  const out: number[] = [];
  if (req.hostPortStart !== 0) {
    for (let p = req.hostPortStart; p <= req.hostPortEnd && out.length < limit; p++) if (free(p)) out.push(p);
    if (out.length === 0) throw alreadyAllocated(req.hostIp, `${req.hostPortStart}-${req.hostPortEnd}`);
    return out;
  }
  const span = range.end - range.start + 1;
  const last = state.last[req.proto];
  const first = last >= range.start && last < range.end ? last + 1 : range.start;
  for (let i = 0; i < span && out.length < limit; i++) {
    const p = range.start + ((first - range.start + i) % span);
    if (free(p)) out.push(p);
  }
  if (out.length === 0) throw new BerthError("conflict", "all ports are allocated");
  return out;
}

/** Records a mapping's host port. Throws the conflict if it is taken meanwhile. */
export function reservePort(state: PortAllocations, m: PortMapping, dynamic: boolean): PortAllocations {
  if (isAllocated(state, m.proto, m.hostIp, m.hostPort)) throw alreadyAllocated(m.hostIp, m.hostPort);
  return {
    entries: [...state.entries, { proto: m.proto, hostIp: m.hostIp, hostPort: m.hostPort }],
    last: dynamic ? { ...state.last, [m.proto]: m.hostPort } : state.last,
  };
}

/** Frees the host ports of these mappings (missing ones are ignored). */
export function releasePorts(state: PortAllocations, mappings: readonly PortMapping[]): PortAllocations {
  const key = (e: { proto: string; hostIp: string; hostPort: number }) =>
    `${e.proto}/${e.hostIp}/${e.hostPort}`;
  const drop = new Set(mappings.map(key));
  return { ...state, entries: state.entries.filter((e) => !drop.has(key(e))) };
}
