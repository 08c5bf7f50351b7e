/**
 * Per-network address allocation over plain, serialisable state (pure). The daemon keeps a
 * `NetworkAddresses` in its network record and stores the value each call returns.
 *
 * Rules, as Docker's default IPAM: the network address and (for /30 and wider) the broadcast address
 * are never handed out; the gateway is reserved; containers get the lowest free address of the
 * ip-range (or of the subnet without one); a requested address (`--ip`) may be anywhere in the
 * subnet, even outside the ip-range.
 */
import { BerthError, invalidArgument } from "../../lib/errors.js";
import { contains, formatIpv4, lastAddress, type Prefix, parsePrefix, tryParseIpv4 } from "./ipv4.js";
import type { IpamConfig } from "./validate.js";

export interface NetworkAddresses {
  subnet: string;
  gateway: string;
  ipRange?: string;
  /** Addresses held by endpoints, sorted numerically. */
  allocated: string[];
}

export function newNetworkAddresses(cfg: IpamConfig): NetworkAddresses {
  const out: NetworkAddresses = { subnet: cfg.subnet, gateway: cfg.gateway, allocated: [] };
  if (cfg.ipRange) out.ipRange = cfg.ipRange;
  return out;
}

export interface AllocateResult {
  state: NetworkAddresses;
  ip: string;
}

/** Docker's wording, without the address. */
const inUse = () => new BerthError("conflict", "Address already in use");

/** Reserved addresses of a subnet: network, broadcast (where one exists) and the gateway. */
function reserved(subnet: Prefix, gateway: string): Set<number> {
  const out = new Set<number>();
  if (subnet.bits < 31) {
    out.add(subnet.base);
    out.add(lastAddress(subnet));
  }
  const g = tryParseIpv4(gateway);
  if (g !== undefined) out.add(g);
  return out;
}

/**
 * Allocates `requested` or, without one, the lowest free address. Throws invalid-argument for an
 * address outside the subnet (Docker: "Invalid address …: It does not belong to any of this
 * network's subnets"), conflict when it is taken, unavailable when the range is full.
 */
export function allocateAddress(state: NetworkAddresses, requested?: string): AllocateResult {
  const subnet = parsePrefix(state.subnet);
  const taken = new Set(state.allocated.map((a) => tryParseIpv4(a)!));
  for (const r of reserved(subnet, state.gateway)) taken.add(r);
  let ip: number | undefined;
  if (requested) {
    const n = tryParseIpv4(requested);
    if (n === undefined) throw invalidArgument(`invalid IPv4 address: ${requested}`);
    if (!contains(subnet, n)) {
      throw invalidArgument(
        `Invalid address ${requested}: It does not belong to any of this network's subnets`,
      );
    }
    if (taken.has(n)) throw inUse();
    ip = n;
  } else {
    const range = state.ipRange ? parsePrefix(state.ipRange) : subnet;
    const last = Math.min(lastAddress(range), lastAddress(subnet));
    for (let a = Math.max(range.base, subnet.base); a <= last; a++) {
      if (!taken.has(a)) {
        ip = a;
        break;
      }
    }
    if (ip === undefined) throw new BerthError("unavailable", "No available addresses on this pool");
  }
  const allocated = [...state.allocated, formatIpv4(ip)].sort((x, y) => tryParseIpv4(x)! - tryParseIpv4(y)!);
  return { state: { ...state, allocated }, ip: formatIpv4(ip) };
}

/** Gives an address back; releasing one that is not held is a no-op (idempotent cleanup). */
export function releaseAddress(state: NetworkAddresses, ip: string): NetworkAddresses {
  if (!state.allocated.includes(ip)) return state;
  return { ...state, allocated: state.allocated.filter((a) => a !== ip) };
}

/** The prefix length of the network, for "198.19.0.2/24" style addresses. */
export function prefixLength(state: Pick<NetworkAddresses, "subnet">): number {
  return parsePrefix(state.subnet).bits;
}
