/**
 * Crash recovery (pure): given what the host holds (observed) and what the daemon's records still
 * refer to (known), the cleanup plan removes berth's leftovers: links tagged with the owner's ifalias
 * that no record names, netns files that no endpoint uses, and the nft table when no network is
 * left. Links without berth's tag are never touched, whatever their name.
 *
 * The nft table of a host that still has networks is not patched here: the daemon re-renders it
 * whole from its records (`applyRuleset`), which drops every stale rule in one transaction.
 */
import { parseAlias } from "../bridge/names.js";
import { planNetnsRemove } from "../bridge/netns.js";
import { type CommandPlan, tolerant } from "../plan.js";
import type { BridgeNetwork, Endpoint } from "../types.js";

export interface ObservedLink {
  name: string;
  alias?: string;
}

export interface ObservedState {
  links: readonly ObservedLink[];
  /** Paths of netns files in berth's netns directory. */
  netns: readonly string[];
  /** Names of the inet nft tables. */
  tables: readonly string[];
}

export interface KnownState {
  networks: readonly Pick<BridgeNetwork, "id">[];
  endpoints: readonly Pick<Endpoint, "networkId" | "containerId" | "netns">[];
}

export interface ReconcileOptions {
  /** ifalias owner tag; default "berth". */
  owner?: string;
  /** nft table; default "berth". */
  table?: string;
}

export interface CleanupPlan {
  plan: CommandPlan;
  removed: { links: string[]; netns: string[]; tables: string[] };
}

export function planReconcile(
  observed: ObservedState,
  known: KnownState,
  opts: ReconcileOptions = {},
): CleanupPlan {
  const owner = opts.owner ?? "berth";
  const table = opts.table ?? "berth";
  const nets = new Set(known.networks.map((n) => n.id));
  const eps = new Set(known.endpoints.map((e) => `${e.networkId}/${e.containerId}`));
  const usedNetns = new Set(known.endpoints.map((e) => e.netns));
  const links: string[] = [];
  const bridges: string[] = [];
  for (const l of observed.links) {
    const tag = parseAlias(owner, l.alias);
    if (tag?.kind === "endpoint" && !eps.has(`${tag.networkId}/${tag.containerId}`)) links.push(l.name);
    if (tag?.kind === "network" && !nets.has(tag.networkId)) bridges.push(l.name);
  }
  const netns = observed.netns.filter((p) => !usedNetns.has(p));
  const tables = known.networks.length === 0 && observed.tables.includes(table) ? [table] : [];
  const plan: CommandPlan = [
    // veths first: a bridge is deleted with its ports detached, but an orphan veth may sit elsewhere.
    ...links.map((l) => tolerant("ip", "link", "del", "dev", l)),
    ...bridges.map((b) => tolerant("ip", "link", "del", "dev", b)),
    ...netns.flatMap(planNetnsRemove),
    ...tables.map((t) => ({ argv: ["nft", "-f", "-"], input: `table inet ${t}\ndelete table inet ${t}\n` })),
  ];
  return { plan, removed: { links: [...links, ...bridges], netns, tables } };
}
