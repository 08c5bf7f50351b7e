import { randomBytes } from "node:crypto";
import type { Filters } from "../../api/types/filters.js";
import { validateFilters } from "../../api/types/filters.js";
import type { Network, NetworkCreateRequest } from "../../api/types/networks.js";
import { BerthError, conflict, invalidArgument, notFound } from "../../lib/errors.js";
import { Mutex } from "../../lib/lock.js";
import {
  type AddressPool,
  allocateSubnet,
  type BridgeNetwork,
  bridgeName,
  overlaps,
  parsePrefix,
  validateIpamConfig,
} from "../../network/index.js";
import { parseTime } from "../filter-values.js";
import type { RecordStore } from "../state/record-store.js";
import type { NetworkManager } from "./manager.js";
import type { NetworkRecord } from "./record.js";
import {
  baseNetwork,
  isRunning,
  matchesFilters,
  type NetworkedContainer,
  userNetwork,
  withContainers,
} from "./views.js";

export type { NetworkedContainer } from "./views.js";

export interface NetworkEvent {
  Type: "network";
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
}

export interface NetworkServiceDeps {
  /** The predefined networks' ids and the daemon's start time (their Created). */
  ids: { bridge: string; host: string; none: string };
  created: string;
  /** The default bridge (absent with "bridge": "none"). */
  bridge?: BridgeNetwork;
  store: RecordStore<NetworkRecord>;
  manager: NetworkManager;
  pools: readonly AddressPool[];
  /** Destinations of the host's routes (subnets to skip). */
  hostRoutes(): Promise<string[]>;
  containers(): readonly NetworkedContainer[];
  publish(e: NetworkEvent): void;
}

/** A network a container may name: its id, name and whether it is user-defined. */
export interface ResolvedNetwork {
  id: string;
  name: string;
  kind: "bridge" | "host" | "none" | "user";
  subnet?: string;
}

const BRIDGE_OPTS = {
  name: "com.docker.network.bridge.name",
  icc: "com.docker.network.bridge.enable_icc",
  masq: "com.docker.network.bridge.enable_ip_masquerade",
  mtu: "com.docker.network.driver.mtu",
} as const;

/**
 * The Engine API's networks: the predefined bridge, host and none, and user-defined bridge
 * networks (create, remove, prune), each listed with the running containers attached.
 */
