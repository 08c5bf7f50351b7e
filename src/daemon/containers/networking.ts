import type { EndpointSettings, HostConfig } from "../../api/types/containers.js";
import { BerthError, errorMessage, invalidArgument, isKind, notFound } from "../../lib/errors.js";
import {
  contains,
  type PortMapping,
  type PortRequest,
  parsePrefix,
  tryParseIpv4,
} from "../../network/index.js";
import type { Attachment, ConnectOptions, StoredEndpoint } from "../networks/manager.js";
import type { ResolvedNetwork } from "../networks/service.js";
import { type ContainerDeps, findContainer } from "./deps.js";
import type { ContainerRecord } from "./record.js";

/** A network a container joins when it starts, as its record keeps it. */
export interface NetworkAttachment extends Attachment {
  networkName: string;
}

/** What the container use cases need from the network layer (daemon/networks/manager.ts). */
export interface ContainerNetworking {
  /** The default bridge's id; absent when the daemon runs without one. */
  bridgeId?: string;
  resolve(ref: string): ResolvedNetwork;
  connect(containerId: string, opts: ConnectOptions): Promise<StoredEndpoint[]>;
  disconnect(containerId: string): Promise<void>;
  attach(containerId: string, name: string, a: Attachment): Promise<StoredEndpoint>;
  detach(containerId: string, networkId: string): Promise<void>;
  republish(containerId: string, name: string, ports: readonly PortRequest[]): Promise<PortMapping[]>;
  /** Rewrites a running container's resolv.conf (after it joined its first user network). */
  rewriteResolvConf?(c: ContainerRecord): Promise<void>;
  publish(e: {
    Type: "network";
    Action: string;
    Actor: { ID: string; Attributes: Record<string, string> };
  }): void;
}

const BRIDGE_MODES = ["", "default", "bridge"];

/** The networks the container joins at start: its record's list, or the default bridge for old records. */
export function attachmentsOf(
  c: Pick<ContainerRecord, "hostConfig" | "networks">,
  net: Pick<ContainerNetworking, "bridgeId"> | undefined,
): NetworkAttachment[] {
  if (c.networks) return c.networks;
  const mode = c.hostConfig.NetworkMode ?? "default";
  return BRIDGE_MODES.includes(mode) && net?.bridgeId
    ? [{ networkId: net.bridgeId, networkName: "bridge" }]
    : [];
}

/**
 * Container create: NetworkMode and NetworkingConfig.EndpointsConfig → the networks to join, in
 * order (NetworkMode's first). Refuses unknown networks (404), --ip and aliases on the default
 * bridge, and an --ip outside the network's subnet, as Docker does.
 */
export function planAttachments(
  deps: Pick<ContainerDeps, "network">,
  h: Pick<HostConfig, "NetworkMode">,
  endpoints: Readonly<Record<string, EndpointSettings>> = {},
): { mode: string; networks?: NetworkAttachment[] } {
  const mode = h.NetworkMode || "default";
  if (mode === "none" || mode === "host" || mode.startsWith("container:")) return { mode };
  const net = deps.network;
  const out: NetworkAttachment[] = [];
  const refs = [mode, ...Object.keys(endpoints).filter((k) => k !== mode)];
  for (const ref of refs) {
    if (!net) {
      if (BRIDGE_MODES.includes(ref)) continue;
      throw invalidArgument(`network ${ref} not found`);
    }
    // 400, not 404: the docker CLI takes a 404 from create for a missing image and tries to pull.
    let r: ResolvedNetwork;
    try {
      r = net.resolve(ref);
    } catch (err) {
      throw isKind(err, "not-found") ? invalidArgument(errorMessage(err)) : err;
    }
    if (r.kind === "host" || r.kind === "none") {
      throw invalidArgument(
        "conflicting options: cannot attach both user-defined and non-user-defined network-modes",
      );
    }
    if (out.some((a) => a.networkId === r.id)) continue;
    const ep = endpoints[ref] ?? (ref === mode ? endpoints[r.name] : undefined) ?? {};
    out.push(attachmentFor(r, ep));
  }
  return { mode, networks: out };
}

