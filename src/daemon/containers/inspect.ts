import type { ContainerInspect, EndpointSettings } from "../../api/types/containers.js";
import { digestHex, sha256 } from "../../lib/digest.js";
import { type ContainerDeps, findContainer } from "./deps.js";
import { mountPointsOf } from "./mount-points.js";
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
    NetworkSettings: networkSettings(c, running),
  };
}

/** Docker's NetworkSettings: the default bridge's endpoint while running, empty values otherwise. */
function networkSettings(c: ContainerRecord, running: boolean): ContainerInspect["NetworkSettings"] {
  const mode = c.hostConfig.NetworkMode || "default";
  const ep = running ? c.endpoints?.[0] : undefined;
  const name = mode === "default" ? "bridge" : mode;
  const settings: EndpointSettings = {
    IPAMConfig: null,
    Links: null,
    Aliases: null,
    MacAddress: ep?.mac ?? "",
    NetworkID: ep?.networkId ?? "",
    EndpointID: ep ? digestHex(sha256(`${ep.networkId}/${ep.containerId}`)) : "",
    Gateway: ep?.gateway ?? "",
    IPAddress: ep?.ip ?? "",
    IPPrefixLen: ep?.prefixLen ?? 0,
    IPv6Gateway: "",
    GlobalIPv6Address: "",
    GlobalIPv6PrefixLen: 0,
    DriverOpts: null,
    DNSNames: null,
  };
  return {
    Bridge: "",
    SandboxID: ep ? digestHex(sha256(`sandbox/${c.id}`)) : "",
    SandboxKey: ep?.netns ?? "",
    Ports: inspectPorts(c, running),
    Networks: { [name]: settings },
    IPAddress: ep?.ip ?? "",
    Gateway: ep?.gateway ?? "",
    MacAddress: ep?.mac ?? "",
  };
}
