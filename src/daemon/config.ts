import { invalidArgument } from "../lib/errors.js";
import { normalizeMirrors } from "../registry/client/hosts.js";

/** berthd's settings, from flags over the JSON config file (daemon.json's key names) over defaults. */
export interface DaemonConfig {
  /** Persistent state: images, containers, volumes. */
  dataRoot: string;
  /** Runtime state that does not survive a reboot: sockets, pid files, container bundles. */
  execRoot: string;
  /** Where the Engine API listens. */
  socket: string;
  logLevel: "debug" | "info" | "warn" | "error";
  /** Upstream DNS servers for containers; [] means none (tests), undefined means the host's. */
  dns?: string[];
  /** Default bridge device ("berth0"); "none" runs without the default bridge (loopback only). */
  bridge?: string;
  /** Default bridge's gateway address and prefix ("198.18.0.1/24"). */
  bip?: string;
  /**
   * Owner tag of berth's links; the nft table is the same with "_" for "-", netns files live in
   * <exec-root>/netns. Daemons sharing a host (tests) use distinct ones. Default "berth".
   */
  networkOwner?: string;
  /** Pools user-defined networks take subnets from (daemon.json "default-address-pools"). */
  addressPools?: { base: string; size: number }[];
  /**
   * Upstream resolvers of the embedded DNS of user networks ("dns-upstream"): "ip" or "ip:port";
   * [] forwards nothing (tests); undefined uses the host's /etc/resolv.conf.
   */
  dnsUpstream?: string[];
  /** Registries reached over plain HTTP or unverified TLS: host[:port] or CIDRs (loopback always is). */
  insecureRegistries?: string[];
  /** Registry name → mirror URLs tried first on pull (daemon.json's list form means docker.io). */
  registryMirrors?: Record<string, string[]>;
  /** Time limits for registry traffic, in milliseconds (berth's "berth-registry-timeouts", in seconds). */
  registryTimeouts?: { connectMs?: number; headerMs?: number; stallMs?: number };
  /** Per-registry TLS files in Docker's certs.d layout ("berth-certs-dirs"). */
  certsDirs?: string[];
}

export const DEFAULTS: DaemonConfig = {
  dataRoot: "/var/lib/berth",
  execRoot: "/run/berth",
  socket: "/run/berth/berth.sock",
  logLevel: "info",
};

export const DEFAULT_CONFIG_FILE = "/etc/berth/daemon.json";

/** The keys of daemon.json that berth reads; unknown keys are an error, as in dockerd. */
const FILE_KEYS: Record<string, keyof DaemonConfig | "hosts"> = {
  "data-root": "dataRoot",
  "exec-root": "execRoot",
  hosts: "hosts",
  "log-level": "logLevel",
  dns: "dns",
  bridge: "bridge",
  bip: "bip",
  "berth-network-owner": "networkOwner",
  "default-address-pools": "addressPools",
  "dns-upstream": "dnsUpstream",
  "insecure-registries": "insecureRegistries",
  "registry-mirrors": "registryMirrors",
  "berth-registry-timeouts": "registryTimeouts",
  "berth-certs-dirs": "certsDirs",
};

export function socketFromHost(host: string): string {
  if (host.startsWith("unix://")) return host.slice("unix://".length);
  if (host.startsWith("/")) return host;
  throw invalidArgument(`unsupported host "${host}": berthd listens on unix sockets (unix:///path)`);
}

