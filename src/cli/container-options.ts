/**
 * The flags `run` and `create` share, and their translation into an Engine API create request, as
 * docker's cli/command/container/opts.go does it:
 *
 *   const parsed = parseFlags({ flags: CONTAINER_FLAGS, interspersed: false }, ["-e", "A=1", "busybox", "sh"]);
 *   const opts = parseContainerOptions(parsed, { getenv, readFile, cwd });
 *   // opts.config = { Image: "busybox", Cmd: ["sh"], Env: ["A=1"], HostConfig: {...}, ... }
 *
 * Two kinds of errors, as docker has them: a bad flag value is a FlagError worded as pflag's
 * (`invalid argument "12zz" for "-m, --memory" flag: invalid suffix: 'zz'`; the CLI prints it with
 * the usage line), and a bad combination is a ContainerOptionsError (`conflicting options: ...`;
 * printed as "berth: <message>"). Both exit 125. (pure: files and the environment are injected)
 */
import type { ContainerCreateRequest, EndpointSettings, HostConfig } from "../api/types/containers.js";
import { BerthError } from "../lib/errors.js";
import { CONTAINER_FLAGS, type ContainerFlags, flagSpec } from "./commands/container/_container-flags.js";
import { parseMount, parseTmpfs, parseVolumes } from "./commands/container/_opts-mounts.js";
import { addExposed, parsePublish } from "./commands/container/_opts-ports.js";
import * as v from "./commands/container/_opts-values.js";
import { type FlagValues, invalidFlagValue } from "./flags.js";
import { parseMemory } from "./formatter/units.js";

export { CONTAINER_FLAGS, type ContainerFlags };

/** A bad combination of run/create options (docker prints "docker: <message>" and exits 125). */
export class ContainerOptionsError extends BerthError {
  constructor(message: string) {
    super("invalid-argument", message);
    this.name = "ContainerOptionsError";
  }
}

/** What the translation needs from the outside world. */
export interface OptionsEnv {
  /** The CLI's own environment (bare `-e KEY` and env-file `KEY` lines read it). */
  getenv(key: string): string | undefined;
  /** Reads --env-file and --label-file; throws Error("open <path>: no such file or directory"). */
  readFile(path: string): string;
  /** Relative bind sources ("./data") are made absolute against this. */
  readonly cwd: string;
}

export interface ParsedContainerFlags {
  readonly flags: FlagValues<ContainerFlags>;
  /** IMAGE [COMMAND] [ARG...] */
  readonly args: readonly string[];
  readonly changed: ReadonlySet<string>;
}

export type PullPolicy = "missing" | "never" | "always";

export interface ContainerOptions {
  readonly image: string;
  readonly config: ContainerCreateRequest;
  /** --name ("" lets the daemon pick). */
  readonly name: string;
  readonly platform: string;
  readonly pull: PullPolicy;
  /** -q: no pull progress. */
  readonly quiet: boolean;
  /** --cidfile: write the id here. */
  readonly cidfile: string;
}

/** Runs a value parser; its error becomes pflag's `invalid argument ... for ... flag: ...`. */
function flagValue<T>(name: string, value: string, fn: (value: string) => T): T {
  try {
    return fn(value);
  } catch (err) {
    throw invalidFlagValue(flagSpec(name), value, err);
  }
}

function fail(err: unknown): never {
  throw new ContainerOptionsError(err instanceof Error ? err.message : String(err));
}

function attempt<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    return fail(err);
  }
}

const sizeOf = (name: string, value: string) => (value === "" ? 0 : flagValue(name, value, parseMemory));

function nonEmpty<T extends object>(o: T): T | undefined {
  return Object.keys(o).length > 0 ? o : undefined;
}

function listOrUndefined(values: readonly string[]): string[] | undefined {
  return values.length > 0 ? [...values] : undefined;
}

