/**
 * Validation of a network's IPAM configuration (`--subnet`, `--ip-range`, `--gateway`), with the
 * messages of Docker's ValidateIPAM so clients and tests that match on them keep working (pure).
 */
import { invalidArgument } from "../../lib/errors.js";
import {
  contains,
  formatIpv4,
  formatPrefix,
  maskOf,
  overlaps,
  type Prefix,
  tryParseCidr,
  tryParseIpv4,
} from "./ipv4.js";

export interface IpamConfigInput {
  subnet?: string;
  ipRange?: string;
  gateway?: string;
}

/** A validated configuration, canonical text forms; gateway defaults to the subnet's first host. */
export interface IpamConfig {
  subnet: string;
  ipRange?: string;
  gateway: string;
}

const isV6 = (s: string) => s.includes(":");

/**
 * Checks one IPAM config entry as Docker does and returns its errors (empty when valid). Each
 * message reads like Docker's: "invalid subnet 198.19.0.1/24: it should be 198.19.0.0/24",
 * "invalid gateway 10.0.0.1: parent subnet 198.19.0.0/24 doesn't contain this address".
 */
export function ipamConfigErrors(cfg: IpamConfigInput): string[] {
  if (cfg.subnet === undefined || cfg.subnet === "") {
    const errs: string[] = [];
    if (cfg.ipRange) errs.push(`invalid ip-range ${cfg.ipRange}: no subnet given`);
    if (cfg.gateway) errs.push(`invalid gateway ${cfg.gateway}: no subnet given`);
    return errs;
  }
  const s = tryParseCidr(cfg.subnet);
  if (!s) {
    const family = isV6(cfg.subnet) ? "IPv6 subnets are not supported" : "invalid CIDR block notation";
    return [`invalid subnet ${cfg.subnet}: ${family}`];
  }
  const errs: string[] = [];
  const subnet: Prefix = { base: (s.addr & maskOf(s.bits)) >>> 0, bits: s.bits };
  const subnetText = formatPrefix(subnet);
  if (s.addr !== subnet.base) errs.push(`invalid subnet ${cfg.subnet}: it should be ${subnetText}`);
  if (cfg.ipRange) errs.push(...rangeErrors(cfg.ipRange, subnet, subnetText));
  if (cfg.gateway) {
    const g = tryParseIpv4(cfg.gateway);
    if (g === undefined) {
      const why = isV6(cfg.gateway) ? "parent subnet is an IPv4 block" : "invalid address";
      errs.push(`invalid gateway ${cfg.gateway}: ${why}`);
    } else if (!contains(subnet, g)) {
      errs.push(`invalid gateway ${cfg.gateway}: parent subnet ${subnetText} doesn't contain this address`);
    }
  }
  return errs;
}

function rangeErrors(ipRange: string, subnet: Prefix, subnetText: string): string[] {
  const r = tryParseCidr(ipRange);
  if (!r) {
    const why = isV6(ipRange) ? "parent subnet is an IPv4 block" : "invalid CIDR block notation";
    return [`invalid ip-range ${ipRange}: ${why}`];
  }
  const errs: string[] = [];
  const range: Prefix = { base: (r.addr & maskOf(r.bits)) >>> 0, bits: r.bits };
  if (r.bits < subnet.bits) {
    errs.push(`invalid ip-range ${ipRange}: CIDR block is bigger than its parent subnet ${subnetText}`);
  }
  if (r.addr !== range.base) errs.push(`invalid ip-range ${ipRange}: it should be ${formatPrefix(range)}`);
  if (!overlaps(subnet, range)) {
    errs.push(`invalid ip-range ${ipRange}: parent subnet ${subnetText} doesn't contain ip-range`);
  }
  return errs;
}

/**
 * Validates and canonicalises a configuration whose subnet is known (given by the user or
 * allocated from a pool). Throws invalid-argument with Docker's "invalid network config:" text.
 */
export function validateIpamConfig(cfg: IpamConfigInput & { subnet: string }): IpamConfig {
  const errs = ipamConfigErrors(cfg);
  if (errs.length === 1) throw invalidArgument(`invalid network config:\n${errs[0]}`);
  if (errs.length > 1) throw invalidArgument(`invalid network config:\n* ${errs.join("\n* ")}`);
  const s = tryParseCidr(cfg.subnet)!;
  const subnet = { base: s.addr, bits: s.bits };
  const out: IpamConfig = {
    subnet: formatPrefix(subnet),
    gateway: cfg.gateway ? cfg.gateway : formatIpv4(firstHost(subnet)),
  };
  if (cfg.ipRange) out.ipRange = cfg.ipRange;
  return out;
}

/** The first usable host address (the network address itself for /31 and /32). */
export function firstHost(p: Prefix): number {
  return p.bits >= 31 ? p.base : p.base + 1;
}
