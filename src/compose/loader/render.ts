/**
 * `compose config` output: the project as YAML or JSON in Docker Compose's layout. Top-level keys
 * come as name, services, networks, volumes, secrets, configs; maps (services, environment,
 * labels, ...) are sorted by key as Go prints maps; struct-like objects (a port, a volume, a
 * healthcheck, a build) keep compose-go's field order.
 */
import { stringify } from "yaml";
import type { LoadedProject, Project } from "../model.js";
import { isPlainObject } from "./interpolate.js";

const TOP = ["name", "services", "networks", "volumes", "secrets", "configs"];

/** compose-go's ServiceConfig field order. */
const SERVICE_FIELDS =
  `profiles annotations attach build develop blkio_config cap_add cap_drop cgroup_parent cgroup
  cpu_count cpu_percent cpu_period cpu_quota cpu_rt_period cpu_rt_runtime cpus cpuset cpu_shares command configs
  container_name credential_spec depends_on deploy device_cgroup_rules devices dns dns_opt dns_search dockerfile
  domainname entrypoint environment env_file expose extends external_links extra_hosts group_add hostname
  healthcheck image init ipc isolation labels links logging log_driver log_opt mem_limit mem_reservation
  memswap_limit mem_swappiness mac_address net network_mode networks oom_kill_disable oom_score_adj pid pids_limit
  platform ports privileged pull_policy read_only restart runtime scale secrets security_opt shm_size stdin_open
  stop_grace_period stop_signal sysctls tmpfs tty ulimits user userns_mode uts volume_driver volumes volumes_from
  working_dir`.split(/\s+/);

const ORDERS: Record<string, string[]> = {
  "services.*": SERVICE_FIELDS,
  "services.*.ports.*": ["name", "mode", "host_ip", "target", "published", "protocol", "app_protocol"],
  "services.*.volumes.*": [
    "type",
    "source",
    "target",
    "read_only",
    "consistency",
    "bind",
    "volume",
    "tmpfs",
    "image",
  ],
  "services.*.volumes.*.bind": ["propagation", "create_host_path", "selinux", "recursive"],
  "services.*.healthcheck": [
    "test",
    "timeout",
    "interval",
    "retries",
    "start_period",
    "start_interval",
    "disable",
  ],
  "services.*.depends_on.*": ["condition", "restart", "required"],
  "services.*.env_file.*": ["path", "required", "format"],
  "services.*.build": [
    "context",
    "dockerfile",
    "dockerfile_inline",
    "args",
    "ssh",
    "labels",
    "cache_from",
    "cache_to",
    "no_cache",
    "additional_contexts",
    "network",
    "pull",
    "target",
    "secrets",
    "tags",
    "platforms",
    "privileged",
    "extra_hosts",
    "isolation",
    "shm_size",
  ],
  "services.*.deploy": [
    "mode",
    "replicas",
    "labels",
    "update_config",
    "rollback_config",
    "resources",
    "restart_policy",
    "placement",
    "endpoint_mode",
  ],
  "services.*.deploy.resources": ["limits", "reservations"],
  "services.*.deploy.resources.limits": ["cpus", "memory", "pids"],
  "services.*.deploy.resources.reservations": ["cpus", "memory", "pids", "devices"],
  "services.*.logging": ["driver", "options"],
  "networks.*": [
    "name",
    "driver",
    "driver_opts",
    "ipam",
    "external",
    "internal",
    "attachable",
    "enable_ipv6",
    "labels",
  ],
  "volumes.*": ["name", "driver", "driver_opts", "external", "labels"],
  "networks.*.ipam.config.*": ["subnet", "gateway", "ip_range", "aux_addresses"],
  "secrets.*": ["name", "file", "environment", "content", "external", "labels", "driver", "driver_opts"],
  "configs.*": ["name", "file", "environment", "content", "external", "labels", "driver", "driver_opts"],
};

function patternOf(path: string[]): string {
  // services.<name>..., networks.<name>, volumes.<name>, list indices and map keys become "*".
  return path
    .map((seg, i) => {
      if (i === 1) return "*";
      if (/^\d+$/.test(seg)) return "*";
      const parent = path[i - 1];
      if (i === 3 && path[0] === "services" && parent === "depends_on") return "*";
      return seg;
    })
    .join(".");
}

function arrange(v: unknown, path: string[]): unknown {
  if (Array.isArray(v)) return v.map((x, i) => arrange(x, [...path, String(i)]));
  if (!isPlainObject(v)) return v;
  const order = path.length === 0 ? TOP : ORDERS[patternOf(path)];
  const keys = Object.keys(v).filter((k) => v[k] !== undefined);
  const rank = (k: string) => {
    const i = order ? order.indexOf(k) : -1;
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  keys.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = arrange(v[k], [...path, k]);
  return out;
}

export type ConfigFormat = "yaml" | "json";

export function renderConfig(project: Project, format: ConfigFormat): string {
  // As compose-go: `scale` is not printed (deploy.replicas carries it); JSON always has
  // command and entrypoint, null when unset.
  const services: Record<string, unknown> = {};
  for (const [name, svc] of Object.entries(project.services)) {
    const { scale: _scale, ...rest } = svc;
    services[name] = format === "json" ? { command: null, entrypoint: null, ...rest } : rest;
  }
  const arranged = arrange({ ...project, services }, []);
  if (format === "json") return `${JSON.stringify(arranged, null, 2)}\n`;
  return stringify(arranged, { indent: 2, lineWidth: 0, nullStr: "null" });
}

/** `config --services`: service names, one a line. */
export function renderServices(p: Project): string {
  return lines(Object.keys(p.services).sort());
}

/** `config --volumes`: top-level volume keys. */
export function renderVolumes(p: Project): string {
  return lines(Object.keys(p.volumes ?? {}).sort());
}

/** `config --profiles`: every profile named by a service, enabled or not. */
export function renderProfiles(l: LoadedProject): string {
  const all = [...Object.values(l.project.services), ...Object.values(l.meta.disabledServices)];
  return lines([...new Set(all.flatMap((s) => s.profiles ?? []))].sort());
}

/** `config --images`: the image of each service (`<project>-<service>` for build-only services). */
export function renderImages(p: Project): string {
  return lines(
    Object.keys(p.services)
      .sort()
      .map((n) => p.services[n]!.image ?? `${p.name}-${n}`),
  );
}

function lines(xs: string[]): string {
  return xs.map((x) => `${x}\n`).join("");
}
