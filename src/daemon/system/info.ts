/** GET /info body from host facts, daemon configuration and live counts. (pure) */
import type { AddressPool, RuntimeInfo, SystemInfo } from "../../api/types/system.js";
import type { HostFacts } from "./host-facts.js";

export interface InfoCounts {
  readonly containers: number;
  readonly running: number;
  readonly paused: number;
  readonly stopped: number;
  readonly images: number;
}

/** What the daemon's configuration decides. */
export interface InfoConfig {
  /** Stable daemon id (Docker uses a UUID-like string kept in the root). */
  readonly id: string;
  readonly rootDir: string;
  readonly serverVersion: string;
  readonly debug?: boolean;
  readonly runtimes?: Readonly<Record<string, RuntimeInfo>>;
  readonly defaultRuntime?: string;
  readonly securityOptions?: readonly string[];
  readonly labels?: readonly string[];
  readonly loggingDriver?: string;
  readonly initBinary?: string;
  readonly runcCommit?: string;
  readonly initCommit?: string;
  readonly driverStatus?: readonly [string, string][];
  readonly insecureRegistryCIDRs?: readonly string[];
  readonly registryMirrors?: readonly string[];
  readonly defaultAddressPools?: readonly AddressPool[];
  readonly liveRestore?: boolean;
}

export interface InfoLive {
  readonly counts: InfoCounts;
  readonly eventListeners: number;
  /** Now, as RFC 3339 with nanoseconds (injected: this file is pure). */
  readonly systemTime: string;
  readonly warnings?: readonly string[];
}

export function buildInfo(host: HostFacts, config: InfoConfig, live: InfoLive): SystemInfo {
  const has = (c: string) => host.cgroupControllers.includes(c);
  const runtimes = config.runtimes ?? { runc: { path: "runc" } };
  return {
    ID: config.id,
    Containers: live.counts.containers,
    ContainersRunning: live.counts.running,
    ContainersPaused: live.counts.paused,
    ContainersStopped: live.counts.stopped,
    Images: live.counts.images,
    Driver: "overlayfs",
    DriverStatus: [...(config.driverStatus ?? [])],
    Plugins: {
      Volume: ["local"],
      Network: ["bridge", "host", "null"],
      Authorization: null,
      Log: ["json-file"],
    },
    MemoryLimit: has("memory"),
    SwapLimit: has("memory"),
    CpuCfsPeriod: has("cpu"),
    CpuCfsQuota: has("cpu"),
    CPUShares: has("cpu"),
    CPUSet: has("cpuset"),
    PidsLimit: has("pids"),
    IPv4Forwarding: host.ipv4Forwarding,
    Debug: config.debug ?? false,
    NFd: 0,
    OomKillDisable: false,
    NGoroutines: 0,
    SystemTime: live.systemTime,
    LoggingDriver: config.loggingDriver ?? "json-file",
    CgroupDriver: "cgroupfs",
    CgroupVersion: host.cgroupVersion,
    NEventsListener: live.eventListeners,
    KernelVersion: host.kernelVersion,
    OperatingSystem: host.operatingSystem,
    OSVersion: host.osVersion,
    OSType: "linux",
    Architecture: host.machine,
    IndexServerAddress: "https://index.docker.io/v1/",
    RegistryConfig: {
      InsecureRegistryCIDRs: [...(config.insecureRegistryCIDRs ?? ["::1/128", "127.0.0.0/8"])],
      IndexConfigs: {
        "docker.io": {
          Name: "docker.io",
          Mirrors: [...(config.registryMirrors ?? [])],
          Secure: true,
          Official: true,
        },
      },
      Mirrors: [...(config.registryMirrors ?? [])],
    },
    NCPU: host.ncpu,
    MemTotal: host.memTotal,
    GenericResources: null,
    DockerRootDir: config.rootDir,
    HttpProxy: host.httpProxy,
    HttpsProxy: host.httpsProxy,
    NoProxy: host.noProxy,
    Name: host.hostname,
    Labels: [...(config.labels ?? [])],
    ExperimentalBuild: false,
    ServerVersion: config.serverVersion,
    Runtimes: { ...runtimes },
    DefaultRuntime: config.defaultRuntime ?? "runc",
    Swarm: {
      NodeID: "",
      NodeAddr: "",
      LocalNodeState: "inactive",
      ControlAvailable: false,
      Error: "",
      RemoteManagers: null,
    },
    LiveRestoreEnabled: config.liveRestore ?? true,
    Isolation: "",
    InitBinary: config.initBinary ?? "catatonit",
    ContainerdCommit: { ID: "" },
    RuncCommit: { ID: config.runcCommit ?? "" },
    InitCommit: { ID: config.initCommit ?? "" },
    SecurityOptions: [...(config.securityOptions ?? [])],
    CDISpecDirs: [],
    ...(config.defaultAddressPools ? { DefaultAddressPools: [...config.defaultAddressPools] } : {}),
    Warnings: live.warnings ? [...live.warnings] : null,
  };
}

/** RFC 3339 with nanoseconds, as Docker's SystemTime: 2024-05-01T12:00:00.123456789Z. */
export function rfc3339Nano(nanos: bigint): string {
  const ms = Number(nanos / 1_000_000n);
  const iso = new Date(ms).toISOString(); // ...T12:00:00.123Z
  const frac = (nanos % 1_000_000_000n).toString().padStart(9, "0");
  return `${iso.slice(0, 19)}.${frac}Z`;
}
