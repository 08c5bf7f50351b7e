/**
 * Reads a container's resource usage from its cgroup directories (v1 or v2), the host's CPU time
 * from /proc/stat and a process's network counters from /proc/<pid>/net/dev. The parsing is in
 * parse.ts; this file only knows which file holds what. A missing file reads as zero, so a
 * controller the host lacks leaves its numbers at 0 instead of failing the sample.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import {
  type CgroupDirs,
  type CgroupLayout,
  type ProcCgroups,
  parseMountinfo,
  parseProcCgroup,
} from "./layout.js";
import {
  type BlkioEntry,
  type NetDevCounters,
  parseBlkioV1,
  parseFlatKeyed,
  parseIoStat,
  parseLimit,
  parseNetDev,
  parseNumberList,
  parseProcStat,
  parseUint,
} from "./parse.js";

export interface CgroupSample {
  version: 1 | 2;
  cpu: {
    totalNs: number;
    userNs: number;
    systemNs: number;
    /** v1 only (cpuacct.usage_percpu). */
    perCpuNs?: number[];
    periods: number;
    throttledPeriods: number;
    throttledNs: number;
  };
  memory: {
    usage: number;
    /** v1 only. */
    maxUsage?: number;
    failcnt?: number;
    /** Undefined when unlimited. */
    limit?: number;
    stats: Record<string, number>;
  };
  pids: { current: number; limit?: number };
  blkio: { serviceBytes: BlkioEntry[]; serviced: BlkioEntry[] };
}

/** USER_HZ: the unit of cpuacct.stat and /proc/stat; 100 on every Linux architecture berth runs on. */
const CLOCK_TICKS = 100;
const tickNs = (ticks: number) => Math.round((ticks * 1e9) / CLOCK_TICKS);

async function read(dir: string | undefined, file: string): Promise<string> {
  if (!dir) return "";
  try {
    return await fs.readFile(path.join(dir, file), "utf8");
  } catch {
    return "";
  }
}

async function exists(dir: string | undefined, file: string): Promise<boolean> {
  if (!dir) return false;
  return fs.access(path.join(dir, file)).then(
    () => true,
    () => false,
  );
}

let layoutOnce: Promise<CgroupLayout | undefined> | undefined;

/** The host's cgroup layout, read once per process from /proc/self/mountinfo. */
export function hostCgroupLayout(): Promise<CgroupLayout | undefined> {
  layoutOnce ??= fs.readFile("/proc/self/mountinfo", "utf8").then(parseMountinfo, () => undefined);
  return layoutOnce;
}

/** A process's cgroup paths, or undefined when it is gone. */
export async function readProcCgroups(pid: number): Promise<ProcCgroups | undefined> {
  if (!(pid > 0)) return undefined;
  return fs.readFile(`/proc/${pid}/cgroup`, "utf8").then(parseProcCgroup, () => undefined);
}

export async function readCgroupSample(cg: CgroupDirs): Promise<CgroupSample> {
  return cg.version === 1 ? readV1(cg.dirs) : readV2(cg.dir);
}

