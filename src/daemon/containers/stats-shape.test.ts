import assert from "node:assert/strict";
import { test } from "node:test";
import type { CgroupSample } from "../../runtime/cgroups/index.js";
import { emptyStats, type StatsSample, toDockerStats, ZERO_TIME } from "./stats-shape.js";

const MiB = 1024 * 1024;

const cgroup = (totalNs: number, over: Partial<CgroupSample> = {}): CgroupSample => ({
  version: 1,
  cpu: {
    totalNs,
    userNs: 20_000_000,
    systemNs: 10_000_000,
    perCpuNs: [totalNs / 2, totalNs / 2],
    periods: 0,
    throttledPeriods: 0,
    throttledNs: 0,
  },
  memory: {
    usage: 3 * MiB,
    maxUsage: 4 * MiB,
    failcnt: 0,
    limit: 10 * MiB,
    stats: { total_inactive_file: MiB, cache: 2 * MiB },
  },
  pids: { current: 2 },
  blkio: { serviceBytes: [{ major: 8, minor: 0, op: "Read", value: 4096 }], serviced: [] },
  ...over,
});

const sample = (
  read: string,
  totalNs: number,
  systemCpuNs: number,
  over: Partial<StatsSample> = {},
): StatsSample => ({
  read,
  cgroup: cgroup(totalNs),
  systemCpuNs,
  onlineCpus: 2,
  networks: {},
  ...over,
});

const meta = { name: "/web", id: "abc", hostMemory: 4096 * MiB };

test("toDockerStats: Docker's field names; precpu from the previous sample", () => {
  const prev = sample("2026-01-01T00:00:00.000Z", 100_000_000, 10_000_000_000);
  const cur = sample("2026-01-01T00:00:01.000Z", 600_000_000, 12_000_000_000);
  const s = toDockerStats(cur, prev, meta);
  assert.equal(s.read, cur.read);
  assert.equal(s.preread, prev.read);
  assert.deepEqual(s.cpu_stats, {
    cpu_usage: {
      total_usage: 600_000_000,
      percpu_usage: [300_000_000, 300_000_000],
      usage_in_kernelmode: 10_000_000,
      usage_in_usermode: 20_000_000,
    },
    system_cpu_usage: 12_000_000_000,
    online_cpus: 2,
    throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
  });
  assert.equal(s.precpu_stats.cpu_usage.total_usage, 100_000_000);
  // What the docker CLI prints: (0.5 s / 2 s) × 2 CPUs = 50 %.
  const cpuDelta = s.cpu_stats.cpu_usage.total_usage - s.precpu_stats.cpu_usage.total_usage;
  const sysDelta = s.cpu_stats.system_cpu_usage! - s.precpu_stats.system_cpu_usage!;
  assert.equal((cpuDelta / sysDelta) * s.cpu_stats.online_cpus! * 100, 50);
  assert.deepEqual(s.memory_stats, {
    usage: 3 * MiB,
    max_usage: 4 * MiB,
    stats: { total_inactive_file: MiB, cache: 2 * MiB },
    failcnt: 0,
    limit: 10 * MiB,
  });
  assert.deepEqual(s.pids_stats, { current: 2 });
  assert.deepEqual(s.blkio_stats.io_service_bytes_recursive, [
    { major: 8, minor: 0, op: "Read", value: 4096 },
  ]);
  assert.equal(s.blkio_stats.io_serviced_recursive, null);
  assert.equal(s.networks, undefined);
  assert.equal(s.name, "/web");
});

test("toDockerStats: no limit shows the host's memory; networks when present; first frame has empty precpu", () => {
  const unlimited = cgroup(1, { memory: { usage: MiB, stats: {} } });
  const s = toDockerStats(
    sample("2026-01-01T00:00:00Z", 1, 1, {
      cgroup: unlimited,
      networks: {
        eth0: {
          rx_bytes: 10,
          rx_packets: 1,
          rx_errors: 0,
          rx_dropped: 0,
          tx_bytes: 20,
          tx_packets: 2,
          tx_errors: 0,
          tx_dropped: 0,
        },
      },
    }),
    undefined,
    meta,
  );
  assert.equal(s.memory_stats.limit, 4096 * MiB);
  assert.equal(s.networks?.eth0?.tx_bytes, 20);
  assert.equal(s.preread, ZERO_TIME);
  assert.equal(s.precpu_stats.cpu_usage.total_usage, 0);
  assert.equal(s.precpu_stats.system_cpu_usage, undefined);
});

test("emptyStats is Docker's frame for a stopped container", () => {
  const s = emptyStats({ name: "/web", id: "abc" });
  assert.equal(s.read, ZERO_TIME);
  assert.deepEqual(s.memory_stats, {});
  assert.deepEqual(s.pids_stats, {});
  assert.equal(s.cpu_stats.cpu_usage.total_usage, 0);
  assert.equal(s.blkio_stats.io_service_bytes_recursive, null);
});
