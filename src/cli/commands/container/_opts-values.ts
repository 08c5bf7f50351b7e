/**
 * Value parsers for `run`/`create` flags, with docker's rules and error words (its cli/opts and
 * go-units). Each throws an Error whose message is what docker prints after
 * `invalid argument "<value>" for "<flag>" flag: ` (or after "berth: " for whole-command checks).
 * (pure)
 */
import type { RestartPolicy, Ulimit } from "../../../api/types/containers.js";
import { ULIMIT_NAMES } from "../../../lib/ulimit-names.js";
import { goQuote } from "../../go-strconv.js";

/** -e KEY=VAL as given; bare KEY takes the value from `getenv`, or is dropped (undefined) when unset. */
export function parseEnvEntry(
  value: string,
  getenv: (key: string) => string | undefined,
): string | undefined {
  const eq = value.indexOf("=");
  const key = eq < 0 ? value : value.slice(0, eq);
  if (key === "") throw new Error(`invalid environment variable: ${value}`);
  if (eq >= 0) return value;
  const env = getenv(key);
  return env === undefined ? undefined : `${key}=${env}`;
}

const WHITESPACE = /[ \t]/;

/** -l key[=value]: the key (leading blanks dropped) must be non-empty and without blanks. */
export function validateLabel(value: string): string {
  const eq = value.indexOf("=");
  const key = (eq < 0 ? value : value.slice(0, eq)).replace(/^[ \t]+/, "");
  if (key === "") throw new Error(`invalid label '${value}': empty name`);
  if (WHITESPACE.test(key)) throw new Error(`label '${key}' contains whitespaces`);
  return value;
}

/**
 * An --env-file or --label-file: KEY=VALUE lines; blank lines and `#` comments skipped; a bare KEY
 * is looked up with `lookup` (dropped when absent, or always without a lookup). Errors name the file.
 */
export function parseKeyValueFile(
  name: string,
  text: string,
  lookup?: (key: string) => string | undefined,
): string[] {
  const out: string[] = [];
  const lines = text.replace(/^\uFEFF/, "").split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  for (const rawLine of lines) {
    const line = rawLine.replace(/\r$/, "").replace(/^\s+/u, "");
    if (line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    const key = eq < 0 ? line : line.slice(0, eq);
    if (key === "") throw new Error(`invalid env file (${name}): no variable name on line '${line}'`);
    if (WHITESPACE.test(key))
      throw new Error(`invalid env file (${name}): variable '${key}' contains whitespaces`);
    if (eq >= 0) {
      out.push(line);
      continue;
    }
    const value = lookup?.(line);
    if (value !== undefined) out.push(`${key}=${value}`);
  }
  return out;
}

/** "KEY=V" strings to a map (later keys win; a bare KEY maps to ""). */
export function kvMap(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf("=");
    out[eq < 0 ? v : v.slice(0, eq)] = eq < 0 ? "" : v.slice(eq + 1);
  }
  return out;
}

/** --restart no|always|unless-stopped|on-failure[:N] (the daemon checks the name). */
export function parseRestartPolicy(policy: string): RestartPolicy | undefined {
  if (policy === "") return undefined;
  const colon = policy.indexOf(":");
  const name = colon < 0 ? policy : policy.slice(0, colon);
  const count = colon < 0 ? "" : policy.slice(colon + 1);
  if (colon >= 0 && name === "") {
    throw new Error("invalid restart policy format: no policy provided before colon");
  }
  const out: RestartPolicy = { Name: name as RestartPolicy["Name"], MaximumRetryCount: 0 };
  if (count !== "") {
    if (!/^[+-]?\d+$/.test(count)) {
      throw new Error("invalid restart policy format: maximum retry count must be an integer");
    }
    out.MaximumRetryCount = Number(count);
  }
  return out;
}

/** strconv.ParseInt(s, 10, 64), with Go's error text. */
function parseInt10(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new Error(`strconv.ParseInt: parsing ${goQuote(s)}: invalid syntax`);
  const n = BigInt(s);
  if (n >= 1n << 63n || n < -(1n << 63n)) {
    throw new Error(`strconv.ParseInt: parsing ${goQuote(s)}: value out of range`);
  }
  return Number(n);
}

