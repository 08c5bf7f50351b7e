import path from "node:path";
import { spawnRunner } from "../../lib/exec.js";
import { DEFAULT_BRIDGE, DEFAULT_BRIDGE_GATEWAY, DEFAULT_OWNER, prefixLength } from "../../network/index.js";
import type { DaemonConfig } from "../config.js";
import { DefaultBridge, networkId, type StoredEndpoint } from "./default-bridge.js";
import { type NetworkedContainer, type NetworkService, networkService } from "./service.js";

/** What daemon start reads from the container records: which endpoints are still in use. */
export interface RecordedContainer {
  state: { status: string };
  endpoints?: StoredEndpoint[];
}

/**
 * Daemon start: the default bridge from the configuration ("bridge", "bip", "berth-network-owner"),
 * with the endpoints of containers recorded as running; undefined when "bridge" is "none".
 */
export async function openDefaultBridge(
  config: DaemonConfig,
  records: readonly RecordedContainer[],
): Promise<DefaultBridge | undefined> {
  if (config.bridge === "none") return undefined;
  const owner = config.networkOwner ?? DEFAULT_OWNER;
  const running = records
    .filter((c) => c.state.status === "running" || c.state.status === "paused")
    .flatMap((c) => c.endpoints ?? []);
  return DefaultBridge.open(
    {
      bridge: config.bridge ?? DEFAULT_BRIDGE,
      bip: config.bip ?? `${DEFAULT_BRIDGE_GATEWAY}/${prefixLength({ subnet: "198.18.0.0/24" })}`,
      owner,
      table: owner.replace(/-/g, "_"),
      netnsDir: path.join(config.execRoot, "netns"),
    },
    spawnRunner,
    config.dataRoot,
    running,
  );
}

/** The network service over the predefined networks (bridge, host, none). */
export async function openNetworkService(
  config: DaemonConfig,
  bridge: DefaultBridge | undefined,
  containers: () => readonly NetworkedContainer[],
): Promise<NetworkService> {
  return networkService({
    ids: {
      bridge: bridge?.net.id ?? (await networkId(config.dataRoot)),
      host: await networkId(config.dataRoot, "host"),
      none: await networkId(config.dataRoot, "none"),
    },
    created: new Date().toISOString(),
    ...(bridge
      ? { bridge: { device: bridge.net.bridge, subnet: bridge.net.subnet, gateway: bridge.net.gateway } }
      : {}),
    containers,
  });
}
