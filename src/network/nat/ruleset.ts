/**
 * berth's nftables table, rendered whole from the networks and endpoints (pure). The table is
 * replaced atomically (`nft -f -` with "table; delete table; table {…}" in one transaction), so the
 * kernel never holds a half-updated ruleset and the text is the single source of truth: after a
 * crash the daemon renders it again from its records.
 *
 * Chains (family inet, IPv4 rules only):
 * - prerouting / output (nat, dstnat): DNS queries to a gateway go to its server's port when that
 *   is not 53 (`dnsPort`); then traffic to one of the host's own addresses jumps to
 *   `published`, which DNATs published ports to the container. Output excludes 127.0.0.0/8: a DNAT
 *   from loopback cannot leave the host without route_localnet, so loopback is the userland proxy's.
 * - postrouting (nat, srcnat): masquerade what leaves a non-internal network's subnet for another
 *   interface.
 * - forward (filter): in order, traffic within a bridge (accept, or drop without ICC); between two
 *   berth bridges (drop: network isolation); in or out of an internal network (drop); replies
 *   (accept); new connections to published ports (accept); anything else towards a container (drop);
 *   the rest (containers' outbound) falls through to the policy, accept.
 */
import { isLoopback, isUnspecified, tryParseIpv4 } from "../ipam/ipv4.js";
import type { BridgeNetwork, Endpoint, PortMapping } from "../types.js";

export const DEFAULT_TABLE = "berth";

export interface RulesetInput {
  networks: readonly BridgeNetwork[];
  endpoints: readonly Endpoint[];
}

export interface RulesetOptions {
  /** Table name in family inet; default "berth". Tests and other daemons use their own. */
  table?: string;
}

const q = (s: string) => `"${s}"`;
const anySet = (names: readonly string[]) =>
  names.length === 1 ? q(names[0]!) : `{ ${names.map(q).join(", ")} }`;

/** True when the kernel rule serves this mapping's host address (not loopback). */
export function kernelServes(m: Pick<PortMapping, "hostIp">): boolean {
  if (isUnspecified(m.hostIp)) return true;
  const n = tryParseIpv4(m.hostIp);
  return n !== undefined && !isLoopback(n);
}

interface Published {
  net: BridgeNetwork;
  ep: Endpoint;
  m: PortMapping;
}

function published(input: RulesetInput): Published[] {
  const byId = new Map(input.networks.map((n) => [n.id, n]));
  const out: Published[] = [];
  for (const ep of input.endpoints) {
    const net = byId.get(ep.networkId);
    if (!net || net.internal) continue; // Docker publishes nothing on internal networks
    for (const m of ep.ports) out.push({ net, ep, m });
  }
  return out.sort(
    (a, b) =>
      a.m.hostPort - b.m.hostPort ||
      a.m.proto.localeCompare(b.m.proto) ||
      a.m.hostIp.localeCompare(b.m.hostIp),
  );
}

function dnatRule({ ep, m }: Published): string | undefined {
  if (!kernelServes(m)) return undefined;
  const daddr = isUnspecified(m.hostIp) ? "" : `ip daddr ${m.hostIp} `;
  const comment = q(`${ep.containerId.slice(0, 12)} ${m.containerPort}/${m.proto}`);
  return `${daddr}${m.proto} dport ${m.hostPort} dnat ip to ${ep.ip}:${m.containerPort} comment ${comment}`;
}

/** Containers ask <gateway>:53; the server listens on <gateway>:<dnsPort>. */
function dnsRedirect(n: BridgeNetwork): string[] {
  if (!n.dnsPort || n.dnsPort === 53) return [];
  return (["udp", "tcp"] as const).map(
    (p) => `iifname ${q(n.bridge)} ip daddr ${n.gateway} ${p} dport 53 dnat ip to ${n.gateway}:${n.dnsPort}`,
  );
}

function forwardRules(nets: readonly BridgeNetwork[], pubs: readonly Published[]): string[] {
  const bridges = nets.map((n) => n.bridge);
  const rules: string[] = [];
  for (const n of nets) {
    rules.push(`iifname ${q(n.bridge)} oifname ${q(n.bridge)} ${n.icc === false ? "drop" : "accept"}`);
  }
  if (bridges.length > 1) rules.push(`iifname ${anySet(bridges)} oifname ${anySet(bridges)} drop`);
  const internal = nets.filter((n) => n.internal).map((n) => n.bridge);
  if (internal.length > 0) {
    rules.push(`iifname ${anySet(internal)} drop`, `oifname ${anySet(internal)} drop`);
  }
  if (bridges.length > 0) rules.push(`oifname ${anySet(bridges)} ct state established,related accept`);
  const seen = new Set<string>();
  for (const { net, ep, m } of pubs.filter((p) => kernelServes(p.m))) {
    const rule = `oifname ${q(net.bridge)} ip daddr ${ep.ip} ${m.proto} dport ${m.containerPort} accept`;
    if (!seen.has(rule)) rules.push(rule);
    seen.add(rule);
  }
  if (bridges.length > 0) rules.push(`oifname ${anySet(bridges)} drop`);
  return rules;
}

function chain(name: string, hook: string | undefined, rules: readonly string[]): string {
  const head = hook ? [`\t\t${hook}`] : [];
  return [`\tchain ${name} {`, ...head, ...rules.map((r) => `\t\t${r}`), "\t}"].join("\n");
}

/** The table definition: `table inet <name> { … }`. */
export function renderTable(input: RulesetInput, opts: RulesetOptions = {}): string {
  const table = opts.table ?? DEFAULT_TABLE;
  const nets = [...input.networks].sort((a, b) => a.bridge.localeCompare(b.bridge));
  const pubs = published(input);
  const dnat = pubs.map(dnatRule).filter((r): r is string => r !== undefined);
  const masq = nets
    .filter((n) => !n.internal && n.masquerade !== false)
    .map((n) => `ip saddr ${n.subnet} oifname != ${q(n.bridge)} masquerade`);
  const chains = [
    chain("prerouting", "type nat hook prerouting priority dstnat; policy accept;", [
      ...nets.flatMap(dnsRedirect),
      "meta nfproto ipv4 fib daddr type local jump published",
    ]),
    chain("output", "type nat hook output priority -100; policy accept;", [
      "meta nfproto ipv4 ip daddr != 127.0.0.0/8 fib daddr type local jump published",
    ]),
    chain("published", undefined, dnat),
    chain("postrouting", "type nat hook postrouting priority srcnat; policy accept;", masq),
    chain("forward", "type filter hook forward priority filter; policy accept;", forwardRules(nets, pubs)),
  ];
  return `table inet ${table} {\n${chains.join("\n")}\n}\n`;
}

/**
 * The script for `nft -f -` that replaces the table atomically: declaring it first makes the delete
 * valid when it did not exist yet, and all three lines are one transaction.
 */
export function renderReplaceScript(input: RulesetInput, opts: RulesetOptions = {}): string {
  const table = opts.table ?? DEFAULT_TABLE;
  return `table inet ${table}\ndelete table inet ${table}\n${renderTable(input, opts)}`;
}

/** Removes the table, whether or not it exists. */
export function renderDeleteScript(opts: RulesetOptions = {}): string {
  const table = opts.table ?? DEFAULT_TABLE;
  return `table inet ${table}\ndelete table inet ${table}\n`;
}