/** --ulimit name=soft[:hard] (hard defaults to soft; -1 is unlimited). */
export function parseUlimit(value: string): Ulimit {
  const eq = value.indexOf("=");
  if (eq < 0) throw new Error(`invalid ulimit argument: ${value}`);
  const name = value.slice(0, eq);
  if (!ULIMIT_NAMES.includes(name)) throw new Error(`invalid ulimit type: ${name}`);
  const limits = value.slice(eq + 1).split(":");
  if (limits.length > 2) {
    throw new Error(
      `too many limit value arguments - ${value.slice(eq + 1)}, can only have up to two, \`soft[:hard]\``,
    );
  }
  const hard = limits.length === 2 ? parseInt10(limits[1]!) : undefined;
  const soft = parseInt10(limits[0]!);
  const h = hard ?? soft;
  if (h !== -1) {
    if (soft === -1) {
      throw new Error(
        `ulimit soft limit must be less than or equal to hard limit: soft: -1 (unlimited), hard: ${h}`,
      );
    }
    if (soft > h)
      throw new Error(`ulimit soft limit must be less than or equal to hard limit: ${soft} > ${h}`);
  }
  return { Name: name, Soft: soft, Hard: h };
}

const SYSCTLS = new Set([
  "kernel.msgmax",
  "kernel.msgmnb",
  "kernel.msgmni",
  "kernel.sem",
  "kernel.shmall",
  "kernel.shmmax",
  "kernel.shmmni",
  "kernel.shm_rmid_forced",
]);

