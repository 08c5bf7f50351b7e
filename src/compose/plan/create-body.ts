/**
 * A compose service translated into an Engine API create body (POST /containers/create), the way
 * Docker Compose v2 builds it: Config (command, env, healthcheck in nanoseconds, labels, stop
 * settings), HostConfig (mounts, ports, restart, resources, logging, dns, ...) and NetworkingConfig
 * with the service name as an alias on every network. (pure)
 */
import type {
  ContainerCreateRequest,
  EndpointSettings,
  HostConfig,
  MountSpec,
  PortBinding,
  RestartPolicy,
} from "../../api/types/containers.js";
import { invalidArgument } from "../../lib/errors.js";
import type { Project, Service, ServiceVolume } from "../model.js";
import { bytesOf, durationNs } from "./units.js";

export interface CreateInput {
  project: Project;
  service: string;
  /** The image reference to run. */
  image: string;
  labels: Record<string, string>;
  /** Resolves a service name to one of its container names (network_mode/volumes_from "service:x"). */
  containerOf?: (service: string) => string | undefined;
  /** Overrides for `compose run`. */
  command?: string[];
  entrypoint?: string[];
  env?: Record<string, string>;
  tty?: boolean;
  interactive?: boolean;
  noPorts?: boolean;
  user?: string;
  workdir?: string;
  autoRemove?: boolean;
  /** Leave the container on the daemon's default network (a daemon without user-defined networks). */
  defaultNetworkOnly?: boolean;
}

export function restartPolicy(restart: string | undefined): RestartPolicy | undefined {
  if (restart === undefined) return undefined;
  const [name, count] = restart.split(":");
  switch (name) {
    case "no":
    case "always":
    case "unless-stopped":
      return { Name: name, MaximumRetryCount: 0 };
    case "on-failure":
      return { Name: "on-failure", MaximumRetryCount: count ? Number(count) : 0 };
    default:
      throw invalidArgument(
        `invalid restart policy "${restart}": use no, always, on-failure[:max-retries] or unless-stopped`,
      );
  }
}

function envList(
  env: Record<string, string | null> | undefined,
  extra: Record<string, string> = {},
): string[] {
  const all: Record<string, string | null> = { ...(env ?? {}), ...extra };
  return Object.keys(all)
    .sort()
    .filter((k) => all[k] !== null && all[k] !== undefined)
    .map((k) => `${k}=${all[k]}`);
}

function extraHosts(h: Service["extra_hosts"]): string[] | undefined {
  if (!h) return undefined;
  if (Array.isArray(h)) return h.map((e) => e.replace(/^([^=:]+)=/, "$1:"));
  return Object.entries(h).flatMap(([host, ips]) =>
    (Array.isArray(ips) ? ips : [ips]).map((ip) => `${host}:${ip}`),
  );
}

function mountOf(project: Project, v: ServiceVolume): MountSpec {
  switch (v.type) {
    case "volume": {
      const source = v.source ? (project.volumes?.[v.source]?.name ?? v.source) : undefined;
      return {
        Type: "volume",
        Source: source,
        Target: v.target,
        ReadOnly: v.read_only || undefined,
        VolumeOptions:
          v.volume?.nocopy || v.volume?.subpath
            ? ({ NoCopy: v.volume.nocopy, Subpath: v.volume.subpath } as never)
            : undefined,
      };
    }
    case "tmpfs":
      return {
        Type: "tmpfs",
        Target: v.target,
        TmpfsOptions:
          v.tmpfs?.size !== undefined || v.tmpfs?.mode !== undefined
            ? {
                SizeBytes: v.tmpfs.size !== undefined ? bytesOf(v.tmpfs.size) : undefined,
                Mode: v.tmpfs.mode,
              }
            : undefined,
      };
    case "bind":
      return {
        Type: "bind",
        Source: v.source,
        Target: v.target,
        ReadOnly: v.read_only || undefined,
        BindOptions: v.bind?.propagation ? { Propagation: v.bind.propagation } : undefined,
      };
    default:
      throw invalidArgument(`volume type "${v.type}" is not supported by berth (target ${v.target})`);
  }
}

