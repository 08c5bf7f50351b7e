import path from "node:path";
import { spawnRunner } from "../../lib/exec.js";
import { DEFAULT_BRIDGE, DEFAULT_BRIDGE_GATEWAY, DEFAULT_OWNER, prefixLength } from "../../network/index.js";
import type { DaemonConfig } from "../config.js";
import { DefaultBridge, type StoredEndpoint } from "./default-bridge.js";

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
