/**
 * The resolved, normalised compose project: what the loader returns and what plan/ and apply/ work
 * from. The shape is the canonical form that `docker compose config --format json` prints
 * (compose-go's types), so a `Project` serialises to the same JSON and YAML as Docker Compose.
 *
 * Reference: the Compose Specification, ../shared/specs/compose-spec/ (05-services.md for service
 * attributes, 06-networks.md, 07-volumes.md, 08-configs.md, 09-secrets.md, build.md, deploy.md) and
 * its JSON schema compose-spec.json.
 *
 * Normalisation rules the loader guarantees (so consumers never see short syntax):
 * - every path (build.context, bind sources, env_file, configs/secrets file) is absolute;
 * - `ports` are long syntax, one entry per port (ranges expanded), `published` a string ("8080") or absent;
 * - `volumes` are long syntax; a bind from short syntax carries `bind: {create_host_path: true}`,
 *   a named or anonymous volume carries `volume: {}`;
 * - `environment` is a map, env_file contents merged in (environment wins), `KEY` without a value
 *   resolved from the environment, `null` when unset there;
 * - `depends_on` is a map; list syntax becomes `{condition: "service_started", required: true}`;
 * - `networks` of a service is a map (`null` value = attached with no options); a service without
 *   `networks` and without `network_mode` is on `default`, and the project then declares `default`;
 * - `command` / `entrypoint` strings are split with shell-word rules into arrays;
 * - durations are Go duration strings as Compose prints them ("30s", "1m30s", "500ms");
 * - byte sizes (memory, shm_size, tmpfs size) are decimal strings of bytes ("536870912"), like
 *   compose-go's UnitBytes; `cpus` is a number;
 * - labels, build.args, annotations, sysctls are maps; `extra_hosts` is a sorted list of "host=ip";
 * - `scale` and `deploy.replicas` are both set when either is (config prints only deploy.replicas);
 * - top-level networks/volumes/configs/secrets carry their resolved `name` (`<project>_<key>` unless
 *   `name:` or `external` say otherwise);
 * - services not enabled by the active profiles are left out (`disabled_services` keeps them for
 *   `config --profiles` and dependency diagnostics).
 */

/** Go duration string, e.g. "30s", "1m30s", "500ms", "1h0m0s". */
export type Duration = string;
/** Decimal number of bytes as a string, e.g. "536870912". */
export type UnitBytes = string;

export interface Project {
  name: string;
  services: Record<string, Service>;
  networks?: Record<string, NetworkConfig>;
  volumes?: Record<string, VolumeConfig>;
  secrets?: Record<string, FileObjectConfig>;
  configs?: Record<string, FileObjectConfig>;
  /** Top-level `x-*` extensions. */
  [extension: `x-${string}`]: unknown;
}

/** Loader-side facts about a project that `config` does not print (kept out of `Project`). */
export interface ProjectMeta {
  /** Absolute project directory. */
  workingDir: string;
  /** Absolute paths of the compose files, in merge order ("-" for stdin). */
  configFiles: string[];
  /** Active profiles. */
  profiles: string[];
  /** Services present in the files but disabled by profiles. */
  disabledServices: Record<string, Service>;
  /** The environment used for interpolation (shell over .env / --env-file). */
  environment: Record<string, string>;
  /** Warnings to show the user (unset variables, obsolete `version`, several candidate files). */
  warnings: string[];
}

export interface Service {
  annotations?: Record<string, string>;
  attach?: boolean;
  build?: BuildConfig;
  cap_add?: string[];
  cap_drop?: string[];
  cgroup_parent?: string;
  command?: string[] | null;
  container_name?: string;
  cpu_count?: number;
  cpu_percent?: number;
  cpu_shares?: number;
  cpus?: number;
  depends_on?: Record<string, ServiceDependency>;
  deploy?: DeployConfig;
  devices?: DeviceMapping[];
  dns?: string[];
  dns_opt?: string[];
  dns_search?: string[];
  domainname?: string;
  entrypoint?: string[] | null;
  /** Kept for reference after being merged into `environment` (Compose prints both). */
  env_file?: EnvFile[];
  environment?: Record<string, string | null>;
  expose?: string[];
  external_links?: string[];
  extra_hosts?: Record<string, string[]> | string[];
  group_add?: string[];
  healthcheck?: HealthCheck;
  hostname?: string;
  image?: string;
  init?: boolean;
  ipc?: string;
  labels?: Record<string, string>;
  links?: string[];
  logging?: LoggingConfig;
  mac_address?: string;
  mem_limit?: UnitBytes;
  mem_reservation?: UnitBytes;
  mem_swappiness?: number;
  memswap_limit?: UnitBytes;
  network_mode?: string;
  networks?: Record<string, ServiceNetwork | null>;
  oom_kill_disable?: boolean;
  oom_score_adj?: number;
  pid?: string;
  pids_limit?: number;
  platform?: string;
  ports?: ServicePort[];
  privileged?: boolean;
  profiles?: string[];
  pull_policy?: "always" | "never" | "missing" | "build" | "if_not_present" | string;
  read_only?: boolean;
  restart?: string;
  runtime?: string;
  scale?: number;
  secrets?: ServiceFileObject[];
  configs?: ServiceFileObject[];
  security_opt?: string[];
  shm_size?: UnitBytes;
  stdin_open?: boolean;
  stop_grace_period?: Duration;
  stop_signal?: string;
  sysctls?: Record<string, string>;
  tmpfs?: string[];
  tty?: boolean;
  ulimits?: Record<string, { single?: number; soft?: number; hard?: number }>;
  user?: string;
  userns_mode?: string;
  volumes?: ServiceVolume[];
  volumes_from?: string[];
  working_dir?: string;
  [extension: `x-${string}`]: unknown;
}

