import { containerDnsNames, type DnsEntry } from "../../network/index.js";

/** One container's endpoints as the DNS needs them: network id → its address there. */
export interface DnsMember {
  containerId: string;
  name: string;
  /** network id → address and network-scoped aliases */
  on: ReadonlyMap<string, { ip: string; aliases: readonly string[] }>;
}

export interface NetworkDns {
  /** What the network's server answers everyone. */
  entries: DnsEntry[];
  /** Containers on several of the networks (by their address here): the names of all of them. */
  byClient: Map<string, DnsEntry[]>;
}

/**
 * The tables of the DNS servers of `networks` (user networks) (pure): each answers the names on its
 * network; a container on several of them is answered, by each of their servers, the names of all
 * (as Docker's per-container resolver does).
 */
export function dnsTables(
  networks: readonly string[],
  members: readonly DnsMember[],
): Map<string, NetworkDns> {
  const out = new Map<string, NetworkDns>(networks.map((id) => [id, { entries: [], byClient: new Map() }]));
  for (const m of members) {
    for (const [netId, at] of m.on) {
      out.get(netId)?.entries.push({
        ip: at.ip,
        names: containerDnsNames({ name: m.name, containerId: m.containerId, aliases: at.aliases }),
      });
    }
  }
  for (const m of members) {
    const mine = [...m.on.keys()].filter((id) => out.has(id));
    if (mine.length < 2) continue;
    const all = mine.flatMap((id) => out.get(id)!.entries);
    for (const id of mine) out.get(id)!.byClient.set(m.on.get(id)!.ip, all);
  }
  return out;
}