/** --sysctl key=value: namespaced sysctls only (kernel IPC ones, net.*, fs.mqueue.*). */
export function validateSysctl(value: string): string {
  const eq = value.indexOf("=");
  const key = eq < 0 ? "" : value.slice(0, eq);
  if (key !== "" && (SYSCTLS.has(key) || key.startsWith("net.") || key.startsWith("fs.mqueue.")))
    return value;
  throw new Error(`sysctl '${value}' is not allowed`);
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** An IPv4 or IPv6 address in canonical form, or undefined when `s` is not one. */
export function canonicalIp(s: string): string | undefined {
  if (IPV4.test(s)) return s;
  if (!s.includes(":") || /[^0-9a-fA-F:.]/.test(s)) return undefined;
  try {
    const host = new URL(`http://[${s}]/`).hostname;
    return host.slice(1, -1);
  } catch {
    return undefined;
  }
}

/** --dns: an IP address (spaces trimmed), canonical form. */
export function validateIpAddress(value: string): string {
  const ip = canonicalIp(value.trim());
  if (ip === undefined) throw new Error(`IP address is not correctly formatted: ${value}`);
  return ip;
}

/** --add-host host:ip or host=ip ([ip] allowed, and "host-gateway"); sent as host:ip. */
export function parseExtraHost(value: string): string {
  let sep = value.indexOf("=");
  if (sep < 0) sep = value.indexOf(":");
  const host = sep < 0 ? "" : value.slice(0, sep);
  let ip = sep < 0 ? "" : value.slice(sep + 1);
  if (sep < 0 || host === "" || host.includes(":")) {
    throw new Error(`bad format for add-host: ${JSON.stringify(value)}`);
  }
  if (ip !== "host-gateway") {
    if (ip.length > 2 && ip.startsWith("[") && ip.endsWith("]")) ip = ip.slice(1, -1);
    if (canonicalIp(ip.trim()) === undefined) {
      throw new Error(`invalid IP address in add-host: ${JSON.stringify(ip)}`);
    }
  }
  return `${host}:${ip}`;
}

/** --cpus: a rational number of CPUs, as nanoCPUs ("1.5" = 1500000000). */
export function parseCpus(value: string): number {
  const invalid = () => new Error(`failed to parse ${value} as a rational number`);
  const frac = /^([+-]?\d+)\/(\d+)$/.exec(value);
  let num: bigint;
  let den: bigint;
  if (frac) {
    num = BigInt(frac[1]!) * 1_000_000_000n;
    den = BigInt(frac[2]!);
    if (den === 0n) throw invalid();
  } else {
    const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(value);
    if (!m || (m[2] === "" && (m[3] ?? "") === "")) throw invalid();
    const digits = BigInt(`${m[2] ?? ""}${m[3] ?? ""}` || "0") * (m[1] === "-" ? -1n : 1n);
    const exp = 9 + Number(m[4] ?? 0) - (m[3] ?? "").length;
    num = exp >= 0 ? digits * 10n ** BigInt(exp) : digits;
    den = exp >= 0 ? 1n : 10n ** BigInt(-exp);
  }
  if (num % den !== 0n) throw new Error("value is too precise");
  return Number(num / den);
}

/** -a stdin|stdout|stderr (any case). */
export function validateAttach(value: string): "stdin" | "stdout" | "stderr" {
  const s = value.toLowerCase();
  if (s === "stdin" || s === "stdout" || s === "stderr") return s;
  throw new Error("valid streams are STDIN, STDOUT and STDERR");
}

/** --link name[:alias]. */
export function validateLink(value: string): string {
  if (value === "") throw new Error("empty string specified for links");
  if (value.split(":").length > 2) throw new Error(`bad format for links: ${value}`);
  return value;
}

/** Linux capability names as the Engine API wants them: upper case with CAP_ (ALL and RESET kept). */
export function normalizeCapability(cap: string): string {
  const c = cap.trim().toUpperCase();
  if (c === "ALL" || c === "RESET") return c;
  return c.startsWith("CAP_") ? c : `CAP_${c}`;
}

/** --cap-add/--cap-drop as docker's client sends them: normalized, deduplicated, sorted; add wins. */
export function effectiveCapabilities(add: readonly string[], drop: readonly string[]) {
  let adds = new Set(add.map(normalizeCapability));
  let drops = new Set(drop.map(normalizeCapability));
  if (adds.has("ALL")) adds = new Set(["ALL"]);
  if (drops.has("ALL")) drops = new Set(["ALL"]);
  const capAdd = [...adds].filter((c) => c !== "RESET").sort();
  const capDrop = [...drops].filter((c) => c !== "RESET" && !adds.has(c)).sort();
  return { capAdd, capDrop };
}

/** --security-opt key=value or key:value ("no-new-privileges" alone allowed). */
export function validateSecurityOpt(opt: string): string {
  let sep = opt.indexOf("=");
  if (sep < 0 && opt !== "no-new-privileges") sep = opt.indexOf(":");
  const key = sep < 0 ? opt : opt.slice(0, sep);
  const value = sep < 0 ? "" : opt.slice(sep + 1);
  if ((sep < 0 || value === "") && key !== "no-new-privileges") {
    throw new Error(`Invalid --security-opt: ${JSON.stringify(opt)}`);
  }
  return opt;
}

const DEVICE_MODE = /^(?!.*(.).*\1)[rwm]{1,3}$/;

/** --device host[:container][:mode] (mode a mix of r, w, m). */
export function parseDevice(value: string): {
  PathOnHost: string;
  PathInContainer: string;
  CgroupPermissions: string;
} {
  const parts = value.split(":");
  if (parts.length > 3 || parts[0] === "") throw new Error(`bad format for path: ${value}`);
  let mode = "rwm";
  let dst = "";
  if (parts.length === 3) {
    if (!DEVICE_MODE.test(parts[2]!)) throw new Error(`bad mode specified: ${parts[2]}`);
    mode = parts[2]!;
    dst = parts[1]!;
  } else if (parts.length === 2) {
    if (DEVICE_MODE.test(parts[1]!)) mode = parts[1]!;
    else dst = parts[1]!;
  }
  const src = parts[0]!;
  const target = dst === "" ? src : dst;
  if (!target.startsWith("/")) throw new Error(`${target} is not an absolute path`);
  return { PathOnHost: src, PathInContainer: target, CgroupPermissions: mode };
}

const MAC = /^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$/;

export function validateMacAddress(value: string): string {
  if (!MAC.test(value.trim())) throw new Error(`${value} is not a valid mac address`);
  return value;
}

const CGROUP_RULE = /^[acb] ([0-9]+|\*):([0-9]+|\*) [rwm]{1,3}$/;

/** --device-cgroup-rule "type major:minor mode" ("c 1:3 rwm", "b *:* m"). */
export function validateDeviceCgroupRule(value: string): string {
  if (!CGROUP_RULE.test(value)) throw new Error(`invalid device cgroup format '${value}'`);
  return value;
}
