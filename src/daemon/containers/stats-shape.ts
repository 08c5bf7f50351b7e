/**
 * Docker's stats JSON from berth's samples. Pure. The docker CLI derives its columns from this:
 *   CPU %      (Δ cpu_usage.total_usage / Δ system_cpu_usage) × online_cpus × 100, Δ against precpu_stats
 *   MEM        memory_stats.usage less stats.total_inactive_file (v1) or stats.inactive_file (v2),
 *              over memory_stats.limit (the host's memory when the container has no limit)
 *   NET I/O    Σ networks rx_bytes / tx_bytes        BLOCK I/O  Σ read / write entries of
 *   PIDS       pids_stats.current                               blkio_stats.io_service_bytes_recursive
 */
import type { BlkioStatEntry, ContainerStats, CpuStats, NetworkStats } from "../../api/types/stats.js";
import type { BlkioEntry, CgroupSample } from "../../runtime/cgroups/index.js";

export const ZERO_TIME = "0001-01-01T00:00:00Z";

/** One reading of a container, with the host figures taken at the same moment. */
export interface StatsSample {
  /** RFC 3339 time of the reading. */
  read: string;
  cgroup: CgroupSample;
  systemCpuNs: number;
  onlineCpus: number;
  /** Per interface, loopback excluded; empty without a network of its own. */
  networks: Record<string, NetworkStats>;
}

export interface StatsMeta {
  /** With the leading slash, as Docker sends it. */
  name: string;
  id: string;
  /** The host's memory: the limit shown for a container without one. */
  hostMemory: number;
}

function emptyCpu(): CpuStats {
  return {
    cpu_usage: { total_usage: 0, usage_in_kernelmode: 0, usage_in_usermode: 0 },
    throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
  };
}

function emptyBlkio(): ContainerStats["blkio_stats"] {
  return {
    io_service_bytes_recursive: null,
    io_serviced_recursive: null,
    io_queue_recursive: null,
    io_service_time_recursive: null,
    io_wait_time_recursive: null,
    io_merged_recursive: null,
    io_time_recursive: null,
    sectors_recursive: null,
  };
}

/** What Docker sends for a container that is not running: zeros, with only name and id set. */
export function emptyStats(meta: Pick<StatsMeta, "name" | "id">): ContainerStats {
  return {
    read: ZERO_TIME,
    preread: ZERO_TIME,
    pids_stats: {},
    blkio_stats: emptyBlkio(),
    num_procs: 0,
    storage_stats: {},
    cpu_stats: emptyCpu(),
    precpu_stats: emptyCpu(),
    memory_stats: {},
    name: meta.name,
    id: meta.id,
  };
}

function cpuStats(s: StatsSample): CpuStats {
  const c = s.cgroup.cpu;
  return {
    cpu_usage: {
      total_usage: c.totalNs,
      ...(c.perCpuNs ? { percpu_usage: c.perCpuNs } : {}),
      usage_in_kernelmode: c.systemNs,
      usage_in_usermode: c.userNs,
    },
    system_cpu_usage: s.systemCpuNs,
    online_cpus: s.onlineCpus,
    throttling_data: {
      periods: c.periods,
      throttled_periods: c.throttledPeriods,
      throttled_time: c.throttledNs,
    },
  };
}

const entries = (list: BlkioEntry[]): BlkioStatEntry[] | null =>
  list.length ? list.map((e) => ({ ...e })) : null;

/** A stats frame: `cur`, with `prev` as precpu (none for the first frame of a stream, or one-shot). */
export function toDockerStats(
  cur: StatsSample,
  prev: StatsSample | undefined,
  meta: StatsMeta,
): ContainerStats {
  const m = cur.cgroup.memory;
  const limit = m.limit !== undefined && m.limit < meta.hostMemory ? m.limit : meta.hostMemory;
  const out: ContainerStats = {
    read: cur.read,
    preread: prev?.read ?? ZERO_TIME,
    pids_stats: {
      current: cur.cgroup.pids.current,
      ...(cur.cgroup.pids.limit !== undefined ? { limit: cur.cgroup.pids.limit } : {}),
    },
    blkio_stats: {
      ...emptyBlkio(),
      io_service_bytes_recursive: entries(cur.cgroup.blkio.serviceBytes),
      io_serviced_recursive: entries(cur.cgroup.blkio.serviced),
    },
    num_procs: 0,
    storage_stats: {},
    cpu_stats: cpuStats(cur),
    precpu_stats: prev ? cpuStats(prev) : emptyCpu(),
    memory_stats: {
      usage: m.usage,
      ...(m.maxUsage !== undefined ? { max_usage: m.maxUsage } : {}),
      stats: m.stats,
      ...(m.failcnt !== undefined ? { failcnt: m.failcnt } : {}),
      limit,
    },
    name: meta.name,
    id: meta.id,
  };
  if (Object.keys(cur.networks).length > 0) out.networks = cur.networks;
  return out;
}
