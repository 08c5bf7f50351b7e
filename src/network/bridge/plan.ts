/**
 * The bridge driver's planners (pure): networks, endpoints and host settings as command plans.
 *
 * A network is a Linux bridge holding the gateway address. An endpoint is a veth pair created with
 * its container end already inside the container's netns (`ip link add … peer name eth0 netns
 * <path>`; iproute2 takes a path where a name has a slash), so no temporary name ever appears on
 * the host. Commands inside the netns run as one `nsenter --net=<path> ip -batch -`.
 */

import { prefixLength } from "../ipam/addresses.js";
import { type Command, type CommandPlan, cmd, tolerant } from "../plan.js";
import type { BridgeNetwork, Endpoint, PortMapping } from "../types.js";
import { DEFAULT_OWNER, endpointAlias, macAddress, networkAlias, vethName } from "./names.js";

export interface PlanOptions {
  /** ifalias owner tag (see names.ts). */
  owner?: string;
}

const mtuArgs = (mtu: number | undefined): string[] => (mtu ? ["mtu", String(mtu)] : []);

/** Creates the bridge device; run only when the link does not exist yet (see `planNetworkConfigure`). */
export function planNetworkCreate(net: BridgeNetwork): CommandPlan {
  return [cmd("ip", "link", "add", "name", net.bridge, ...mtuArgs(net.mtu), "type", "bridge")];
}

/**
 * Idempotent settings of an existing bridge: the owner tag, netfilter for bridged traffic (per
 * bridge, so the host's other bridges keep their behaviour; conntrack then sees container-to-container
 * traffic and un-NATs replies to a published port reached through the gateway), the gateway
 * address, link up.
 */
export function planNetworkConfigure(net: BridgeNetwork, opts: PlanOptions = {}): CommandPlan {
  const owner = opts.owner ?? DEFAULT_OWNER;
  return [
    cmd("ip", "link", "set", "dev", net.bridge, "type", "bridge", "nf_call_iptables", "1"),
    cmd("ip", "link", "set", "dev", net.bridge, "alias", networkAlias(owner, net.id)),
    cmd("ip", "addr", "replace", `${net.gateway}/${prefixLength(net)}`, "dev", net.bridge),
    cmd("ip", "link", "set", "dev", net.bridge, "up"),
  ];
}

/** The whole plan for a new network. */
export function planNetwork(net: BridgeNetwork, opts: PlanOptions = {}): CommandPlan {
  return [...planNetworkCreate(net), ...planNetworkConfigure(net, opts)];
}

/** Removes the bridge (and with it the gateway address); a missing bridge is not an error. */
export function planNetworkTeardown(net: Pick<BridgeNetwork, "bridge">): CommandPlan {
  return [tolerant("ip", "link", "del", "dev", net.bridge)];
}

/**
 * Host settings berth needs: forwarding, for traffic between containers and the outside and across
 * networks (the nft forward chain then decides what passes). Only non-internal networks need it.
 */
export function planHostSysctls(): CommandPlan {
  return [cmd("sysctl", "-q", "-w", "net.ipv4.ip_forward=1")];
}

export interface EndpointInput {
  containerId: string;
  /** Path of the container's netns (see netns.ts). */
  netns: string;
  ip: string;
  /** Default "eth0". */
  ifName?: string;
  /** Default true: the first network a container joins gives it its default route. */
  defaultRoute?: boolean;
  ports?: PortMapping[];
  /** Default: Docker's 02:42:<ip bytes>. */
  mac?: string;
}

/** Fills in the derived parts of an endpoint (veth name, MAC address). */
export function makeEndpoint(net: Pick<BridgeNetwork, "id">, input: EndpointInput): Endpoint {
  return {
    networkId: net.id,
    containerId: input.containerId,
    netns: input.netns,
    ifName: input.ifName ?? "eth0",
    hostVeth: vethName(net.id, input.containerId),
    ip: input.ip,
    mac: input.mac ?? macAddress(input.ip),
    defaultRoute: input.defaultRoute ?? true,
    ports: input.ports ?? [],
  };
}

/** The lines given to `ip -batch -` inside the container's netns. */
export function containerSideBatch(net: BridgeNetwork, ep: Endpoint): string {
  const lines = [
    `link set dev ${ep.ifName} address ${ep.mac} ${mtuArgs(net.mtu).join(" ")}`.trimEnd(),
    `addr add ${ep.ip}/${prefixLength(net)} dev ${ep.ifName}`,
    `link set dev ${ep.ifName} up`,
    "link set dev lo up",
  ];
  if (ep.defaultRoute && !net.internal) lines.push(`route add default via ${net.gateway} dev ${ep.ifName}`);
  return `${lines.join("\n")}\n`;
}

/** Connects a container to the network: veth pair, bridge port, address, routes. */
export function planEndpoint(net: BridgeNetwork, ep: Endpoint, opts: PlanOptions = {}): CommandPlan {
  const owner = opts.owner ?? DEFAULT_OWNER;
  const alias = endpointAlias(owner, ep.networkId, ep.containerId);
  const inside: Command = {
    argv: ["nsenter", `--net=${ep.netns}`, "ip", "-batch", "-"],
    input: containerSideBatch(net, ep),
  };
  return [
    cmd(
      "ip",
      "link",
      "add",
      "name",
      ep.hostVeth,
      ...mtuArgs(net.mtu),
      "type",
      "veth",
      "peer",
      "name",
      ep.ifName,
      "netns",
      ep.netns,
    ),
    cmd("ip", "link", "set", "dev", ep.hostVeth, "alias", alias, "master", net.bridge, "up"),
    inside,
  ];
}

/**
 * Disconnects: deleting the host end removes the pair. When the netns is already gone the kernel
 * has removed the pair itself, so failure is tolerated.
 */
export function planEndpointTeardown(ep: Pick<Endpoint, "hostVeth">): CommandPlan {
  return [tolerant("ip", "link", "del", "dev", ep.hostVeth)];
}
