/**
 * generateSpec: one container's OCI runtime spec, built the way Docker builds it (moby
 * daemon/oci_linux.go createSpec over oci/defaults.go). Pure: every host fact comes in the input.
 *
 * Layout of the result:
 * - process: terminal, user, args (with `--init`: [/sbin/docker-init, "--", …args]), env, cwd,
 *   capabilities (bounding = effective = permitted; inheritable and ambient empty), rlimits (the
 *   user's ulimits only; the rest is inherited), noNewPrivileges, oomScoreAdj (0 unless given).
 * - root, hostname/domainname (own UTS namespace only), mounts (see mounts.ts).
 * - linux: namespaces, masked and read-only /proc and /sys paths, resources (devices, memory, cpu,
 *   pids), cgroupsPath, devices, seccomp, sysctl.
 * `--privileged`: every available capability, no masked or read-only paths, all devices, writable
 * /sys and cgroups, no seccomp (unless a profile object is given explicitly).
 */
import { invalidArgument } from "../../lib/errors.js";
import { resolveCapabilities } from "./capabilities.js";
import { buildMounts } from "./mounts.js";
import { buildNamespaces } from "./namespaces.js";
import { buildDevices, buildResources } from "./resources.js";
import { resolveRlimits } from "./rlimits.js";
import type { Linux, LinuxSeccomp, Process, RuntimeSpec } from "./runtime-spec.js";
import { defaultSeccompProfile } from "./seccomp-default.js";
import { compileSeccomp } from "./seccomp-profile.js";
import { type ContainerSpecInput, INIT_PATH } from "./spec-input.js";

export const OCI_VERSION = "1.0.2";

/** Paths hidden from the container (bind-mounted over with /dev/null or an empty tmpfs). */
export const DEFAULT_MASKED_PATHS: readonly string[] = [
  "/proc/acpi",
  "/proc/asound",
  "/proc/interrupts",
  "/proc/kcore",
  "/proc/keys",
  "/proc/latency_stats",
  "/proc/sched_debug",
  "/proc/scsi",
  "/proc/timer_list",
  "/proc/timer_stats",
  "/sys/devices/virtual/powercap",
  "/sys/firmware",
];

export const DEFAULT_READONLY_PATHS: readonly string[] = [
  "/proc/bus",
  "/proc/fs",
  "/proc/irq",
  "/proc/sys",
  "/proc/sysrq-trigger",
];

/**
 * Sysctls Docker sets in a container's private network namespace: unprivileged ICMP echo sockets
 * for every group, and binding ports below 1024 without CAP_NET_BIND_SERVICE.
 */
export const PRIVATE_NETWORK_SYSCTLS: Readonly<Record<string, string>> = {
  "net.ipv4.ping_group_range": "0 2147483647",
  "net.ipv4.ip_unprivileged_port_start": "0",
};

const UINT32_MAX = 0xffffffff;

function checkId(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > UINT32_MAX) {
    throw invalidArgument(`invalid ${what} ${value}: must be an integer in 0-${UINT32_MAX}`);
  }
}

function buildProcess(input: ContainerSpecInput, capabilities: string[]): Process {
  if (input.args.length === 0 || input.args[0] === "") throw invalidArgument("no command specified");
  const cwd = input.cwd === "" ? "/" : input.cwd;
  if (!cwd.startsWith("/")) {
    throw invalidArgument(`the working directory '${cwd}' is invalid, it needs to be an absolute path`);
  }
  const { uid, gid, additionalGids, umask } = input.user;
  checkId(uid, "uid");
  checkId(gid, "gid");
  for (const g of additionalGids) checkId(g, "additional gid");
  const user: Process["user"] = { uid, gid };
  if (additionalGids.length > 0) user.additionalGids = [...additionalGids];
  if (umask !== undefined) {
    if (!Number.isInteger(umask) || umask < 0 || umask > 0o777)
      throw invalidArgument(`invalid umask ${umask}`);
    user.umask = umask;
  }
  const withInit = input.init !== undefined && input.namespaces.pid.kind === "new";
  const proc: Process = {
    terminal: input.tty,
    user,
    args: withInit ? [INIT_PATH, "--", ...input.args] : [...input.args],
    env: [...input.env],
    cwd,
    capabilities: {
      bounding: [...capabilities],
      effective: [...capabilities],
      permitted: [...capabilities],
    },
    noNewPrivileges: input.noNewPrivileges,
    oomScoreAdj: input.oomScoreAdj ?? 0,
  };
  if (input.tty && input.consoleSize !== undefined) proc.consoleSize = { ...input.consoleSize };
  const rlimits = resolveRlimits(input.hostRlimits, input.ulimits);
  if (rlimits.length > 0) proc.rlimits = rlimits;
  if (input.apparmorProfile) proc.apparmorProfile = input.apparmorProfile;
  return proc;
}