/** --health-* and --no-healthcheck; durations go out in nanoseconds. */
function healthcheck(f: FlagValues<ContainerFlags>): ContainerCreateRequest["Healthcheck"] {
  const cmd = f["health-cmd"];
  const retries = f["health-retries"];
  const interval = f["health-interval"];
  const timeout = f["health-timeout"];
  const startPeriod = f["health-start-period"];
  const startInterval = f["health-start-interval"];
  const any =
    cmd !== "" || retries !== 0 || [interval, timeout, startPeriod, startInterval].some((d) => d !== 0);
  if (f["no-healthcheck"]) {
    if (any) fail("--no-healthcheck conflicts with --health-* options");
    return { Test: ["NONE"] };
  }
  if (!any) return undefined;
  if (interval < 0) fail("--health-interval cannot be negative");
  if (timeout < 0) fail("--health-timeout cannot be negative");
  if (retries < 0) fail("--health-retries cannot be negative");
  if (startPeriod < 0) fail("--health-start-period cannot be negative");
  if (startInterval < 0) fail("--health-start-interval cannot be negative");
  const ns = (ms: number) => (ms > 0 ? Math.round(ms * 1e6) : undefined);
  return {
    Test: cmd !== "" ? ["CMD-SHELL", cmd] : undefined,
    Interval: ns(interval),
    Timeout: ns(timeout),
    StartPeriod: ns(startPeriod),
    StartInterval: ns(startInterval),
    Retries: retries > 0 ? retries : undefined,
  };
}

const NON_USER_NETWORKS = ["default", "bridge", "host", "none"];
const isUserDefined = (n: string) => !NON_USER_NETWORKS.includes(n) && !n.startsWith("container:");

/** --network (several allowed), --network-alias, --ip, --ip6, --link: NetworkMode and endpoints. */
function networking(f: FlagValues<ContainerFlags>, ipv4: string, ipv6: string) {
  const networks = [...f.network, ...f.net];
  const mode = networks[0] ?? "default";
  const endpoints: Record<string, EndpointSettings> = {};
  const targets = networks.length > 0 ? networks : ["default"];
  targets.forEach((target, i) => {
    if (target.trim() === "") fail("no name set for network");
    if (endpoints[target]) fail(`network ${JSON.stringify(target)} is specified multiple times`);
    const ep: EndpointSettings = {};
    if (i === 0) {
      const aliases = [...f["network-alias"], ...f["net-alias"]];
      if (aliases.length > 0) {
        if (!isUserDefined(target))
          fail("network-scoped aliases are only supported for user-defined networks");
        ep.Aliases = aliases;
      }
      if (isUserDefined(target) && f.link.length > 0) ep.Links = [...f.link];
      if (ipv4 !== "" || ipv6 !== "") {
        ep.IPAMConfig = { ...(ipv4 && { IPv4Address: ipv4 }), ...(ipv6 && { IPv6Address: ipv6 }) };
      }
      if (f["mac-address"] !== "") ep.MacAddress = f["mac-address"];
    }
    if (Object.keys(ep).length > 0 || networks.length > 1) endpoints[target] = ep;
  });
  const user = networks.filter(isUserDefined).length;
  if (user > 0 && user < networks.length) {
    fail("conflicting options: cannot attach both user-defined and non-user-defined network-modes");
  }
  return { mode, endpoints };
}

/** Namespace modes: "", "host", or (pid, ipc) "container:<name>". */
function checkModes(f: FlagValues<ContainerFlags>): void {
  const pid = f.pid;
  if (pid !== "" && pid !== "host" && !(pid.startsWith("container:") && pid.length > 10)) {
    fail("--pid: invalid PID mode");
  }
  if (f.uts !== "" && f.uts !== "host") fail("--uts: invalid UTS mode");
  if (f.userns !== "" && f.userns !== "host") fail("--userns: invalid USER mode");
  if (!["", "host", "private"].includes(f.cgroupns)) fail("--cgroupns: invalid CGROUP mode");
}

/** Resource limits (HostConfig's embedded Resources). */
function resources(f: FlagValues<ContainerFlags>): Partial<HostConfig> {
  const swap = f["memory-swap"];
  const r: Partial<HostConfig> = {
    Memory: sizeOf("memory", f.memory) || undefined,
    MemoryReservation: sizeOf("memory-reservation", f["memory-reservation"]) || undefined,
    MemorySwap: swap === "-1" ? -1 : sizeOf("memory-swap", swap) || undefined,
    NanoCpus: f.cpus === "" ? undefined : flagValue("cpus", f.cpus, v.parseCpus) || undefined,
    CpuShares: f["cpu-shares"] || undefined,
    CpuPeriod: f["cpu-period"] || undefined,
    CpuQuota: f["cpu-quota"] || undefined,
    CpuRealtimePeriod: f["cpu-rt-period"] || undefined,
    CpuRealtimeRuntime: f["cpu-rt-runtime"] || undefined,
    CpusetCpus: f["cpuset-cpus"] || undefined,
    CpusetMems: f["cpuset-mems"] || undefined,
    BlkioWeight: f["blkio-weight"] || undefined,
    PidsLimit: f["pids-limit"] || undefined,
    OomKillDisable: f["oom-kill-disable"] || undefined,
    CgroupParent: f["cgroup-parent"] || undefined,
  };
  const ulimits = new Map(f.ulimit.map((u) => flagValue("ulimit", u, v.parseUlimit)).map((u) => [u.Name, u]));
  if (ulimits.size > 0) r.Ulimits = [...ulimits.values()].sort((a, b) => (a.Name < b.Name ? -1 : 1));
  const swappiness = f["memory-swappiness"];
  if (swappiness !== -1 && (swappiness < 0 || swappiness > 100)) {
    fail(`invalid value: ${swappiness}. Valid memory swappiness range is 0-100`);
  }
  if (swappiness !== -1) r.MemorySwappiness = swappiness;
  return r;
}