export function networkService(deps: NetworkServiceDeps) {
  const lock = new Mutex();
  const predefined = (): Network[] => {
    const out: Network[] = [];
    if (deps.bridge) out.push(defaultBridge(deps, deps.bridge));
    out.push(
      baseNetwork("host", deps.ids.host, deps.created, "host"),
      baseNetwork("none", deps.ids.none, deps.created, "null"),
    );
    for (const n of out.slice(-2)) {
      for (const c of deps.containers()) {
        if (isRunning(c) && c.hostConfig.NetworkMode === n.Name) {
          n.Containers[c.id] = {
            Name: c.name,
            EndpointID: "",
            MacAddress: "",
            IPv4Address: "",
            IPv6Address: "",
          };
        }
      }
    }
    return out;
  };
  const all = (): { net: Network; builtin: boolean }[] => {
    const containers = deps.containers();
    return [
      ...predefined().map((n) => ({ net: withContainers(n, containers), builtin: true })),
      ...deps.store
        .all()
        .sort((a, b) => a.created.localeCompare(b.created))
        .map((r) => ({ net: withContainers(userNetwork(r), containers), builtin: false })),
    ];
  };
  const find = (ref: string): { net: Network; builtin: boolean } => {
    const nets = all();
    const hit =
      nets.find((n) => n.net.Id === ref) ?? nets.find((n) => n.net.Name === ref) ?? uniquePrefix(nets, ref);
    if (!hit) throw notFound(`network ${ref} not found`);
    return hit;
  };

  const service = {
    list(filters: Filters): Network[] {
      return all()
        .filter((n) => matchesFilters(n.net, filters, n.builtin))
        .map((n) => ({ ...n.net, Containers: {} }));
    },
    inspect(ref: string): Network {
      return find(ref).net;
    },
    /** For container create / connect: which network a name or id means (404 otherwise). */
    resolve(ref: string): ResolvedNetwork {
      const { net, builtin } = find(ref === "default" ? "bridge" : ref);
      const kind = builtin ? (net.Name as "bridge" | "host" | "none") : "user";
      const subnet = net.IPAM.Config[0]?.Subnet;
      return { id: net.Id, name: net.Name, kind, ...(subnet ? { subnet } : {}) };
    },
    create(req: NetworkCreateRequest): Promise<{ Id: string; Warning: string }> {
      return lock.run(async () => {
        const rec = await planNetwork(deps, req, all());
        const net = toBridge(rec);
        await deps.manager.addNetwork(net, true, rec.ipam.ipRange);
        try {
          await deps.store.put(rec);
        } catch (err) {
          await deps.manager.deleteNetwork(rec.id).catch(() => {});
          throw err;
        }
        deps.publish(event("create", rec));
        return { Id: rec.id, Warning: "" };
      });
    },
    remove(ref: string): Promise<void> {
      return lock.run(async () => {
        const { net, builtin } = find(ref);
        if (builtin) {
          throw new BerthError(
            "permission-denied",
            `${net.Name} is a pre-defined network and cannot be removed`,
          );
        }
        await removeUser(deps, deps.store.get(net.Id)!);
      });
    },
    prune(filters: Filters): Promise<{ NetworksDeleted: string[] | null }> {
      return lock.run(async () => {
        validateFilters(filters, ["until", "label", "label!"]);
        const until = filters.until?.length ? Math.min(...filters.until.map((v) => parseTime(v))) : undefined;
        const deleted: string[] = [];
        for (const r of deps.store.all()) {
          if (deps.manager.containersOn(r.id).length > 0) continue;
          if (until !== undefined && Date.parse(r.created) >= until) continue;
          if (!pruneLabels(filters, r.labels)) continue;
          await removeUser(deps, r);
          deleted.push(r.name);
        }
        return { NetworksDeleted: deleted.length ? deleted : null };
      });
    },
  };
  return service;
}

export type NetworkService = ReturnType<typeof networkService>;

export function toBridge(r: NetworkRecord): BridgeNetwork {
  const mtu = Number(r.options[BRIDGE_OPTS.mtu] ?? 0);
  return {
    id: r.id,
    name: r.name,
    bridge: r.bridge,
    subnet: r.ipam.subnet,
    gateway: r.ipam.gateway,
    ...(r.internal ? { internal: true } : {}),
    ...(r.options[BRIDGE_OPTS.icc] === "false" ? { icc: false } : {}),
    ...(r.options[BRIDGE_OPTS.masq] === "false" ? { masquerade: false } : {}),
    ...(mtu > 0 ? { mtu } : {}),
  };
}

function event(action: string, r: Pick<NetworkRecord, "id" | "name">, extra: Record<string, string> = {}) {
  return {
    Type: "network" as const,
    Action: action,
    Actor: { ID: r.id, Attributes: { name: r.name, type: "bridge", ...extra } },
  };
}

async function removeUser(deps: NetworkServiceDeps, r: NetworkRecord): Promise<void> {
  if (deps.manager.containersOn(r.id).length > 0) {
    throw new BerthError(
      "permission-denied",
      `error while removing network: network ${r.name} id ${r.id} has active endpoints`,
    );
  }
  await deps.manager.deleteNetwork(r.id);
  await deps.store.delete(r.id);
  deps.publish(event("destroy", r));
}

function pruneLabels(f: Filters, labels: Record<string, string>): boolean {
  const has = (v: string) => {
    const eq = v.indexOf("=");
    return eq < 0 ? Object.hasOwn(labels, v) : labels[v.slice(0, eq)] === v.slice(eq + 1);
  };
  return (f.label ?? []).every(has) && !(f["label!"] ?? []).some(has);
}

function uniquePrefix<T extends { net: Network }>(nets: readonly T[], ref: string): T | undefined {
  if (ref === "" || !/^[0-9a-f]+$/.test(ref)) return undefined;
  const hits = nets.filter((n) => n.net.Id.startsWith(ref));
  if (hits.length > 1)
    throw invalidArgument(`network ${ref} is ambiguous (${hits.length} matches found on id)`);
  return hits[0];
}

