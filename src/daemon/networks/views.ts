import {
  boolFilter,
  type Filters,
  fuzzyMatch,
  matchKVList,
  validateFilters,
} from "../../api/types/filters.js";
import type { Network, NetworkContainer } from "../../api/types/networks.js";
import { invalidArgument } from "../../lib/errors.js";
import { endpointId } from "./ids.js";
import type { StoredEndpoint } from "./manager.js";
import type { NetworkRecord } from "./record.js";

/** What the network views read of a container record. */
export interface NetworkedContainer {
  id: string;
  name: string;
  state: { status: string };
  hostConfig: { NetworkMode?: string };
  endpoints?: StoredEndpoint[];
}

export const isRunning = (c: NetworkedContainer) =>
  c.state.status === "running" || c.state.status === "paused";

/** The wire form shared by every network; Containers filled by the caller. */
export function baseNetwork(name: string, id: string, created: string, driver: string): Network {
  return {
    Name: name,
    Id: id,
    Created: created,
    Scope: "local",
    Driver: driver,
    EnableIPv4: true,
    EnableIPv6: false,
    IPAM: { Driver: "default", Options: null, Config: [] },
    Internal: false,
    Attachable: false,
    Ingress: false,
    ConfigFrom: { Network: "" },
    ConfigOnly: false,
    Containers: {},
    Options: {},
    Labels: {},
  };
}

/** A user-defined network as inspect shows it. */
export function userNetwork(r: NetworkRecord): Network {
  const n = baseNetwork(r.name, r.id, r.created, r.driver);
  n.IPAM.Config = [
    {
      Subnet: r.ipam.subnet,
      Gateway: r.ipam.gateway,
      ...(r.ipam.ipRange ? { IPRange: r.ipam.ipRange } : {}),
    },
  ];
  n.IPAM.Options = {};
  n.Internal = r.internal;
  n.Attachable = r.attachable;
  n.Options = { ...r.options };
  n.Labels = { ...r.labels };
  return n;
}

/** Fills Containers with the running containers that have an endpoint on the network. */
export function withContainers(n: Network, containers: readonly NetworkedContainer[]): Network {
  for (const c of containers) {
    const ep = isRunning(c) ? c.endpoints?.find((e) => e.networkId === n.Id) : undefined;
    if (!ep) continue;
    const entry: NetworkContainer = {
      Name: c.name,
      EndpointID: endpointId(ep),
      MacAddress: ep.mac,
      IPv4Address: `${ep.ip}/${ep.prefixLen}`,
      IPv6Address: "",
    };
    n.Containers[c.id] = entry;
  }
  return n;
}

const BUILTIN = ["bridge", "host", "none"];

/** Docker's network list filters: name (substring), id (prefix), label, driver, type, dangling. */
export function matchesFilters(n: Network, f: Filters, builtin: boolean): boolean {
  validateFilters(f, ["name", "id", "label", "driver", "type", "dangling", "scope"]);
  if (f.name && !f.name.some((v) => n.Name.includes(v))) return false;
  if (!fuzzyMatch(f, "id", n.Id)) return false;
  if (f.driver && !f.driver.includes(n.Driver)) return false;
  if (f.scope && !f.scope.includes("local")) return false;
  if (f.type) {
    const kind = builtin ? "builtin" : "custom";
    for (const t of f.type) {
      if (t !== "builtin" && t !== "custom") throw invalidArgument(`invalid filter: 'type'='${t}'`);
    }
    if (!f.type.includes(kind)) return false;
  }
  if (!matchKVList(f, "label", n.Labels)) return false;
  if (f.dangling) {
    const dangling = !BUILTIN.includes(n.Name) && Object.keys(n.Containers).length === 0;
    if (boolFilter(f, "dangling", false) !== dangling) return false;
  }
  return true;
}
