/**
 * Parsers for the cgroup (v1 and v2) and procfs files stats are made of. Pure: text in, numbers out.
 * Unknown or malformed lines are skipped rather than thrown on: a stats sample is best effort.
 */

/** One block-device counter, as Docker's blkio_stats lists them. */
export interface BlkioEntry {
  major: number;
  minor: number;
  /** v1: "Read", "Write", "Sync", "Async", "Discard", "Total"; v2: "read", "write". */
  op: string;
  value: number;
}

/** An interface's counters from /proc/<pid>/net/dev. */
export interface NetDevCounters {
  rx_bytes: number;
  rx_packets: number;
  rx_errors: number;
  rx_dropped: number;
  tx_bytes: number;
  tx_packets: number;
  tx_errors: number;
  tx_dropped: number;
}

const num = (s: string | undefined): number | undefined => {
  if (s === undefined || !/^-?\d+$/.test(s)) return undefined;
  return Number(s);
};

/** "key value" lines: memory.stat, cpu.stat, cpuacct.stat, memory.events, memory.oom_control. */
export function parseFlatKeyed(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split("\n")) {
    const [k, v, extra] = line.trim().split(/\s+/);
    const n = num(v);
    if (k && n !== undefined && extra === undefined) out[k] = n;
  }
  return out;
}

/** A single unsigned number (memory.usage_in_bytes, pids.current); 0 when unreadable. */
export function parseUint(text: string): number {
  return num(text.trim()) ?? 0;
}

/**
 * A limit file: "max" (v2, pids.max) is unlimited, and so is v1's "no limit" value (the largest
 * page-aligned int64, 9223372036854771712) or anything at or above 2^62. Undefined = unlimited.
 */
export function parseLimit(text: string): number | undefined {
  const t = text.trim();
  if (t === "max" || t === "") return undefined;
  const n = num(t);
  if (n === undefined || n < 0 || n >= 2 ** 62) return undefined;
  return n;
}

/** Space-separated numbers (cpuacct.usage_percpu). */
export function parseNumberList(text: string): number[] {
  return text
    .trim()
    .split(/\s+/)
    .map((s) => num(s))
    .filter((n): n is number => n !== undefined);
}

function device(s: string | undefined): { major: number; minor: number } | undefined {
  const m = /^(\d+):(\d+)$/.exec(s ?? "");
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

/** v1 blkio files ("8:0 Read 4096" per line; the device-less "Total N" line is dropped). */
export function parseBlkioV1(text: string): BlkioEntry[] {
  const out: BlkioEntry[] = [];
  for (const line of text.split("\n")) {
    const [dev, op, v] = line.trim().split(/\s+/);
    const d = device(dev);
    const value = num(v);
    if (d && op && value !== undefined) out.push({ ...d, op, value });
  }
  return out;
}

/** v2 io.stat ("8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0"), in Docker's v2 shape. */
export function parseIoStat(text: string): { bytes: BlkioEntry[]; ios: BlkioEntry[] } {
  const bytes: BlkioEntry[] = [];
  const ios: BlkioEntry[] = [];
  for (const line of text.split("\n")) {
    const [dev, ...fields] = line.trim().split(/\s+/);
    const d = device(dev);
    if (!d) continue;
    const kv: Record<string, number> = {};
    for (const f of fields) {
      const [k, v] = f.split("=");
      const n = num(v);
      if (k && n !== undefined) kv[k] = n;
    }
    bytes.push({ ...d, op: "read", value: kv.rbytes ?? 0 }, { ...d, op: "write", value: kv.wbytes ?? 0 });
    ios.push({ ...d, op: "read", value: kv.rios ?? 0 }, { ...d, op: "write", value: kv.wios ?? 0 });
  }
  return { bytes, ios };
}

/**
 * /proc/stat: the host's CPU time in nanoseconds, as Docker computes system_cpu_usage (user, nice,
 * system, idle, iowait, irq, softirq and steal of the "cpu" line, in clock ticks), and the number
 * of "cpuN" lines (online CPUs).
 */
export function parseProcStat(text: string, clockTicks = 100): { systemNs: number; onlineCpus: number } {
  let systemNs = 0;
  let onlineCpus = 0;
  for (const line of text.split("\n")) {
    const parts = line.trim().split(/\s+/);
    if (parts[0] === "cpu") {
      const ticks = parts.slice(1, 9).reduce((sum, s) => sum + (num(s) ?? 0), 0);
      systemNs = Math.round((ticks * 1e9) / clockTicks);
    } else if (/^cpu\d+$/.test(parts[0] ?? "")) {
      onlineCpus++;
    }
  }
  return { systemNs, onlineCpus };
}

/** /proc/<pid>/net/dev: counters per interface (loopback included; callers drop it). */
export function parseNetDev(text: string): Record<string, NetDevCounters> {
  const out: Record<string, NetDevCounters> = {};
  for (const line of text.split("\n")) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const f = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/)
      .map((s) => num(s) ?? 0);
    if (!name || f.length < 16 || name.includes("|")) continue;
    out[name] = {
      rx_bytes: f[0]!,
      rx_packets: f[1]!,
      rx_errors: f[2]!,
      rx_dropped: f[3]!,
      tx_bytes: f[8]!,
      tx_packets: f[9]!,
      tx_errors: f[10]!,
      tx_dropped: f[11]!,
    };
  }
  return out;
}