async function readV1(d: Record<string, string>): Promise<CgroupSample> {
  const [usage, percpu, acctStat, cpuStat, memUsage, memMax, memFail, memLimit, memStat, pidsCur, pidsMax] =
    await Promise.all([
      read(d.cpuacct, "cpuacct.usage"),
      read(d.cpuacct, "cpuacct.usage_percpu"),
      read(d.cpuacct, "cpuacct.stat"),
      read(d.cpu, "cpu.stat"),
      read(d.memory, "memory.usage_in_bytes"),
      read(d.memory, "memory.max_usage_in_bytes"),
      read(d.memory, "memory.failcnt"),
      read(d.memory, "memory.limit_in_bytes"),
      read(d.memory, "memory.stat"),
      read(d.pids, "pids.current"),
      read(d.pids, "pids.max"),
    ]);
  const acct = parseFlatKeyed(acctStat);
  const throttle = parseFlatKeyed(cpuStat);
  const stats = parseFlatKeyed(memStat);
  // CFQ's recursive files when the kernel has them, else the throttle layer's (as containerd does).
  const prefix = (await exists(d.blkio, "blkio.io_service_bytes_recursive")) ? "blkio." : "blkio.throttle.";
  const [bytes, ios] = await Promise.all([
    read(d.blkio, `${prefix}io_service_bytes_recursive`),
    read(d.blkio, `${prefix}io_serviced_recursive`),
  ]);
  const hierarchical = stats.hierarchical_memory_limit;
  const limit = parseLimit(hierarchical !== undefined ? String(hierarchical) : memLimit);
  const perCpu = parseNumberList(percpu);
  return {
    version: 1,
    cpu: {
      totalNs: parseUint(usage),
      userNs: tickNs(acct.user ?? 0),
      systemNs: tickNs(acct.system ?? 0),
      ...(perCpu.length ? { perCpuNs: perCpu } : {}),
      periods: throttle.nr_periods ?? 0,
      throttledPeriods: throttle.nr_throttled ?? 0,
      throttledNs: throttle.throttled_time ?? 0,
    },
    memory: {
      usage: parseUint(memUsage),
      maxUsage: parseUint(memMax),
      failcnt: parseUint(memFail),
      ...(limit !== undefined ? { limit } : {}),
      stats,
    },
    pids: pidsOf(pidsCur, pidsMax),
    blkio: { serviceBytes: parseBlkioV1(bytes), serviced: parseBlkioV1(ios) },
  };
}

async function readV2(dir: string): Promise<CgroupSample> {
  const [cpuStat, memCur, memMax, memStat, pidsCur, pidsMax, ioStat] = await Promise.all(
    ["cpu.stat", "memory.current", "memory.max", "memory.stat", "pids.current", "pids.max", "io.stat"].map(
      (f) => read(dir, f),
    ),
  );
  const cpu = parseFlatKeyed(cpuStat!);
  const io = parseIoStat(ioStat!);
  const limit = parseLimit(memMax!);
  return {
    version: 2,
    cpu: {
      totalNs: (cpu.usage_usec ?? 0) * 1000,
      userNs: (cpu.user_usec ?? 0) * 1000,
      systemNs: (cpu.system_usec ?? 0) * 1000,
      periods: cpu.nr_periods ?? 0,
      throttledPeriods: cpu.nr_throttled ?? 0,
      throttledNs: (cpu.throttled_usec ?? 0) * 1000,
    },
    memory: {
      usage: parseUint(memCur!),
      ...(limit !== undefined ? { limit } : {}),
      stats: parseFlatKeyed(memStat!),
    },
    pids: pidsOf(pidsCur!, pidsMax!),
    blkio: { serviceBytes: io.bytes, serviced: io.ios },
  };
}

function pidsOf(current: string, max: string): CgroupSample["pids"] {
  const limit = parseLimit(max);
  return { current: parseUint(current), ...(limit !== undefined ? { limit } : {}) };
}

/**
 * How many processes the kernel OOM-killed in this cgroup (v1 memory.oom_control, v2
 * memory.events); undefined when the kernel does not say. Read it before the runtime deletes the
 * cgroup.
 */
export async function readOomKills(cg: CgroupDirs): Promise<number | undefined> {
  const text =
    cg.version === 1 ? await read(cg.dirs.memory, "memory.oom_control") : await read(cg.dir, "memory.events");
  return parseFlatKeyed(text).oom_kill;
}

/** The host's CPU time (ns) and online CPU count. */
export async function readHostCpu(): Promise<{ systemNs: number; onlineCpus: number }> {
  return parseProcStat(await fs.readFile("/proc/stat", "utf8").catch(() => ""), CLOCK_TICKS);
}

/** Network counters of a process's network namespace, loopback left out. */
export async function readNetDev(pid: number): Promise<Record<string, NetDevCounters>> {
  if (!(pid > 0)) return {};
  const all = parseNetDev(await fs.readFile(`/proc/${pid}/net/dev`, "utf8").catch(() => ""));
  delete all.lo;
  return all;
}
