import type { Filters } from "../../api/types/filters.js";
import type { Network, NetworkContainer } from "../../api/types/networks.js";
import { digestHex, sha256 } from "../../lib/digest.js";
import { notFound } from "../../lib/errors.js";
import type { StoredEndpoint } from "./default-bridge.js";

/** What the network service reads of a container record. */
export interface NetworkedContainer {
  id: string;
  name: string;
  state: { status: string };
  hostConfig: { NetworkMode?: string };
  endpoints?: StoredEndpoint[];
}

export interface NetworkServiceDeps {
  /** The predefined networks' ids and creation times. */
  ids: { bridge: string; host: string; none: string };
  created: string;
  /** The default bridge as configured (absent with "bridge": "none"). */
  bridge?: { device: string; subnet: string; gateway: string };
  containers(): readonly NetworkedContainer[];
}

/**
 * `docker network ls` / `inspect` for the predefined networks: bridge (berth's default bridge),
 * host and none, with the running containers attached to each.
 */
export function networkService(deps: NetworkServiceDeps) {
  const all = (): Network[] => {
    const out: Network[] = [];
    if (deps.bridge) out.push(bridgeNetwork(deps, deps.bridge));
    out.push(plain(deps, "host", "host"), plain(deps, "none", "null"));
    return out;
  };
  return {
    list(filters: Filters): Network[] {
      return all()
        .filter((n) => matches(n, filters))
        .map((n) => ({ ...n, Containers: {} }));
    },
    inspect(ref: string): Network {
      const nets = all();
      const hit =
        nets.find((n) => n.Id === ref || n.Name === ref) ??
        (ref.length > 0 && /^[0-9a-f]+$/.test(ref) ? nets.find((n) => n.Id.startsWith(ref)) : undefined);
      if (!hit) throw notFound(`network ${ref} not found`);
      return hit;
    },
  };
}

export type NetworkService = ReturnType<typeof networkService>;

function base(deps: NetworkServiceDeps, name: "bridge" | "host" | "none", driver: string): Network {
  return {
    Name: name,
    Id: deps.ids[name],
    Created: deps.created,
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

const running = (c: NetworkedContainer) => c.state.status === "running" || c.state.status === "paused";

function plain(deps: NetworkServiceDeps, name: "host" | "none", driver: string): Network {
  const n = base(deps, name, driver);
  for (const c of deps.containers()) {
    if (!running(c) || c.hostConfig.NetworkMode !== name) continue;
    n.Containers[c.id] = {
      Name: c.name,
      EndpointID: digestHex(sha256(`${n.Id}/${c.id}`)),
      MacAddress: "",
      IPv4Address: "",
      IPv6Address: "",
    };
  }
  return n;
}

function bridgeNetwork(deps: NetworkServiceDeps, b: NonNullable<NetworkServiceDeps["bridge"]>): Network {
  const n = base(deps, "bridge", "bridge");
  n.IPAM.Config = [{ Subnet: b.subnet, Gateway: b.gateway }];
  n.Options = {
    "com.docker.network.bridge.default_bridge": "true",
    "com.docker.network.bridge.enable_icc": "true",
    "com.docker.network.bridge.enable_ip_masquerade": "true",
    "com.docker.network.bridge.host_binding_ipv4": "0.0.0.0",
    "com.docker.network.bridge.name": b.device,
    "com.docker.network.driver.mtu": "1500",
  };
  for (const c of deps.containers()) {
    const ep = running(c) ? c.endpoints?.find((e) => e.networkId === n.Id) : undefined;
    if (!ep) continue;
    const entry: NetworkContainer = {
      Name: c.name,
      EndpointID: digestHex(sha256(`${ep.networkId}/${ep.containerId}`)),
      MacAddress: ep.mac,
      IPv4Address: `${ep.ip}/${ep.prefixLen}`,
      IPv6Address: "",
    };
    n.Containers[c.id] = entry;
  }
  return n;
}

/** Docker's network list filters: name (substring), id (prefix), driver, type (builtin/custom). */
function matches(n: Network, f: Filters): boolean {
  if (f.name && !f.name.some((v) => n.Name.includes(v))) return false;
  if (f.id && !f.id.some((v) => n.Id.startsWith(v))) return false;
  if (f.driver && !f.driver.includes(n.Driver)) return false;
  if (f.type && !f.type.includes("builtin")) return false;
  if (f.label && f.label.length > 0) return false;
  return true;
}
