/**
 * Names berth gives to kernel objects (pure). Device names are deterministic, so a daemon that
 * restarts finds its own links again; every link also carries an ifalias tag,
 * "<owner>:net:<network id>" or "<owner>:ep:<network id>:<container id>", which is what reconcile
 * trusts (a "br-…" bridge may be Docker's; one tagged "berth:net:…" is ours).
 */

import { digestHex, sha256 } from "../../lib/digest.js";
import { invalidArgument } from "../../lib/errors.js";
import { parseIpv4 } from "../ipam/ipv4.js";

export const DEFAULT_BRIDGE = "berth0";
/** The owner tag of the daemon's links; tests use their own so they never touch the daemon's. */
export const DEFAULT_OWNER = "berth";
export const IFNAMSIZ = 15;

/** "berth0" for the default network, "br-" + the first 12 hex of the id for the others (as Docker). */
export function bridgeName(networkId: string, isDefault = false): string {
  if (isDefault) return DEFAULT_BRIDGE;
  if (!/^[0-9a-f]{12,}$/.test(networkId)) throw invalidArgument(`invalid network id: ${networkId}`);
  return `br-${networkId.slice(0, 12)}`;
}

/** Host end of an endpoint's veth pair: "veth" + 11 hex of sha256(network id / container id). */
export function vethName(networkId: string, containerId: string): string {
  return `veth${digestHex(sha256(`${networkId}/${containerId}`)).slice(0, IFNAMSIZ - 4)}`;
}

/** Docker's MAC layout: 02:42 followed by the four bytes of the IPv4 address. */
export function macAddress(ip: string): string {
  const n = parseIpv4(ip);
  const bytes = [0x02, 0x42, n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
  return bytes.map((b) => b.toString(16).padStart(2, "0")).join(":");
}

export function networkAlias(owner: string, networkId: string): string {
  return `${owner}:net:${networkId}`;
}

export function endpointAlias(owner: string, networkId: string, containerId: string): string {
  return `${owner}:ep:${networkId}:${containerId}`;
}

export type OwnedLink =
  | { kind: "network"; networkId: string }
  | { kind: "endpoint"; networkId: string; containerId: string };

/** Reads an ifalias written by this module; undefined for links of anyone else (or another owner). */
export function parseAlias(owner: string, alias: string | undefined): OwnedLink | undefined {
  if (!alias?.startsWith(`${owner}:`)) return undefined;
  const parts = alias.slice(owner.length + 1).split(":");
  if (parts[0] === "net" && parts.length === 2 && parts[1]) return { kind: "network", networkId: parts[1] };
  if (parts[0] === "ep" && parts.length === 3 && parts[1] && parts[2]) {
    return { kind: "endpoint", networkId: parts[1], containerId: parts[2] };
  }
  return undefined;
}
