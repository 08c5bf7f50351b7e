/**
 * cgroup resources and devices, as Docker sets them (moby daemon/oci_linux.go WithResources,
 * WithDevices; oci/defaults.go for the device allow-list).
 */
import { invalidArgument } from "../../lib/errors.js";
import type {
  LinuxCpu,
  LinuxDevice,
  LinuxDeviceCgroup,
  LinuxMemory,
  LinuxResources,
} from "./runtime-spec.js";
import type { SpecDevice, SpecResources } from "./spec-input.js";

const charDevice = (major: number, minor: number | undefined, allow = true): LinuxDeviceCgroup => {
  const rule: LinuxDeviceCgroup = { allow, type: "c", major, access: "rwm" };
  if (minor !== undefined) rule.minor = minor;
  return rule;
};

/**
 * Deny everything, then allow the devices every container has. Docker lists zero, null, urandom,
 * random, tty and console and leaves full, ptmx and /dev/pts/* to the runtime's built-in list;
 * berth lists those too, so the spec does not depend on the runtime. FUSE stays denied.
 */
export function defaultDeviceRules(): LinuxDeviceCgroup[] {
  return [
    { allow: false, access: "rwm" },
    charDevice(1, 5), // /dev/zero
    charDevice(1, 3), // /dev/null
    charDevice(1, 9), // /dev/urandom
    charDevice(1, 8), // /dev/random
    charDevice(1, 7), // /dev/full
    charDevice(5, 0), // /dev/tty
    charDevice(5, 1), // /dev/console
    charDevice(5, 2), // /dev/ptmx
    charDevice(136, undefined), // /dev/pts/*
    charDevice(10, 229, false), // /dev/fuse
  ];
}

export interface DeviceSetup {
  /** Nodes to create in the container's /dev. */
  devices: LinuxDevice[];
  rules: LinuxDeviceCgroup[];
}

/** Device nodes and cgroup rules: privileged → every host device and allow all. */
export function buildDevices(opts: {
  privileged: boolean;
  devices?: readonly SpecDevice[];
  hostDevices?: readonly LinuxDevice[];
}): DeviceSetup {
  const strip = ({ permissions: _p, ...d }: SpecDevice): LinuxDevice => d;
  if (opts.privileged) {
    const devices = [...(opts.hostDevices ?? [])];
    const seen = new Set(devices.map((d) => d.path));
    for (const d of opts.devices ?? []) if (!seen.has(d.path)) devices.push(strip(d));
    return { devices, rules: [{ allow: true, access: "rwm" }] };
  }
  const devices: LinuxDevice[] = [];
  const rules = defaultDeviceRules();
  for (const d of opts.devices ?? []) {
    const access = d.permissions ?? "rwm";
    if (!/^[rwm]{1,3}$/.test(access))
      throw invalidArgument(`invalid device cgroup permissions ${JSON.stringify(access)}`);
    devices.push(strip(d));
    rules.push({ allow: true, type: d.type, major: d.major, minor: d.minor, access });
  }
  return { devices, rules };
}

function memory(r: SpecResources): LinuxMemory | undefined {
  const m: LinuxMemory = {};
  if ((r.memory ?? 0) > 0) m.limit = r.memory!;
  if ((r.memoryReservation ?? 0) > 0) m.reservation = r.memoryReservation!;
  if ((r.memorySwap ?? 0) > 0) m.swap = r.memorySwap!;
  if (r.memorySwappiness !== undefined && r.memorySwappiness >= 0) m.swappiness = r.memorySwappiness;
  if (r.oomKillDisable !== undefined) m.disableOOMKiller = r.oomKillDisable;
  return Object.keys(m).length > 0 ? m : undefined;
}

function cpu(r: SpecResources): LinuxCpu | undefined {
  const c: LinuxCpu = {};
  if (r.cpuShares !== undefined && r.cpuShares !== 0) {
    if (r.cpuShares < 0) {
      throw invalidArgument(`invalid CPU shares (${r.cpuShares}): value must be a positive integer`);
    }
    c.shares = r.cpuShares;
  }
  if (r.cpusetCpus) c.cpus = r.cpusetCpus;
  if (r.cpusetMems) c.mems = r.cpusetMems;
  if ((r.nanoCpus ?? 0) > 0) {
    const period = 100_000; // µs, the kernel's default CFS period
    c.period = period;
    c.quota = Math.floor((r.nanoCpus! * period) / 1e9);
  }
  if (r.cpuPeriod !== undefined && r.cpuPeriod !== 0) c.period = r.cpuPeriod;
  if (r.cpuQuota !== undefined && r.cpuQuota !== 0) c.quota = r.cpuQuota;
  if (r.cpuRealtimePeriod !== undefined && r.cpuRealtimePeriod !== 0) c.realtimePeriod = r.cpuRealtimePeriod;
  if (r.cpuRealtimeRuntime !== undefined && r.cpuRealtimeRuntime !== 0)
    c.realtimeRuntime = r.cpuRealtimeRuntime;
  return Object.keys(c).length > 0 ? c : undefined;
}

/** linux.resources: the device rules plus memory, cpu, pids and blkio weight where set. */
export function buildResources(r: SpecResources, deviceRules: LinuxDeviceCgroup[]): LinuxResources {
  const out: LinuxResources = { devices: deviceRules };
  const mem = memory(r);
  if (mem !== undefined) out.memory = mem;
  const c = cpu(r);
  if (c !== undefined) out.cpu = c;
  if (r.pidsLimit !== undefined) out.pids = { limit: r.pidsLimit > 0 ? r.pidsLimit : -1 };
  if (r.blkioWeight !== undefined && r.blkioWeight !== 0) out.blockIO = { weight: r.blkioWeight };
  return out;
}