function buildSeccomp(input: ContainerSpecInput, capabilities: string[]): LinuxSeccomp | undefined {
  const { seccomp } = input;
  if (seccomp === "unconfined") return undefined;
  if (seccomp === "default" && input.privileged) return undefined;
  const profile = seccomp === "default" ? defaultSeccompProfile() : seccomp;
  const ctx = { capabilities, arch: input.arch ?? process.arch };
  return compileSeccomp(
    profile,
    input.kernelVersion === undefined ? ctx : { ...ctx, kernelVersion: input.kernelVersion },
  );
}

function buildSysctls(input: ContainerSpecInput): Record<string, string> {
  const net = input.namespaces.network;
  const privateNet = net.kind === "new" || (net.kind === "path" && net.private === true);
  return { ...(privateNet ? PRIVATE_NETWORK_SYSCTLS : {}), ...(input.sysctls ?? {}) };
}

function buildLinux(input: ContainerSpecInput, capabilities: string[]): Linux {
  const devices = buildDevices(input);
  const linux: Linux = {
    namespaces: buildNamespaces(input.namespaces),
    maskedPaths: [...(input.maskedPaths ?? (input.privileged ? [] : DEFAULT_MASKED_PATHS))],
    readonlyPaths: [...(input.readonlyPaths ?? (input.privileged ? [] : DEFAULT_READONLY_PATHS))],
    resources: buildResources(input.resources, devices.rules),
    cgroupsPath: input.cgroupsPath,
  };
  if (devices.devices.length > 0) linux.devices = devices.devices;
  const seccomp = buildSeccomp(input, capabilities);
  if (seccomp !== undefined) linux.seccomp = seccomp;
  const sysctl = buildSysctls(input);
  if (Object.keys(sysctl).length > 0) linux.sysctl = sysctl;
  return linux;
}

/**
 * The OCI runtime spec for a container. Throws invalidArgument for an empty command, a relative
 * working directory, unknown or unavailable capabilities, invalid ulimits or ulimits above the
 * host's hard limits, duplicate mount points, bad tmpfs options and malformed seccomp profiles.
 */
export function generateSpec(input: ContainerSpecInput): RuntimeSpec {
  if (!input.rootfsPath.startsWith("/"))
    throw invalidArgument(`rootfs path must be absolute: ${input.rootfsPath}`);
  const opts = {
    capAdd: input.capAdd,
    capDrop: input.capDrop,
    privileged: input.privileged,
  };
  const capabilities = resolveCapabilities(
    input.availableCapabilities === undefined ? opts : { ...opts, available: input.availableCapabilities },
  );
  const spec: RuntimeSpec = {
    ociVersion: OCI_VERSION,
    process: buildProcess(input, capabilities),
    root: { path: input.rootfsPath, readonly: input.readonlyRootfs },
  };
  if (input.namespaces.uts.kind === "new") {
    spec.hostname = input.hostname;
    if (input.domainname) spec.domainname = input.domainname;
  }
  spec.mounts = buildMounts(input);
  if (input.annotations !== undefined && Object.keys(input.annotations).length > 0) {
    spec.annotations = { ...input.annotations };
  }
  spec.linux = buildLinux(input, capabilities);
  return spec;
}