function attachmentFor(r: ResolvedNetwork, ep: EndpointSettings): NetworkAttachment {
  const ipv4 = ep.IPAMConfig?.IPv4Address ?? "";
  const aliases = (ep.Aliases ?? []).filter((a) => a !== "");
  if (r.kind !== "user") {
    if (ipv4) throw invalidArgument("user specified IP address is supported on user defined networks only");
    if (aliases.length) {
      throw invalidArgument("network-scoped alias is supported only for containers in user defined networks");
    }
  }
  if (ipv4) {
    const n = tryParseIpv4(ipv4);
    if (n === undefined) throw invalidArgument(`invalid IPv4 address: ${ipv4}`);
    if (r.subnet && !contains(parsePrefix(r.subnet), n)) {
      throw invalidArgument(
        `Invalid address ${ipv4}: It does not belong to any of this network's subnets (${r.name}: ${r.subnet})`,
      );
    }
  }
  return {
    networkId: r.id,
    networkName: r.name,
    ...(aliases.length ? { aliases } : {}),
    ...(ipv4 ? { ipv4 } : {}),
  };
}

/**
 * `network connect`: records the network in the container's list and, when it runs, gives it an
 * interface on that network at once.
 */
export async function connectContainer(
  deps: ContainerDeps,
  netRef: string,
  ctrRef: string,
  settings: EndpointSettings = {},
): Promise<void> {
  const net = deps.network;
  if (!net) throw notFound(`network ${netRef} not found`);
  const r = net.resolve(netRef);
  const found = findContainer(deps, ctrRef);
  await deps.locks.run(found.id, async () => {
    const c = deps.store.get(found.id)!;
    const mode = c.hostConfig.NetworkMode || "default";
    if (
      r.kind === "host" ||
      r.kind === "none" ||
      mode === "host" ||
      mode === "none" ||
      mode.startsWith("container:")
    ) {
      throw new BerthError(
        "permission-denied",
        "container cannot be disconnected from host network or connected to host network",
      );
    }
    const current = attachmentsOf(c, net);
    if (current.some((a) => a.networkId === r.id)) {
      throw new BerthError(
        "permission-denied",
        `endpoint with name ${c.name} already exists in network ${r.name}`,
      );
    }
    const a = attachmentFor(r, settings);
    let endpoints = c.endpoints;
    const running = c.state.status === "running" || c.state.status === "paused";
    if (running) {
      const ep = await net.attach(c.id, c.name, a);
      endpoints = [...(c.endpoints ?? []), ep];
    }
    const updated = { ...c, networks: [...current, a], ...(endpoints ? { endpoints } : {}) };
    await deps.store.put(updated);
    // Its first user-defined network: names resolve from now on (resolv.conf is rewritten in place).
    if (running && r.kind === "user" && !c.endpoints?.some((e) => e.networkName !== "bridge")) {
      await net.rewriteResolvConf?.(updated);
    }
    net.publish(networkEvent("connect", r, c.id));
  });
}

/** `network disconnect`: removes the network from the container's list and its interface. */
export async function disconnectContainer(
  deps: ContainerDeps,
  netRef: string,
  ctrRef: string,
  force = false,
): Promise<void> {
  const net = deps.network;
  if (!net) throw notFound(`network ${netRef} not found`);
  let r: ResolvedNetwork | undefined;
  try {
    r = net.resolve(netRef);
  } catch (err) {
    if (!force) throw err;
  }
  const found = findContainer(deps, ctrRef);
  await deps.locks.run(found.id, async () => {
    const c = deps.store.get(found.id)!;
    const current = attachmentsOf(c, net);
    const hit = current.find((a) => a.networkId === r?.id || a.networkName === netRef);
    if (!hit) {
      if (r?.kind === "host" || r?.kind === "none") {
        throw new BerthError(
          "permission-denied",
          "container cannot be disconnected from host network or connected to host network",
        );
      }
      throw new BerthError("permission-denied", `container ${c.id} is not connected to network ${netRef}`);
    }
    await net.detach(c.id, hit.networkId);
    await deps.store.put({
      ...c,
      networks: current.filter((a) => a !== hit),
      ...(c.endpoints ? { endpoints: c.endpoints.filter((e) => e.networkId !== hit.networkId) } : {}),
    });
    net.publish(networkEvent("disconnect", { id: hit.networkId, name: hit.networkName }, c.id));
  });
}

function networkEvent(action: string, r: { id: string; name: string }, container: string) {
  return {
    Type: "network" as const,
    Action: action,
    Actor: { ID: r.id, Attributes: { name: r.name, type: "bridge", container } },
  };
}
