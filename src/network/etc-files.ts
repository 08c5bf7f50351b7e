/**
 * The files berth bind-mounts over a container's /etc/hosts, /etc/hostname and /etc/resolv.conf,
 * in Docker's layout (moby libnetwork etchosts and internal/resolvconf). Pure: text in, text out.
 *
 * No fallback nameservers: where Docker would add Google's public resolvers when nothing usable is
 * left, berth leaves the list empty (berth's own DNS, or the caller, decides; tests never send
 * queries off the machine).
 */
import { invalidArgument } from "../lib/errors.js";

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** True for a textual IPv4 or IPv6 address (an IPv6 zone, "%eth0", is allowed). */
export function isIpAddress(text: string): boolean {
  return IPV4.test(text) || ipv6Groups(text) !== undefined;
}

/** The eight 16-bit groups of an IPv6 address, or undefined when `text` is not one. */
function ipv6Groups(text: string): number[] | undefined {
  let s = text.replace(/%[\w.-]+$/, "");
  if (!s.includes(":")) return undefined;
  const lastColon = s.lastIndexOf(":");
  const tail = s.slice(lastColon + 1);
  if (tail.includes(".")) {
    if (!IPV4.test(tail)) return undefined;
    const [a, b, c, d] = tail.split(".").map(Number) as [number, number, number, number];
    s = `${s.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = s.split("::");
  if (halves.length > 2) return undefined;
  const parts = halves.map((h) => (h === "" ? [] : h.split(":")));
  if (parts.some((p) => p.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g)))) return undefined;
  const [head = [], rest = []] = parts;
  const count = head.length + rest.length;
  if (halves.length === 2 ? count > 7 : count !== 8) return undefined;
  const zeros: string[] = new Array(8 - count).fill("0");
  return [...head, ...(halves.length === 2 ? zeros : []), ...rest].map((g) => Number.parseInt(g, 16));
}

/** 127.0.0.0/8 or ::1: the host's own resolver, unreachable from another network namespace. */
function isLoopback(ip: string): boolean {
  if (IPV4.test(ip)) return ip.startsWith("127.");
  const g = ipv6Groups(ip);
  if (g === undefined) return false;
  return g.slice(0, 7).every((x) => x === 0) && g[7] === 1;
}

export interface ExtraHost {
  name: string;
  ip: string;
}

/**
 * Parses `--add-host name:ip` (also "name=ip"; "name:[::1]"). The special value "host-gateway" must
 * be replaced by the caller before this point.
 */
export function parseExtraHost(value: string): ExtraHost {
  let sep = value.indexOf("=");
  if (sep < 0) sep = value.indexOf(":");
  if (sep <= 0) throw invalidArgument(`bad format for add-host: ${JSON.stringify(value)}`);
  const name = value.slice(0, sep);
  let ip = value.slice(sep + 1);
  if (ip.startsWith("[") && ip.endsWith("]")) ip = ip.slice(1, -1);
  if (!isIpAddress(ip)) throw invalidArgument(`invalid IP address in add-host: ${JSON.stringify(ip)}`);
  return { name, ip };
}

export interface HostsFileOptions {
  hostname: string;
  domainname?: string;
  /** The container's address on its network; no entry for the hostname without one (--network none). */
  ip?: string;
  /** `--add-host` values, "name:ip". */
  extraHosts?: string[];
  /** Further names for the container's own address, after its hostname. */
  aliases?: string[];
  /** Include the IPv6 entries (Docker assumes IPv6 unless the network disables it). Default true. */
  ipv6?: boolean;
}

const record = (ip: string, hosts: string) => `${ip}\t${hosts}\n`;

/**
 * /etc/hosts: localhost, the IPv6 standard names, the extra hosts, then "<ip>\t<fqdn> <hostname>".
 * Records are "<ip>\t<names>" as Docker writes them.
 */
export function hostsFile(opts: HostsFileOptions): string {
  const ipv6 = opts.ipv6 ?? true;
  let out = record("127.0.0.1", "localhost");
  if (ipv6) {
    out += record("::1", "localhost ip6-localhost ip6-loopback");
    out += record("fe00::", "ip6-localnet");
    out += record("ff00::", "ip6-mcastprefix");
    out += record("ff02::1", "ip6-allnodes");
    out += record("ff02::2", "ip6-allrouters");
  }
  for (const h of opts.extraHosts ?? []) {
    const { name, ip } = parseExtraHost(h);
    if (ipv6 || !ip.includes(":")) out += record(ip, name);
  }
  if (opts.ip !== undefined && opts.ip !== "") {
    if (!isIpAddress(opts.ip)) throw invalidArgument(`invalid IP address ${JSON.stringify(opts.ip)}`);
    let names = opts.hostname;
    if (opts.domainname) names += `.${opts.domainname}`;
    const dot = names.indexOf(".");
    if (dot > 0) names += ` ${names.slice(0, dot)}`;
    for (const alias of opts.aliases ?? []) if (!names.split(" ").includes(alias)) names += ` ${alias}`;
    out += record(opts.ip, names);
  }
  return out;
}

/** /etc/hostname. */
export function hostnameFile(hostname: string): string {
  return `${hostname}\n`;
}

export interface ResolvConfData {
  nameservers: string[];
  search: string[];
  options: string[];
  /** Lines with other directives (sortlist, …), kept verbatim. */
  other: string[];
}

/** Parses resolv.conf text as Docker does: last `search`/`domain` wins, `options` accumulate. */
export function parseResolvConf(text: string): ResolvConfData {
  const rc: ResolvConfData = { nameservers: [], search: [], options: [], other: [] };
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\r$/, "");
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const fields = line
      .trim()
      .split(/\s+/)
      .filter((f) => f !== "");
    if (fields.length === 0) continue;
    switch (fields[0]) {
      case "nameserver":
        if (fields.length >= 2 && isIpAddress(fields[1]!)) rc.nameservers.push(fields[1]!);
        break;
      case "domain":
      case "search":
        if (fields.length >= 2) rc.search = fields.slice(1);
        break;
      case "options":
        rc.options.push(...fields.slice(1));
        break;
      default:
        rc.other.push(line);
    }
  }
  return rc;
}

export interface ResolvConfOptions {
  /** The host's /etc/resolv.conf text, the base of the file (its loopback nameservers are dropped). */
  hostResolvConf?: string;
  /** `--dns`: replaces the host's nameservers (taken as given, loopback included). */
  nameservers?: string[];
  /** `--dns-search`: replaces the host's search list; "." alone means none. */
  search?: string[];
  /** `--dns-option`: replaces the host's options. */
  options?: string[];
  /** Keep IPv6 nameservers from the host file. Default true. */
  ipv6?: boolean;
}

/**
 * /etc/resolv.conf for a container on a network berth made: the host file's directives with its
 * loopback nameservers (127.0.0.0/8, ::1; unreachable from another network namespace) removed, and
 * each of nameservers / search / options replaced when given. No fallback when nothing is left.
 */
export function resolvConf(opts: ResolvConfOptions): string {
  const base = parseResolvConf(opts.hostResolvConf ?? "");
  const ipv6 = opts.ipv6 ?? true;
  let nameservers: string[];
  if (opts.nameservers !== undefined && opts.nameservers.length > 0) {
    for (const ns of opts.nameservers) {
      if (!isIpAddress(ns)) throw invalidArgument(`${ns} is not an ip address`);
    }
    nameservers = [...opts.nameservers];
  } else {
    nameservers = base.nameservers.filter((ns) => !isLoopback(ns) && (ipv6 || !ns.includes(":")));
  }
  const search =
    opts.search !== undefined && opts.search.length > 0 ? opts.search.filter((s) => s !== ".") : base.search;
  const options = opts.options !== undefined && opts.options.length > 0 ? [...opts.options] : base.options;
  let out = "";
  for (const ns of nameservers) out += `nameserver ${ns}\n`;
  if (search.length > 0) out += `search ${search.join(" ")}\n`;
  if (options.length > 0) out += `options ${options.join(" ")}\n`;
  for (const line of base.other) out += `${line}\n`;
  return out;
}