/** Translates parsed run/create flags into a create request. Throws FlagError or ContainerOptionsError. */
export function parseContainerOptions(parsed: ParsedContainerFlags, env: OptionsEnv): ContainerOptions {
  const f = parsed.flags;
  const pull = f.pull as PullPolicy;
  if (!["always", "missing", "never", ""].includes(f.pull)) {
    fail(`invalid pull option: '${f.pull}': must be one of "always", "missing" or "never"`);
  }
  // Flag values first, as pflag rejects them while parsing.
  const cliEnv = f.env.map((e) => flagValue("env", e, (x) => v.parseEnvEntry(x, env.getenv)));
  for (const l of f.label) flagValue("label", l, v.validateLabel);
  const attach = f.attach.map((a) => flagValue("attach", a, v.validateAttach));
  const sysctls = f.sysctl.map((s) => flagValue("sysctl", s, v.validateSysctl));
  const extraHosts = f["add-host"].map((h) => flagValue("add-host", h, v.parseExtraHost));
  const dns = f.dns.map((d) => flagValue("dns", d, v.validateIpAddress));
  for (const l of f.link) flagValue("link", l, v.validateLink);
  for (const r of f["device-cgroup-rule"]) flagValue("device-cgroup-rule", r, v.validateDeviceCgroupRule);
  const mounts = f.mount.map((m) => flagValue("mount", m, (x) => parseMount(x, env.cwd)));
  const ip = (name: string, value: string) =>
    value === ""
      ? ""
      : flagValue(name, value, (x) => {
          if (v.canonicalIp(x) === undefined)
            throw new Error(`invalid string being converted to IP address: ${x}`);
          return x;
        });
  const ipv4 = ip("ip", f.ip);
  const ipv6 = ip("ip6", f.ip6);
  const hostResources = resources(f);
  const shmSize = sizeOf("shm-size", f["shm-size"]);

  // Then the checks docker's parse() makes, in its order.
  if (f["mac-address"] !== "") attempt(() => v.validateMacAddress(f["mac-address"]));
  const [image, ...cmd] = parsed.args;
  if (image === undefined) fail("requires at least 1 argument");
  const { binds, volumes } = attempt(() => parseVolumes(f.volume, env.cwd, f["volume-driver"]));
  const tmpfs = parseTmpfs(f.tmpfs);
  const ports = attempt(() => parsePublish(f.publish));
  attempt(() => addExposed(ports.exposed, f.expose));
  const devices = f.device.map((d) => attempt(() => v.parseDevice(d)));
  const fileEnv = f["env-file"].flatMap((p) =>
    attempt(() => v.parseKeyValueFile(p, env.readFile(p), env.getenv)),
  );
  const fileLabels = f["label-file"].flatMap((p) => attempt(() => v.parseKeyValueFile(p, env.readFile(p))));
  checkModes(f);
  const restart = attempt(() => v.parseRestartPolicy(f.restart));
  if (f["log-driver"] === "none" && f["log-opt"].length > 0) fail("invalid logging opts for driver none");
  const securityOpts = f["security-opt"].map((o) => attempt(() => v.validateSecurityOpt(o)));
  const storageOpts = attempt(() =>
    f["storage-opt"].map((o) => {
      if (!o.includes("=")) throw new Error("invalid storage option");
      return o;
    }),
  );
  const health = healthcheck(f);
  if (f.rm && restart && restart.Name !== "no") {
    fail("conflicting options: cannot specify both --restart and --rm");
  }
  const onFailure = f["health-on-failure"];
  if (!["", "none", "kill", "restart", "stop"].includes(onFailure)) {
    fail(
      `invalid health-on-failure action ${JSON.stringify(onFailure)}: must be one of none, kill, restart, stop`,
    );
  }
  const net = networking(f, ipv4, ipv6);
  const caps = v.effectiveCapabilities(f["cap-add"], f["cap-drop"]);

  const stdin = f.interactive || attach.includes("stdin");
  const defaultAttach = attach.length === 0;
  const hostConfig: HostConfig & { Annotations?: Record<string, string> } = {
    Annotations: f.annotation.length > 0 ? v.kvMap(f.annotation) : undefined,
    Binds: listOrUndefined(binds),
    ContainerIDFile: f.cidfile || undefined,
    LogConfig:
      f["log-driver"] !== "" || f["log-opt"].length > 0
        ? { Type: f["log-driver"], Config: v.kvMap(f["log-opt"]) }
        : undefined,
    NetworkMode: net.mode,
    PortBindings: nonEmpty(ports.bindings),
    RestartPolicy: restart ?? { Name: "no", MaximumRetryCount: 0 },
    AutoRemove: f.rm || undefined,
    VolumeDriver: f["volume-driver"] || undefined,
    VolumesFrom: listOrUndefined(f["volumes-from"]),
    Mounts: mounts.length > 0 ? mounts : undefined,
    CapAdd: listOrUndefined(caps.capAdd),
    CapDrop: listOrUndefined(caps.capDrop),
    CgroupnsMode: f.cgroupns || undefined,
    Dns: dns,
    DnsOptions: [...f["dns-option"], ...f["dns-opt"]],
    DnsSearch: [...f["dns-search"]],
    ExtraHosts: listOrUndefined(extraHosts),
    GroupAdd: listOrUndefined(f["group-add"]),
    IpcMode: f.ipc || undefined,
    Links: listOrUndefined(f.link),
    OomScoreAdj: f["oom-score-adj"] || undefined,
    PidMode: f.pid || undefined,
    Privileged: f.privileged || undefined,
    PublishAllPorts: f["publish-all"] || undefined,
    ReadonlyRootfs: f["read-only"] || undefined,
    SecurityOpt: listOrUndefined(securityOpts),
    StorageOpt: storageOpts.length > 0 ? v.kvMap(storageOpts) : undefined,
    Tmpfs: nonEmpty(tmpfs),
    UTSMode: f.uts || undefined,
    UsernsMode: f.userns || undefined,
    ShmSize: shmSize || undefined,
    Sysctls: sysctls.length > 0 ? v.kvMap(sysctls) : undefined,
    Runtime: f.runtime || undefined,
    Init: parsed.changed.has("init") ? f.init : undefined,
    Devices: devices.length > 0 ? devices : undefined,
    DeviceCgroupRules: listOrUndefined(f["device-cgroup-rule"]),
    Isolation: f.isolation || undefined,
    HealthOnFailure: (onFailure || undefined) as HostConfig["HealthOnFailure"],
    ...hostResources,
  };
  const config: ContainerCreateRequest = {
    Hostname: f.hostname || undefined,
    Domainname: f.domainname || undefined,
    User: f.user || undefined,
    AttachStdin: stdin,
    AttachStdout: defaultAttach || attach.includes("stdout"),
    AttachStderr: defaultAttach || attach.includes("stderr"),
    ExposedPorts: nonEmpty(ports.exposed),
    Tty: f.tty,
    OpenStdin: f.interactive,
    StdinOnce: f.interactive && stdin,
    Env: [...fileEnv, ...cliEnv.filter((e): e is string => e !== undefined)],
    Cmd: cmd.length > 0 ? cmd : undefined,
    Healthcheck: health,
    Image: image,
    Volumes: nonEmpty(volumes),
    WorkingDir: f.workdir || undefined,
    Entrypoint: f.entrypoint !== "" ? [f.entrypoint] : parsed.changed.has("entrypoint") ? [""] : undefined,
    Labels: v.kvMap([...fileLabels, ...f.label]),
    StopSignal: f["stop-signal"] || undefined,
    StopTimeout: parsed.changed.has("stop-timeout") ? f["stop-timeout"] : undefined,
    HostConfig: hostConfig,
    NetworkingConfig: nonEmpty(net.endpoints) ? { EndpointsConfig: net.endpoints } : undefined,
  };
  return {
    image,
    config,
    name: f.name,
    platform: f.platform,
    pull: pull || "missing",
    quiet: f.quiet,
    cidfile: f.cidfile,
  };
}
