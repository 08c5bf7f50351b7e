import { promises as fs } from "node:fs";
import path from "node:path";
import { spawnRunner } from "../../lib/exec.js";
import {
  type AddressPool,
  type BridgeNetwork,
  DEFAULT_BRIDGE,
  DEFAULT_BRIDGE_GATEWAY,
  DEFAULT_OWNER,
  DEFAULT_POOLS,
  formatIpv4,
  hostRoutes,
  parsePrefix,
  validatePools,
} from "../../network/index.js";
import type { DaemonConfig } from "../config.js";
import { RecordStore } from "../state/record-store.js";
import { networkId } from "./ids.js";
import { type NetworkManager as Manager, NetworkManager, type StoredEndpoint } from "./manager.js";
import type { NetworkRecord } from "./record.js";
import {
  type NetworkEvent,
  type NetworkedContainer,
  type NetworkService,
  networkService,
  toBridge,
} from "./service.js";

/** What daemon start reads from the container records: which endpoints are still in use. */
export interface RecordedContainer {
  name: string;
  state: { status: string };
  endpoints?: StoredEndpoint[];
}

export interface Networks {
  manager: Manager;
  service: NetworkService;
}

/**
 * Daemon start: the default bridge from the configuration ("bridge", "bip", "berth-network-owner"),
 * the user-defined networks from <data-root>/networks/user, the endpoints of containers recorded as
 * running; then the API service over all of them.
 */
export async function openNetworks(
  config: DaemonConfig,
  records: readonly RecordedContainer[],
  containers: () => readonly NetworkedContainer[],
  publish: (e: NetworkEvent) => void,
): Promise<Networks> {
  const owner = config.networkOwner ?? DEFAULT_OWNER;
  const pools: readonly AddressPool[] = config.addressPools ?? DEFAULT_POOLS;
  validatePools(pools);
  const store = await RecordStore.open<NetworkRecord>(path.join(config.dataRoot, "networks", "user"), 1);
  const bridgeId = await networkId(config.dataRoot);
  let bridge: BridgeNetwork | undefined;
  if (config.bridge !== "none") {
    const bip = config.bip ?? `${DEFAULT_BRIDGE_GATEWAY}/24`;
    const subnet = parsePrefix(bip);
    bridge = {
      id: bridgeId,
      name: "bridge",
      bridge: config.bridge ?? DEFAULT_BRIDGE,
      subnet: `${formatIpv4(subnet.base)}/${subnet.bits}`,
      gateway: bip.split("/")[0]!,
    };
  }
  const running = records
    .filter((c) => c.state.status === "running" || c.state.status === "paused")
    .map((c) => ({ name: c.name, endpoints: c.endpoints ?? [] }));
  const manager = await NetworkManager.open(
    {
      owner,
      table: owner.replace(/-/g, "_"),
      netnsDir: path.join(config.execRoot, "netns"),
      dnsUpstreams: config.dnsUpstream ?? (await hostNameservers()),
    },
    spawnRunner,
    [
      ...(bridge ? [{ net: bridge, user: false }] : []),
      ...store.all().map((r) => ({
        net: toBridge(r),
        user: true,
        ...(r.ipam.ipRange ? { ipRange: r.ipam.ipRange } : {}),
      })),
    ],
    running,
  );
  const service = networkService({
    ids: {
      bridge: bridgeId,
      host: await networkId(config.dataRoot, "host"),
      none: await networkId(config.dataRoot, "none"),
    },
    created: new Date().toISOString(),
    ...(bridge ? { bridge } : {}),
    store,
    manager,
    pools,
    hostRoutes: () => hostRoutes(spawnRunner),
    containers,
    publish,
  });
  return { manager, service };
}

/** The host's resolvers (berthd forwards from the host's own namespace, so loopback ones work). */
async function hostNameservers(): Promise<string[]> {
  const text = await fs.readFile("/etc/resolv.conf", "utf8").catch(() => "");
  return [...text.matchAll(/^\s*nameserver\s+(\d+\.\d+\.\d+\.\d+)\s*$/gm)].map((m) => m[1]!);
}
