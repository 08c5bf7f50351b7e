/**
 * Wire types of the system endpoints: GET /version, GET /info, GET /events (Engine API v1.50 shapes;
 * see SystemVersion, SystemInfo and EventMessage in the swagger). (pure)
 */

export interface ComponentVersion {
  Name: string;
  Version: string;
  /** Free-form key/value strings; the docker CLI prints them under the component. */
  Details?: Record<string, string> | null;
}

/** GET /version */
export interface SystemVersion {
  Platform: { Name: string };
  Components: ComponentVersion[];
  Version: string;
  ApiVersion: string;
  MinAPIVersion: string;
  GitCommit: string;
  GoVersion: string;
  Os: string;
  Arch: string;
  KernelVersion?: string;
  Experimental?: boolean;
  BuildTime: string;
}

export interface PluginsInfo {
  Volume: string[];
  Network: string[];
  Authorization: string[] | null;
  Log: string[];
}

export interface IndexInfo {
  Name: string;
  Mirrors: string[];
  Secure: boolean;
  Official: boolean;
}

export interface RegistryServiceConfig {
  InsecureRegistryCIDRs: string[];
  IndexConfigs: Record<string, IndexInfo>;
  Mirrors: string[];
}

export interface RuntimeInfo {
  path: string;
  runtimeArgs?: string[] | null;
  status?: Record<string, string> | null;
}

export interface CommitInfo {
  ID: string;
}

export interface SwarmInfo {
  NodeID: string;
  NodeAddr: string;
  LocalNodeState: "" | "inactive" | "pending" | "active" | "error" | "locked";
  ControlAvailable: boolean;
  Error: string;
  RemoteManagers: null;
}

export interface AddressPool {
  Base: string;
  Size: number;
}

/** GET /info */
export interface SystemInfo {
  ID: string;
  Containers: number;
  ContainersRunning: number;
  ContainersPaused: number;
  ContainersStopped: number;
  Images: number;
  Driver: string;
  DriverStatus: [string, string][];
  Plugins: PluginsInfo;
  MemoryLimit: boolean;
  SwapLimit: boolean;
  KernelMemoryTCP?: boolean;
  CpuCfsPeriod: boolean;
  CpuCfsQuota: boolean;
  CPUShares: boolean;
  CPUSet: boolean;
  PidsLimit: boolean;
  IPv4Forwarding: boolean;
  Debug: boolean;
  NFd: number;
  OomKillDisable: boolean;
  NGoroutines: number;
  SystemTime: string;
  LoggingDriver: string;
  CgroupDriver: "cgroupfs" | "systemd" | "none";
  CgroupVersion: "1" | "2";
  NEventsListener: number;
  KernelVersion: string;
  OperatingSystem: string;
  OSVersion: string;
  OSType: string;
  Architecture: string;
  IndexServerAddress: string;
  RegistryConfig: RegistryServiceConfig | null;
  NCPU: number;
  MemTotal: number;
  GenericResources: null;
  DockerRootDir: string;
  HttpProxy: string;
  HttpsProxy: string;
  NoProxy: string;
  Name: string;
  Labels: string[];
  ExperimentalBuild: boolean;
  ServerVersion: string;
  Runtimes: Record<string, RuntimeInfo>;
  DefaultRuntime: string;
  Swarm: SwarmInfo;
  LiveRestoreEnabled: boolean;
  Isolation: string;
  InitBinary: string;
  ContainerdCommit: CommitInfo;
  RuncCommit: CommitInfo;
  InitCommit: CommitInfo;
  SecurityOptions: string[];
  CDISpecDirs: string[];
  DefaultAddressPools?: AddressPool[];
  Warnings: string[] | null;
}

/** The object kinds that emit events. */
export type EventType =
  | "builder"
  | "config"
  | "container"
  | "daemon"
  | "image"
  | "network"
  | "node"
  | "plugin"
  | "secret"
  | "service"
  | "volume";

export interface EventActor {
  ID: string;
  Attributes: Record<string, string>;
}

/** One line of GET /events. */
export interface EventMessage {
  Type: EventType;
  Action: string;
  Actor: EventActor;
  scope: "local" | "swarm";
  /** Unix seconds. */
  time: number;
  /** Unix nanoseconds (a JS number: exact to about 256 ns). */
  timeNano: number;
  /** Deprecated fields Docker still fills for container and image events (API < 1.52). */
  status?: string;
  id?: string;
  from?: string;
}
