/**
 * `docker stats` arithmetic and columns: CPU % from the delta between a sample and its pre-sample,
 * memory without the page cache, network and block I/O totals. (pure)
 */
import type { StatsSample } from "../../../api/client/containers.js";
import { bytesSize, humanSizeWithPrecision } from "../../formatter/units.js";
import { truncateId } from "./_ps-view.js";

export const STATS_DEFAULT_TABLE =
  "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}";

export const STATS_HEADERS: Readonly<Record<string, string>> = {
  Container: "CONTAINER",
  Name: "NAME",
  ID: "CONTAINER ID",
  CPUPerc: "CPU %",
  MemUsage: "MEM USAGE / LIMIT",
  MemPerc: "MEM %",
  NetIO: "NET I/O",
  BlockIO: "BLOCK I/O",
  PIDs: "PIDS",
};

export interface StatsEntry {
  /** What the user named (or the short id when listing). */
  container: string;
  name: string;
  id: string;
  cpuPercent: number;
  memory: number;
  memoryLimit: number;
  memoryPercent: number;
  netRx: number;
  netTx: number;
  blockRead: number;
  blockWrite: number;
  pids: number;
  /** No sample (yet): the columns show "--". */
  invalid: boolean;
}

export function emptyEntry(container: string): StatsEntry {
  return {
    container,
    name: "",
    id: "",
    cpuPercent: 0,
    memory: 0,
    memoryLimit: 0,
    memoryPercent: 0,
    netRx: 0,
    netTx: 0,
    blockRead: 0,
    blockWrite: 0,
    pids: 0,
    invalid: true,
  };
}

function cpuPercent(s: StatsSample): number {
  const cpu = s.cpu_stats ?? {};
  const pre = s.precpu_stats ?? {};
  const cpuDelta = (cpu.cpu_usage?.total_usage ?? 0) - (pre.cpu_usage?.total_usage ?? 0);
  const systemDelta = (cpu.system_cpu_usage ?? 0) - (pre.system_cpu_usage ?? 0);
  const online = cpu.online_cpus || cpu.cpu_usage?.percpu_usage?.length || 0;
  return systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * online * 100 : 0;
}

function memoryNoCache(s: StatsSample): number {
  const usage = s.memory_stats?.usage ?? 0;
  const stats = s.memory_stats?.stats ?? {};
  const v1 = stats.total_inactive_file;
  if (v1 !== undefined && v1 < usage) return usage - v1;
  const v2 = stats.inactive_file ?? 0;
  return v2 < usage ? usage - v2 : usage;
}

/** One sample as a stats row's numbers. */
export function statsEntry(container: string, s: StatsSample): StatsEntry {
  const memory = memoryNoCache(s);
  const limit = s.memory_stats?.limit ?? 0;
  let blockRead = 0;
  let blockWrite = 0;
  for (const e of s.blkio_stats?.io_service_bytes_recursive ?? []) {
    const op = e.op[0]?.toLowerCase();
    if (op === "r") blockRead += e.value;
    else if (op === "w") blockWrite += e.value;
  }
  let netRx = 0;
  let netTx = 0;
  for (const n of Object.values(s.networks ?? {})) {
    netRx += n.rx_bytes;
    netTx += n.tx_bytes;
  }
  return {
    container,
    name: s.name ?? "",
    id: s.id ?? "",
    cpuPercent: cpuPercent(s),
    memory,
    memoryLimit: limit,
    memoryPercent: limit !== 0 ? (memory / limit) * 100 : 0,
    netRx,
    netTx,
    blockRead,
    blockWrite,
    pids: s.pids_stats?.current ?? 0,
    invalid: false,
  };
}

const percent = (v: number) => `${v.toFixed(2)}%`;
const decimal = (v: number) => humanSizeWithPrecision(v, 3);

/** A row as docker's statsContext presents it to --format. */
export function statsRow(e: StatsEntry, trunc: boolean) {
  return {
    Container: e.container,
    Name: e.name.length > 1 ? e.name.slice(1) : "--",
    ID: trunc ? truncateId(e.id) : e.id,
    CPUPerc: e.invalid ? "--" : percent(e.cpuPercent),
    MemUsage: e.invalid ? "-- / --" : `${bytesSize(e.memory)} / ${bytesSize(e.memoryLimit)}`,
    MemPerc: e.invalid ? "--" : percent(e.memoryPercent),
    NetIO: e.invalid ? "--" : `${decimal(e.netRx)} / ${decimal(e.netTx)}`,
    BlockIO: e.invalid ? "--" : `${decimal(e.blockRead)} / ${decimal(e.blockWrite)}`,
    PIDs: e.invalid ? "--" : String(e.pids),
  };
}
