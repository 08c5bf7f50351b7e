/**
 * Linux capabilities as Docker handles them (moby oci/caps): the default set, `--cap-add`/`--cap-drop`
 * normalisation ("ALL", optional "CAP_" prefix, any case) and `--privileged`.
 *
 * "Available" capabilities are those the engine itself holds (its bounding set, read by the caller
 * from /proc/self/status CapBnd and decoded with `capabilitiesFromMask`): a runtime cannot grant a
 * container more than it has, so `ALL` and `--privileged` mean "all available", and adding a known
 * but unavailable capability is an error, as in Docker.
 */
import { invalidArgument } from "../../lib/errors.js";

/** Every capability the kernel defines, indexed by number (capability.h, up to Linux 6.x). */
export const KNOWN_CAPABILITIES: readonly string[] = [
  "CAP_CHOWN",
  "CAP_DAC_OVERRIDE",
  "CAP_DAC_READ_SEARCH",
  "CAP_FOWNER",
  "CAP_FSETID",
  "CAP_KILL",
  "CAP_SETGID",
  "CAP_SETUID",
  "CAP_SETPCAP",
  "CAP_LINUX_IMMUTABLE",
  "CAP_NET_BIND_SERVICE",
  "CAP_NET_BROADCAST",
  "CAP_NET_ADMIN",
  "CAP_NET_RAW",
  "CAP_IPC_LOCK",
  "CAP_IPC_OWNER",
  "CAP_SYS_MODULE",
  "CAP_SYS_RAWIO",
  "CAP_SYS_CHROOT",
  "CAP_SYS_PTRACE",
  "CAP_SYS_PACCT",
  "CAP_SYS_ADMIN",
  "CAP_SYS_BOOT",
  "CAP_SYS_NICE",
  "CAP_SYS_RESOURCE",
  "CAP_SYS_TIME",
  "CAP_SYS_TTY_CONFIG",
  "CAP_MKNOD",
  "CAP_LEASE",
  "CAP_AUDIT_WRITE",
  "CAP_AUDIT_CONTROL",
  "CAP_SETFCAP",
  "CAP_MAC_OVERRIDE",
  "CAP_MAC_ADMIN",
  "CAP_SYSLOG",
  "CAP_WAKE_ALARM",
  "CAP_BLOCK_SUSPEND",
  "CAP_AUDIT_READ",
  "CAP_PERFMON",
  "CAP_BPF",
  "CAP_CHECKPOINT_RESTORE",
];

/** Docker's default capability set, in Docker's order. */
export const DEFAULT_CAPABILITIES: readonly string[] = [
  "CAP_CHOWN",
  "CAP_DAC_OVERRIDE",
  "CAP_FSETID",
  "CAP_FOWNER",
  "CAP_MKNOD",
  "CAP_NET_RAW",
  "CAP_SETGID",
  "CAP_SETUID",
  "CAP_SETFCAP",
  "CAP_SETPCAP",
  "CAP_NET_BIND_SERVICE",
  "CAP_SYS_CHROOT",
  "CAP_KILL",
  "CAP_AUDIT_WRITE",
];

const ALL = "ALL";

/**
 * Decodes a capability mask as printed in /proc/<pid>/status ("CapBnd:\t000001fffeffffff") into names.
 * Bits beyond the known list are ignored (a newer kernel than this table).
 */
export function capabilitiesFromMask(hex: string): string[] {
  const text = hex.trim();
  if (!/^[0-9a-fA-F]{1,16}$/.test(text))
    throw invalidArgument(`invalid capability mask ${JSON.stringify(hex)}`);
  const mask = BigInt(`0x${text}`);
  return KNOWN_CAPABILITIES.filter((_, bit) => ((mask >> BigInt(bit)) & 1n) === 1n);
}

/**
 * Upper-cases and prefixes "CAP_"; keeps "ALL". Unknown names are invalidArgument
 * ("unknown capability: \"CAP_FOO\""), as are known ones missing from `available`.
 */
export function normalizeCapabilities(caps: readonly string[], available?: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of caps) {
    let c = raw.toUpperCase();
    if (c === ALL) {
      out.push(c);
      continue;
    }
    if (!c.startsWith("CAP_")) c = `CAP_${c}`;
    if (!KNOWN_CAPABILITIES.includes(c)) throw invalidArgument(`unknown capability: ${JSON.stringify(c)}`);
    if (available !== undefined && !available.includes(c)) {
      throw invalidArgument(
        `capability not supported by your kernel or not available in the current environment: ${JSON.stringify(c)}`,
      );
    }
    out.push(c);
  }
  return out;
}

export interface CapabilityOptions {
  capAdd: readonly string[];
  capDrop: readonly string[];
  privileged: boolean;
  /** The engine's own capabilities; default all known. */
  available?: readonly string[];
}

/**
 * The container's capability set, as Docker's TweakCapabilities: privileged → all available;
 * add ALL → all available minus drops; drop ALL → exactly the adds; otherwise defaults minus drops
 * plus adds. Duplicates are removed (first occurrence kept).
 */
export function resolveCapabilities(opts: CapabilityOptions): string[] {
  const available = opts.available ?? KNOWN_CAPABILITIES;
  if (opts.privileged) return [...available];
  // Dropping a capability the engine lacks is harmless (Docker refuses it); only adds must be available.
  const drops = normalizeCapabilities(opts.capDrop);
  const adds = normalizeCapabilities(opts.capAdd, available);
  let caps: string[];
  if (adds.includes(ALL)) {
    caps = available.filter((c) => !drops.includes(c));
  } else if (drops.includes(ALL)) {
    caps = adds;
  } else {
    caps = [...DEFAULT_CAPABILITIES.filter((c) => !drops.includes(c)), ...adds];
  }
  return [...new Set(caps)].filter((c) => available.includes(c));
}