/** Merges (pure): file values override defaults, flags override both. */
export function resolveConfig(
  file: Record<string, unknown> | undefined,
  flags: Partial<DaemonConfig>,
  fileName = DEFAULT_CONFIG_FILE,
): DaemonConfig {
  const cfg: DaemonConfig = { ...DEFAULTS };
  let socketSet = false;
  for (const [key, value] of Object.entries(file ?? {})) {
    const field = FILE_KEYS[key];
    if (!field) throw invalidArgument(`${fileName}: unknown configuration key "${key}"`);
    if (field === "hosts") {
      if (!Array.isArray(value) || value.length !== 1 || typeof value[0] !== "string") {
        throw invalidArgument(`${fileName}: "hosts" must be a list with one unix:// address`);
      }
      cfg.socket = socketFromHost(value[0]);
      socketSet = true;
    } else if (field === "addressPools") {
      const ok =
        Array.isArray(value) &&
        value.every(
          (p) =>
            typeof p === "object" &&
            p !== null &&
            typeof (p as { base?: unknown }).base === "string" &&
            Number.isInteger((p as { size?: unknown }).size),
        );
      if (!ok)
        throw invalidArgument(
          `${fileName}: "${key}" must be a list of {"base": CIDR, "size": prefix length}`,
        );
      cfg.addressPools = (value as { base: string; size: number }[]).map((p) => ({
        base: p.base,
        size: p.size,
      }));
    } else if (field === "certsDirs") {
      if (!Array.isArray(value) || !value.every((v) => typeof v === "string" && v.startsWith("/"))) {
        throw invalidArgument(`${fileName}: "${key}" must be a list of absolute directory paths`);
      }
      cfg.certsDirs = value;
    } else if (field === "dnsUpstream") {
      if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
        throw invalidArgument(`${fileName}: "${key}" must be a list of "ip" or "ip:port"`);
      }
      cfg.dnsUpstream = value;
    } else if (field === "dns") {
      if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
        throw invalidArgument(`${fileName}: "dns" must be a list of addresses`);
      }
      cfg.dns = value;
    } else if (field === "bridge" || field === "bip" || field === "networkOwner") {
      const ok = {
        bridge: /^[A-Za-z0-9_.-]{1,15}$/,
        bip: /^\d+\.\d+\.\d+\.\d+\/\d+$/,
        networkOwner: /^[a-z][a-z0-9_-]{0,31}$/,
      };
      if (typeof value !== "string" || !ok[field].test(value)) {
        throw invalidArgument(`${fileName}: "${key}" is not valid: ${JSON.stringify(value)}`);
      }
      cfg[field] = value;
    } else if (field === "insecureRegistries") {
      if (
        !Array.isArray(value) ||
        !value.every((v) => typeof v === "string" && /^[A-Za-z0-9.:[\]/-]+$/.test(v))
      ) {
        throw invalidArgument(
          `${fileName}: "insecure-registries" must be a list of host[:port] names or CIDRs`,
        );
      }
      cfg.insecureRegistries = value;
    } else if (field === "registryMirrors") {
      const mirrors = normalizeMirrors(value);
      if (!mirrors) {
        throw invalidArgument(
          `${fileName}: "registry-mirrors" must be a list of http(s) URLs (mirrors of docker.io) or a map from registry name to such lists`,
        );
      }
      cfg.registryMirrors = mirrors;
    } else if (field === "registryTimeouts") {
      cfg.registryTimeouts = parseTimeouts(value, fileName);
    } else if (field === "logLevel") {
      if (!["debug", "info", "warn", "error"].includes(String(value))) {
        throw invalidArgument(`${fileName}: "log-level" must be debug, info, warn or error`);
      }
      cfg.logLevel = value as DaemonConfig["logLevel"];
    } else {
      if (typeof value !== "string" || !value.startsWith("/")) {
        throw invalidArgument(`${fileName}: "${key}" must be an absolute path`);
      }
      cfg[field as "dataRoot" | "execRoot"] = value;
    }
  }
  const merged = { ...cfg, ...Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)) };
  // A custom exec root moves the default socket with it.
  if (!socketSet && flags.socket === undefined && merged.execRoot !== DEFAULTS.execRoot) {
    merged.socket = `${merged.execRoot}/berth.sock`;
  }
  return merged as DaemonConfig;
}

function parseTimeouts(value: unknown, fileName: string): NonNullable<DaemonConfig["registryTimeouts"]> {
  const bad = () =>
    invalidArgument(
      `${fileName}: "berth-registry-timeouts" must be an object with "connect", "headers" and/or "stall" in seconds (> 0)`,
    );
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw bad();
  const names: Record<string, "connectMs" | "headerMs" | "stallMs"> = {
    connect: "connectMs",
    headers: "headerMs",
    stall: "stallMs",
  };
  const out: NonNullable<DaemonConfig["registryTimeouts"]> = {};
  for (const [k, v] of Object.entries(value)) {
    const field = names[k];
    if (!field || typeof v !== "number" || !(v > 0)) throw bad();
    out[field] = Math.round(v * 1000);
  }
  return out;
}
