/**
 * Address pools and subnet allocation (pure). A pool is a base prefix split into subnets of one
 * size, as Docker's `default-address-pools` ({base, size}). berth's defaults live in 198.18.0.0/15
 * (RFC 2544 benchmarking space, never routed on the internet): the default bridge takes
 * 198.18.0.0/24, user networks take /24s from 198.19.0.0/16.
 */
import { BerthError, invalidArgument } from "../../lib/errors.js";
import { formatPrefix, lastAddress, maskOf, overlaps, type Prefix, parsePrefix, size } from "./ipv4.js";

export interface AddressPool {
  /** CIDR the subnets are cut from, e.g. "198.19.0.0/16". */
  base: string;
  /** Prefix length of each subnet, e.g. 24. */
  size: number;
}

/** The default bridge (berth0): its subnet and gateway. */
export const DEFAULT_BRIDGE_SUBNET = "198.18.0.0/24";
export const DEFAULT_BRIDGE_GATEWAY = "198.18.0.1";

/** Pools for user-defined networks when the daemon's configuration names none. */
export const DEFAULT_POOLS: readonly AddressPool[] = [{ base: "198.19.0.0/16", size: 24 }];

/** Docker answers 403 for these; "permission-denied" is the kind that maps to 403. */
const forbidden = (msg: string) => new BerthError("permission-denied", msg);

/** Checks a pool list from configuration; throws invalid-argument on the first bad entry. */
export function validatePools(pools: readonly AddressPool[]): void {
  pools.forEach((p, i) => {
    const base = parsePrefix(p.base);
    if (!Number.isInteger(p.size) || p.size < base.bits || p.size > 30) {
      throw invalidArgument(
        `address pool ${i} (${p.base}): size /${p.size} must be between /${base.bits} and /30`,
      );
    }
  });
}

/**
 * The first subnet of the pools that overlaps neither a used subnet nor a host route, as CIDR text.
 * `hostRoutes` are the destinations of the host's routes (`ip route` output as data); default
 * routes (/0) are ignored, as Docker does. Runs in O(pools × (blockers + 1)): it jumps past each
 * blocker instead of stepping through every candidate.
 */
export function allocateSubnet(
  pools: readonly AddressPool[],
  used: readonly string[],
  hostRoutes: readonly string[] = [],
): string {
  const blockers = [...used.map(parsePrefix), ...hostRoutes.map(parsePrefix).filter((r) => r.bits > 0)];
  for (const pool of pools) {
    const base = parsePrefix(pool.base);
    const found = firstFree(base, pool.size, blockers);
    if (found) return formatPrefix(found);
  }
  throw forbidden("all predefined address pools have been fully subnetted");
}

function firstFree(pool: Prefix, bits: number, blockers: readonly Prefix[]): Prefix | undefined {
  const step = 2 ** (32 - bits);
  const end = lastAddress(pool);
  let at = pool.base;
  // Each pass either returns or moves past at least one blocker, so blockers.length + 1 passes suffice.
  for (let pass = 0; pass <= blockers.length && at <= end; pass++) {
    const candidate = { base: at, bits };
    const hit = blockers.find((b) => overlaps(b, candidate));
    if (!hit) return candidate;
    const after = lastAddress(hit) + 1;
    at = Math.max(at + step, Math.ceil(after / step) * step);
  }
  return undefined;
}

/**
 * Docker's check for a user-chosen subnet: it may not overlap a subnet already in use.
 * Message as Docker's ("invalid pool request: Pool overlaps with other one on this address space").
 */
export function checkSubnetFree(subnet: string, used: readonly string[]): void {
  const p = parsePrefix(subnet);
  if (used.some((u) => overlaps(parsePrefix(u), p))) {
    throw forbidden("invalid pool request: Pool overlaps with other one on this address space");
  }
}

/** The routes' destinations from `ip -j route show` output (entries with a "dst" prefix). */
export function routeDestinations(ipRouteJson: readonly { dst?: string }[]): string[] {
  const out: string[] = [];
  for (const r of ipRouteJson) {
    if (!r.dst || r.dst === "default") continue;
    const cidr = r.dst.includes("/") ? r.dst : `${r.dst}/32`;
    const p = safePrefix(cidr);
    if (p) out.push(formatPrefix(p));
  }
  return out;
}

function safePrefix(text: string): Prefix | undefined {
  try {
    return parsePrefix(text);
  } catch {
    return undefined;
  }
}

/** The subnet mask of a prefix length, dotted (for callers that print it). */
export function netmask(bits: number): string {
  const m = maskOf(bits);
  return [m >>> 24, (m >>> 16) & 255, (m >>> 8) & 255, m & 255].join(".");
}

/** Number of addresses in a CIDR. */
export function subnetSize(cidr: string): number {
  return size(parsePrefix(cidr));
}