function resolveService(ref: string | undefined, input: CreateInput, what: string): string | undefined {
  if (ref === undefined || !ref.startsWith("service:")) return ref;
  const svc = ref.slice("service:".length);
  const name = input.containerOf?.(svc);
  if (!name)
    throw invalidArgument(`service "${input.service}" ${what} "${ref}": service "${svc}" has no container`);
  return `container:${name}`;
}

export function createBody(input: CreateInput): ContainerCreateRequest {
  const svc = input.project.services[input.service];
  if (!svc) throw invalidArgument(`no such service: ${input.service}`);
  const limits = svc.deploy?.resources?.limits;

  const binds: string[] = [];
  const mounts: MountSpec[] = [];
  for (const v of svc.volumes ?? []) {
    if (v.type === "bind" && v.bind?.create_host_path && v.source) {
      const opts = [v.read_only ? "ro" : "", v.bind.selinux ?? "", v.bind.propagation ?? ""].filter(Boolean);
      binds.push(`${v.source}:${v.target}${opts.length ? `:${opts.join(",")}` : ""}`);
    } else mounts.push(mountOf(input.project, v));
  }

  const exposed: Record<string, object> = {};
  const bindings: Record<string, PortBinding[]> = {};
  for (const e of svc.expose ?? []) {
    const [p, proto = "tcp"] = e.split("/");
    exposed[`${p}/${proto}`] = {};
  }
  if (!input.noPorts) {
    for (const p of svc.ports ?? []) {
      const key = `${p.target}/${p.protocol || "tcp"}`;
      exposed[key] = {};
      const list = bindings[key] ?? [];
      list.push({ HostIp: p.host_ip ?? "", HostPort: p.published ?? "" });
      bindings[key] = list;
    }
  }

  const tmpfs: Record<string, string> = {};
  for (const t of svc.tmpfs ?? []) {
    const i = t.indexOf(":");
    if (i < 0) tmpfs[t] = "";
    else tmpfs[t.slice(0, i)] = t.slice(i + 1);
  }

  const networkMode = resolveService(svc.network_mode, input, "network_mode");
  const endpoints: Record<string, EndpointSettings> = {};
  let firstNetwork: string | undefined;
  if (networkMode === undefined && !input.defaultNetworkOnly) {
    const nets = Object.entries(svc.networks ?? {}).sort(
      ([a, x], [b, y]) => (y?.priority ?? 0) - (x?.priority ?? 0) || a.localeCompare(b),
    );
    for (const [key, opts] of nets) {
      const engineName = input.project.networks?.[key]?.name ?? key;
      firstNetwork ??= engineName;
      const ep: EndpointSettings = { Aliases: [input.service, ...(opts?.aliases ?? [])] };
      if (opts?.ipv4_address || opts?.ipv6_address)
        ep.IPAMConfig = { IPv4Address: opts.ipv4_address, IPv6Address: opts.ipv6_address };
      if (opts?.mac_address) ep.MacAddress = opts.mac_address;
      endpoints[engineName] = ep;
    }
  }

  const hc = svc.healthcheck;
  const healthcheck =
    hc === undefined
      ? undefined
      : hc.disable
        ? { Test: ["NONE"] }
        : {
            Test: hc.test,
            Interval: hc.interval ? durationNs(hc.interval) : undefined,
            Timeout: hc.timeout ? durationNs(hc.timeout) : undefined,
            StartPeriod: hc.start_period ? durationNs(hc.start_period) : undefined,
            StartInterval: hc.start_interval ? durationNs(hc.start_interval) : undefined,
            Retries: hc.retries,
          };

  const memory = limits?.memory ?? svc.mem_limit;
  const cpus = limits?.cpus ?? svc.cpus;
  const pids = limits?.pids ?? svc.pids_limit;
  const host: HostConfig = {
    Binds: binds.length ? binds : undefined,
    Mounts: mounts.length ? mounts : undefined,
    PortBindings: Object.keys(bindings).length ? bindings : undefined,
    RestartPolicy: restartPolicy(svc.restart),
    Init: svc.init,
    Tmpfs: Object.keys(tmpfs).length ? tmpfs : undefined,
    ReadonlyRootfs: svc.read_only,
    CapAdd: svc.cap_add,
    CapDrop: svc.cap_drop,
    Memory: memory !== undefined ? bytesOf(memory) : undefined,
    MemoryReservation: svc.mem_reservation !== undefined ? bytesOf(svc.mem_reservation) : undefined,
    NanoCpus: cpus !== undefined ? Math.round(Number(cpus) * 1e9) : undefined,
    PidsLimit: pids,
    LogConfig: svc.logging?.driver
      ? { Type: svc.logging.driver, Config: svc.logging.options ?? {} }
      : svc.logging?.options
        ? { Type: "", Config: svc.logging.options }
        : undefined,
    ExtraHosts: extraHosts(svc.extra_hosts),
    Dns: svc.dns,
    DnsOptions: svc.dns_opt,
    DnsSearch: svc.dns_search,
    Privileged: svc.privileged,
    SecurityOpt: svc.security_opt,
    ShmSize: svc.shm_size !== undefined ? bytesOf(svc.shm_size) : undefined,
    Sysctls: svc.sysctls,
    GroupAdd: svc.group_add,
    PidMode: resolveService(svc.pid, input, "pid"),
    IpcMode: resolveService(svc.ipc, input, "ipc"),
    OomScoreAdj: svc.oom_score_adj,
    Ulimits: svc.ulimits
      ? Object.entries(svc.ulimits).map(([Name, u]) => ({
          Name,
          Soft: u.single ?? u.soft ?? 0,
          Hard: u.single ?? u.hard ?? 0,
        }))
      : undefined,
    VolumesFrom: svc.volumes_from?.map((v) => volumesFrom(v, input)),
    NetworkMode: networkMode ?? firstNetwork,
    AutoRemove: input.autoRemove || undefined,
  };

  const body: ContainerCreateRequest = {
    Image: input.image,
    Hostname: svc.hostname,
    Domainname: svc.domainname,
    User: input.user ?? svc.user,
    WorkingDir: input.workdir ?? svc.working_dir,
    Env: envList(svc.environment, input.env),
    Cmd: input.command ?? svc.command ?? undefined,
    Entrypoint: input.entrypoint ?? svc.entrypoint ?? undefined,
    Labels: input.labels,
    ExposedPorts: Object.keys(exposed).length ? exposed : undefined,
    Healthcheck: healthcheck,
    StopSignal: svc.stop_signal,
    StopTimeout: svc.stop_grace_period ? Math.round(durationNs(svc.stop_grace_period) / 1e9) : undefined,
    Tty: input.tty ?? svc.tty,
    OpenStdin: input.interactive ?? svc.stdin_open,
    AttachStdin: input.interactive,
    AttachStdout: input.interactive !== undefined ? true : undefined,
    AttachStderr: input.interactive !== undefined ? true : undefined,
    StdinOnce: input.interactive || undefined,
    MacAddress: undefined,
    HostConfig: dropUndefined(host),
    NetworkingConfig: Object.keys(endpoints).length ? { EndpointsConfig: endpoints } : undefined,
  };
  return dropUndefined(body);
}

/** "svc[:ro]" or "container:name[:ro]" -> "name[:ro]" as the engine takes it. */
function volumesFrom(v: string, input: CreateInput): string {
  const parts = v.split(":");
  const isContainer = parts[0] === "container";
  const ref = isContainer ? parts[1]! : parts[0]!;
  const mode = isContainer ? parts[2] : parts[1];
  const name = isContainer ? ref : input.containerOf?.(ref);
  if (!name)
    throw invalidArgument(
      `service "${input.service}" volumes_from "${v}": service "${ref}" has no container`,
    );
  return mode ? `${name}:${mode}` : name;
}

function dropUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