/** Validates a create request and picks subnet and bridge name: the record to store (nothing done yet). */
async function planNetwork(
  deps: NetworkServiceDeps,
  req: NetworkCreateRequest,
  existing: readonly { net: Network }[],
): Promise<NetworkRecord> {
  const name = req.Name ?? "";
  if (name === "") throw invalidArgument("network name is required: give the network a name");
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(name)) {
    throw invalidArgument(
      `invalid network name ${JSON.stringify(name)}: only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`,
    );
  }
  const driver = req.Driver || "bridge";
  if (driver !== "bridge") {
    throw notFound(`plugin "${driver}" not found: berth's user-defined networks use the bridge driver`);
  }
  if (req.EnableIPv6) throw invalidArgument("berth networks are IPv4 only: leave out --ipv6");
  if (existing.some((n) => n.net.Name === name)) throw conflict(`network with name ${name} already exists`);
  const configs = (req.IPAM?.Config ?? []).filter((c) => c.Subnet || c.Gateway || c.IPRange);
  if (configs.length > 1) throw invalidArgument("berth networks take one IPv4 subnet: give one --subnet");
  const given = configs[0];
  const used = existing.flatMap((n) =>
    n.net.IPAM.Config.flatMap((c) => (c.Subnet ? [{ name: n.net.Name, subnet: c.Subnet }] : [])),
  );
  let ipam: NetworkRecord["ipam"];
  if (given) {
    if (!given.Subnet)
      throw invalidArgument("invalid network config: a gateway or ip-range needs a --subnet");
    const v = validateIpamConfig({
      subnet: given.Subnet,
      ...(given.Gateway ? { gateway: given.Gateway } : {}),
      ...(given.IPRange ? { ipRange: given.IPRange } : {}),
    });
    const p = parsePrefix(v.subnet);
    const clash = used.find((u) => overlaps(parsePrefix(u.subnet), p));
    if (clash) {
      throw new BerthError(
        "permission-denied",
        `invalid pool request: Pool overlaps with other one on this address space: ${v.subnet} overlaps ${clash.subnet} of network ${clash.name}`,
      );
    }
    ipam = { subnet: v.subnet, gateway: v.gateway, ...(v.ipRange ? { ipRange: v.ipRange } : {}) };
  } else {
    const subnet = allocateSubnet(
      deps.pools,
      used.map((u) => u.subnet),
      await deps.hostRoutes(),
    );
    ipam = { subnet, gateway: validateIpamConfig({ subnet }).gateway };
  }
  const id = randomBytes(32).toString("hex");
  const options = { ...(req.Options ?? {}) };
  const bridge = options[BRIDGE_OPTS.name] || bridgeName(id);
  if (!/^[A-Za-z0-9_.-]{1,15}$/.test(bridge)) {
    throw invalidArgument(`invalid bridge name ${JSON.stringify(bridge)}: 1 to 15 of [A-Za-z0-9_.-]`);
  }
  if (deps.manager.networks().some((n) => n.bridge === bridge)) {
    throw conflict(`bridge name ${bridge} is used by another network`);
  }
  const mtu = options[BRIDGE_OPTS.mtu];
  if (mtu !== undefined && !/^\d+$/.test(mtu)) throw invalidArgument(`invalid MTU ${JSON.stringify(mtu)}`);
  return {
    schemaVersion: 1,
    id,
    name,
    created: new Date().toISOString(),
    driver: "bridge",
    internal: req.Internal === true,
    attachable: req.Attachable === true,
    labels: { ...(req.Labels ?? {}) },
    options,
    ipam,
    bridge,
  };
}

function defaultBridge(deps: NetworkServiceDeps, b: BridgeNetwork): Network {
  const n = baseNetwork("bridge", deps.ids.bridge, deps.created, "bridge");
  n.IPAM.Config = [{ Subnet: b.subnet, Gateway: b.gateway }];
  n.Options = {
    "com.docker.network.bridge.default_bridge": "true",
    "com.docker.network.bridge.enable_icc": "true",
    "com.docker.network.bridge.enable_ip_masquerade": "true",
    "com.docker.network.bridge.host_binding_ipv4": "0.0.0.0",
    "com.docker.network.bridge.name": b.bridge,
    "com.docker.network.driver.mtu": "1500",
  };
  return n;
}

export { event as networkEvent };