export interface BuildConfig {
  /** Absolute path (or a URL for remote contexts). */
  context: string;
  dockerfile?: string;
  dockerfile_inline?: string;
  args?: Record<string, string | null>;
  target?: string;
  labels?: Record<string, string>;
  cache_from?: string[];
  cache_to?: string[];
  network?: string;
  no_cache?: boolean;
  pull?: boolean;
  shm_size?: UnitBytes;
  extra_hosts?: Record<string, string[]> | string[];
  tags?: string[];
  platforms?: string[];
  additional_contexts?: Record<string, string>;
  secrets?: ServiceFileObject[];
  ssh?: string[];
  isolation?: string;
  privileged?: boolean;
}

export type DependencyCondition = "service_started" | "service_healthy" | "service_completed_successfully";

export interface ServiceDependency {
  condition: DependencyCondition;
  required: boolean;
  restart?: boolean;
}

export interface DeployConfig {
  mode?: string;
  replicas?: number;
  labels?: Record<string, string>;
  resources?: {
    limits?: ResourceSpec;
    reservations?: ResourceSpec & {
      devices?: {
        capabilities?: string[];
        count?: number | "all";
        device_ids?: string[];
        driver?: string;
        options?: Record<string, string>;
      }[];
    };
  };
  restart_policy?: {
    condition?: string;
    delay?: Duration;
    max_attempts?: number;
    window?: Duration;
  };
  update_config?: Record<string, unknown>;
  rollback_config?: Record<string, unknown>;
  placement?: Record<string, unknown>;
  endpoint_mode?: string;
}

export interface ResourceSpec {
  cpus?: number;
  memory?: UnitBytes;
  pids?: number;
}

export interface DeviceMapping {
  source: string;
  target: string;
  permissions?: string;
}

export interface EnvFile {
  /** Absolute path. */
  path: string;
  required: boolean;
  format?: string;
}

export interface HealthCheck {
  /** ["NONE"], ["CMD", ...], ["CMD-SHELL", "cmd string"]. */
  test?: string[];
  interval?: Duration;
  timeout?: Duration;
  retries?: number;
  start_period?: Duration;
  start_interval?: Duration;
  disable?: boolean;
}

export interface LoggingConfig {
  driver?: string;
  options?: Record<string, string>;
}

export interface ServiceNetwork {
  aliases?: string[];
  ipv4_address?: string;
  ipv6_address?: string;
  link_local_ips?: string[];
  mac_address?: string;
  priority?: number;
  driver_opts?: Record<string, string>;
}

export interface ServicePort {
  name?: string;
  /** "ingress" (default from short syntax) or "host". */
  mode: string;
  host_ip?: string;
  target: number;
  /** Host port or range as a string ("8080", "8000-8010"); absent = ephemeral. */
  published?: string;
  /** "tcp" | "udp" | "sctp". */
  protocol: string;
  app_protocol?: string;
}

export interface ServiceVolume {
  type: "bind" | "volume" | "tmpfs" | "npipe" | "cluster" | "image";
  /** Absolute host path for binds, the volume key for named volumes, absent for anonymous/tmpfs. */
  source?: string;
  target: string;
  read_only?: boolean;
  consistency?: string;
  bind?: {
    propagation?: string;
    create_host_path?: boolean;
    selinux?: "z" | "Z";
    recursive?: string;
  };
  volume?: { nocopy?: boolean; subpath?: string };
  tmpfs?: { size?: UnitBytes; mode?: number };
  image?: { subpath?: string };
}

export interface ServiceFileObject {
  source: string;
  target?: string;
  uid?: string;
  gid?: string;
  mode?: number;
}

export interface NetworkConfig {
  /** Resolved engine name: `<project>_<key>` unless `name:` or external. */
  name: string;
  driver?: string;
  driver_opts?: Record<string, string>;
  ipam?: {
    driver?: string;
    config?: {
      subnet?: string;
      ip_range?: string;
      gateway?: string;
      aux_addresses?: Record<string, string>;
    }[];
    options?: Record<string, string>;
  };
  external?: boolean;
  internal?: boolean;
  attachable?: boolean;
  enable_ipv6?: boolean;
  labels?: Record<string, string>;
  [extension: `x-${string}`]: unknown;
}

export interface VolumeConfig {
  /** Resolved engine name: `<project>_<key>` unless `name:` or external. */
  name: string;
  driver?: string;
  driver_opts?: Record<string, string>;
  external?: boolean;
  labels?: Record<string, string>;
  [extension: `x-${string}`]: unknown;
}

export interface FileObjectConfig {
  name: string;
  /** Absolute path. */
  file?: string;
  environment?: string;
  content?: string;
  external?: boolean;
  labels?: Record<string, string>;
  driver?: string;
  driver_opts?: Record<string, string>;
  template_driver?: string;
}

/**
 * A project with the loader facts: `loadProjectDetails()` in loader/index.ts returns this;
 * `loadProject()` returns only `project`.
 */
export interface LoadedProject {
  project: Project;
  meta: ProjectMeta;
}
