import type { ContainerInspect, EndpointSettings } from "../../api/types/containers.js";
import { digestHex, sha256 } from "../../lib/digest.js";
import { containerDnsNames } from "../../network/index.js";
import type { StoredEndpoint } from "../networks/manager.js";
import { type ContainerDeps, findContainer } from "./deps.js";
import { mountPointsOf } from "./mount-points.js";
import { attachmentsOf, type NetworkAttachment } from "./networking.js";
import { inspectPorts } from "./port-views.js";
import type { ContainerRecord } from "./record.js";

/** `docker inspect CONTAINER`: Docker's shape, derived from the stored record. */
export function inspectContainer(deps: ContainerDeps, ref: string): ContainerInspect {
  return toInspect(deps, findContainer(deps, ref));
}

export function toInspect(deps: ContainerDeps, c: ContainerRecord): ContainerInspect {
  const s = c.state;
  const running = s.status === "running" || s.status === "paused" || s.status === "restarting";
  return {
    Id: c.id,
    Created: c.created,
    Path: c.path,
    Args: c.args,
    State: {
      Status: s.status,
      Running: running,
      Paused: s.status === "paused",
      Restarting: s.status === "restarting",
      OOMKilled: s.oomKilled,
      Dead: s.status === "dead",
      Pid: running ? s.pid : 0,
      ExitCode: s.exitCode,
      Error: s.error,
      StartedAt: s.startedAt,
      FinishedAt: s.finishedAt,
      ...(c.health
        ? { Health: { Status: c.health.status, FailingStreak: c.health.failingStreak, Log: c.health.log } }
        : {}),
    },
    Image: c.image,
    ResolvConfPath: deps.store.pathOf(c.id, "resolv.conf"),
    HostnamePath: deps.store.pathOf(c.id, "hostname"),
    HostsPath: deps.store.pathOf(c.id, "hosts"),
    LogPath: deps.store.pathOf(c.id, "container.log"),
    Name: `/${c.name}`,
    RestartCount: c.restartCount,
    Driver: "overlayfs",
    Platform: "linux",
    MountLabel: "",
    ProcessLabel: "",
    AppArmorProfile: "",
    ExecIDs: null,
    HostConfig: c.hostConfig,
    GraphDriver: { Name: "overlayfs", Data: { UpperDir: deps.snapshots.upperDir(c.snapshotKey) } },
    Mounts: mountPointsOf(c.mountPoints),
    Config: c.config,
    NetworkSettings: networkSettings(deps, c, running),
  };
}

/** Docker's NetworkSettings: one entry per network, with the endpoint's values while running. */
function networkSettings(
  deps: ContainerDeps,
  c: ContainerRecord,
  running: boolean,
): ContainerInspect["NetworkSettings"] {
  const mode = c.hostConfig.NetworkMode || "default";
  const eps = running ? (c.endpoints ?? []) : [];
  const attached = attachmentsOf(c, deps.network);
  const networks: Record<string, EndpointSettings> = {};
  const entry = (name: string, a: NetworkAttachment | undefined, ep: StoredEndpoint | undefined) => {
    const aliases = a?.aliases ?? ep?.aliases ?? [];
    networks[name] = {
      IPAMConfig: a?.ipv4 ? { IPv4Address: a.ipv4 } : null,
      Links: null,
      Aliases: aliases.length ? aliases : null,
      MacAddress: ep?.mac ?? "",
      NetworkID: ep?.networkId ?? a?.networkId ?? "",
      EndpointID: ep ? digestHex(sha256(`${ep.networkId}/${ep.containerId}`)) : "",
      Gateway: ep?.gateway ?? "",
      IPAddress: ep?.ip ?? "",
      IPPrefixLen: ep?.prefixLen ?? 0,
      IPv6Gateway: "",
      GlobalIPv6Address: "",
      GlobalIPv6PrefixLen: 0,
      DriverOpts: null,
      DNSNames:
        ep && a && a.networkName !== "bridge"
          ? containerDnsNames({ name: c.name, containerId: c.id, aliases })
          : null,
    };
  };
  for (const a of attached)
    entry(
      a.networkName,
      a,
      eps.find((e) => e.networkId === a.networkId),
    );
  if (attached.length === 0) entry(mode === "default" ? "bridge" : mode, undefined, undefined);
  const ep = eps[0];
  return {
    Bridge: "",
    SandboxID: ep ? digestHex(sha256(`sandbox/${c.id}`)) : "",
    SandboxKey: ep?.netns ?? "",
    Ports: inspectPorts(c, running),
    Networks: networks,
    IPAddress: ep?.networkName === "bridge" ? ep.ip : "",
    Gateway: ep?.networkName === "bridge" ? ep.gateway : "",
    MacAddress: ep?.networkName === "bridge" ? ep.mac : "",
  };
}
