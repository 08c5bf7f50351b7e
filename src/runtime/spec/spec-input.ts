/**
 * What `generateSpec` needs to know about one container: everything already decided by the daemon
 * (the resolved command, env, user, mounts, namespaces) plus the facts about the host that a pure
 * function cannot read itself (rlimit hard limits, available capabilities, architecture, kernel).
 * The daemon gathers these; `generateSpec` turns them into an OCI runtime spec.
 */
import type { LinuxDevice } from "./runtime-spec.js";
import type { SeccompProfile } from "./seccomp-profile.js";

/** 64 MiB, Docker's default --shm-size. */
export const DEFAULT_SHM_SIZE = 64 * 1024 * 1024;

/** Where `--init` puts the init binary, as Docker does. */
export const INIT_PATH = "/sbin/docker-init";

export interface SpecUser {
  uid: number;
  gid: number;
  /** Supplementary groups; `resolveUser` returns them with the primary gid first, as Docker does. */
  additionalGids: number[];
  umask?: number;
}

export interface SpecMount {
  destination: string;
  /** "bind", "tmpfs", "overlay", … */
  type: string;
  source: string;
  options: string[];
}

/**
 * - new: a fresh namespace.
 * - path: join an existing one (a netns berth made, or /proc/<pid>/ns/… of another container).
 *   `private` says the namespace belongs to this container alone (a netns berth created for it), so
 *   the per-namespace defaults that Docker applies to private networks (the unprivileged ping and
 *   port sysctls) are applied; leave it unset when joining another container's namespace.
 * - host: stay in the engine's namespace.
 */
export type NetworkNamespace =
  | { kind: "new" }
  | { kind: "path"; path: string; private?: boolean }
  | { kind: "host" };
export type SharedNamespace = { kind: "new" } | { kind: "path"; path: string } | { kind: "host" };

export interface SpecNamespaces {
  network: NetworkNamespace;
  ipc: SharedNamespace;
  pid: SharedNamespace;
  uts: SharedNamespace;
  /** Default host (Docker's choice on cgroup v1 and hybrid hosts). */
  cgroup?: SharedNamespace;
}

/** A limit of the engine's own process; `Infinity` stands for "unlimited". */
export interface HostRlimit {
  /** "RLIMIT_NOFILE", … */
  type: string;
  soft: number;
  hard: number;
}

/** A `--ulimit name=soft[:hard]`; -1 means unlimited, as in Docker. */
export interface Ulimit {
  /** "nofile", "nproc", "core", … */
  name: string;
  soft: number;
  hard: number;
}

export interface SpecResources {
  /** Bytes. */
  memory?: number;
  /** Memory plus swap, bytes; -1 unlimited. Docker's daemon sets 2×memory when only memory is given. */
  memorySwap?: number;
  memoryReservation?: number;
  memorySwappiness?: number;
  oomKillDisable?: boolean;
  cpuShares?: number;
  /** `--cpus` in units of 1e-9 CPUs; becomes period 100000 µs and a matching quota. */
  nanoCpus?: number;
  cpuQuota?: number;
  cpuPeriod?: number;
  cpuRealtimePeriod?: number;
  cpuRealtimeRuntime?: number;
  cpusetCpus?: string;
  cpusetMems?: string;
  /** ≤ 0 means unlimited (written as -1), as in Docker. */
  pidsLimit?: number;
  blkioWeight?: number;
}

/** A `--device`: the node to create plus its cgroup permissions ("rwm" by default). */
export interface SpecDevice extends LinuxDevice {
  permissions?: string;
}

export interface ContainerSpecInput {
  id: string;
  hostname: string;
  domainname?: string;
  /** Absolute path of the mounted root filesystem. */
  rootfsPath: string;
  readonlyRootfs: boolean;
  /** The command, already resolved (see resolveCommand). */
  args: string[];
  /** The process environment, already merged (see mergeEnv). */
  env: string[];
  /** Working directory; "" means "/". */
  cwd: string;
  user: SpecUser;
  tty: boolean;
  openStdin: boolean;
  capAdd: string[];
  capDrop: string[];
  privileged: boolean;
  noNewPrivileges: boolean;
  /** "default" is the built-in profile; an object is a parsed Docker-format profile. */
  seccomp: "default" | "unconfined" | SeccompProfile;
  /** `--init`: the host path of the init binary (tini, catatonit, docker-init). */
  init?: { path: string };
  mounts: SpecMount[];
  /** `--tmpfs /run:rw,size=64m` as { "/run": "rw,size=64m" }. */
  tmpfs: Record<string, string>;
  /** Host paths of the files bound over /etc/hosts, /etc/hostname and /etc/resolv.conf. */
  etcFiles?: { hosts?: string; hostname?: string; resolvConf?: string };
  /** Bytes; default DEFAULT_SHM_SIZE. */
  shmSize?: number;
  namespaces: SpecNamespaces;
  /** The engine's own limits (see parseProcLimits); ulimits are checked against their hard values. */
  hostRlimits: HostRlimit[];
  ulimits: Ulimit[];
  resources: SpecResources;
  /** cgroupfs driver: "/berth/<id>"; systemd driver: "slice:prefix:name". */
  cgroupsPath: string;
  devices?: SpecDevice[];
  /** Device nodes to create in privileged containers (the host's /dev, read by the caller). */
  hostDevices?: LinuxDevice[];
  stopSignal?: string;
  /** Container labels; not part of the OCI spec (kept for the record). */
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  sysctls?: Record<string, string>;
  oomScoreAdj?: number;
  /** Masked/readonly path overrides (Docker's HostConfig.MaskedPaths / ReadonlyPaths). */
  maskedPaths?: string[];
  readonlyPaths?: string[];
  apparmorProfile?: string;
  /** The engine's capabilities (default: every known one); see capabilitiesFromMask. */
  availableCapabilities?: string[];
  /** Host architecture for the seccomp profile, Go or Node spelling; default "amd64". */
  arch?: string;
  /** Host kernel release (uname -r) for seccomp minKernel rules; default: assume new enough. */
  kernelVersion?: string;
  /** Console size for tty containers. */
  consoleSize?: { height: number; width: number };
}
