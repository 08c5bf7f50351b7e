/**
 * Resource limits. A container inherits the engine's limits (runc leaves unlisted ones alone), so the
 * spec lists only the user's `--ulimit`s, as Docker does. Without CAP_SYS_RESOURCE nothing may raise
 * a hard limit, so each ulimit is checked against the engine's own hard limit (read by the caller,
 * e.g. from /proc/self/limits via parseProcLimits) and refused when above it.
 */
import { invalidArgument } from "../../lib/errors.js";
import { ULIMIT_NAMES } from "../../lib/ulimit-names.js";
import { type PosixRlimit, RLIM_INFINITY } from "./runtime-spec.js";
import type { HostRlimit, Ulimit } from "./spec-input.js";

/** /proc/<pid>/limits row titles → rlimit types. */
const PROC_LIMIT_NAMES: Record<string, string> = {
  "Max cpu time": "RLIMIT_CPU",
  "Max file size": "RLIMIT_FSIZE",
  "Max data size": "RLIMIT_DATA",
  "Max stack size": "RLIMIT_STACK",
  "Max core file size": "RLIMIT_CORE",
  "Max resident set": "RLIMIT_RSS",
  "Max processes": "RLIMIT_NPROC",
  "Max open files": "RLIMIT_NOFILE",
  "Max locked memory": "RLIMIT_MEMLOCK",
  "Max address space": "RLIMIT_AS",
  "Max file locks": "RLIMIT_LOCKS",
  "Max pending signals": "RLIMIT_SIGPENDING",
  "Max msgqueue size": "RLIMIT_MSGQUEUE",
  "Max nice priority": "RLIMIT_NICE",
  "Max realtime priority": "RLIMIT_RTPRIO",
  "Max realtime timeout": "RLIMIT_RTTIME",
};

function procValue(text: string): number {
  return text === "unlimited" ? Number.POSITIVE_INFINITY : Number(text);
}

/** Parses the text of /proc/<pid>/limits; "unlimited" becomes Infinity. Unknown rows are skipped. */
export function parseProcLimits(text: string): HostRlimit[] {
  const out: HostRlimit[] = [];
  for (const line of text.split("\n")) {
    // Columns: title (padded to 26), soft (21), hard (21), units.
    const m = /^(Max [a-z ]+?)\s{2,}(\S+)\s+(\S+)/.exec(line);
    if (m === null) continue;
    const type = PROC_LIMIT_NAMES[m[1]!];
    if (type === undefined) continue;
    const soft = procValue(m[2]!);
    const hard = procValue(m[3]!);
    if (Number.isNaN(soft) || Number.isNaN(hard)) continue;
    out.push({ type, soft, hard });
  }
  return out;
}

/** "RLIMIT_NOFILE" for "nofile". */
export function rlimitType(ulimitName: string): string {
  return `RLIMIT_${ulimitName.toUpperCase()}`;
}

const show = (n: number) => (n === Number.POSITIVE_INFINITY ? "unlimited" : String(n));
const unlimited = (n: number) => (n === -1 ? Number.POSITIVE_INFINITY : n);
const specValue = (n: number): number | bigint => (n === Number.POSITIVE_INFINITY ? RLIM_INFINITY : n);

/** Checks one ulimit on its own, with go-units' messages. */
export function validateUlimit(u: Ulimit): void {
  if (!ULIMIT_NAMES.includes(u.name)) throw invalidArgument(`invalid ulimit type: ${u.name}`);
  for (const v of [u.soft, u.hard]) {
    if (!Number.isSafeInteger(v) || v < -1) throw invalidArgument(`invalid ulimit value for ${u.name}: ${v}`);
  }
  if (u.hard !== -1) {
    if (u.soft === -1) {
      throw invalidArgument(
        `ulimit soft limit must be less than or equal to hard limit: soft: -1 (unlimited), hard: ${u.hard}`,
      );
    }
    if (u.soft > u.hard) {
      throw invalidArgument(
        `ulimit soft limit must be less than or equal to hard limit: ${u.soft} > ${u.hard}`,
      );
    }
  }
}

/**
 * The spec's process.rlimits: the ulimits (last one per name wins), each validated and checked
 * against the host's hard limit of the same type. A type missing from `host` is not checked.
 */
export function resolveRlimits(host: readonly HostRlimit[], ulimits: readonly Ulimit[]): PosixRlimit[] {
  const byName = new Map<string, Ulimit>();
  for (const u of ulimits) {
    validateUlimit(u);
    byName.delete(u.name);
    byName.set(u.name, u);
  }
  const out: PosixRlimit[] = [];
  for (const u of byName.values()) {
    const type = rlimitType(u.name);
    const hard = unlimited(u.hard);
    const soft = unlimited(u.soft);
    const hostHard = host.find((h) => h.type === type)?.hard;
    if (hostHard !== undefined && hard > hostHard) {
      throw invalidArgument(`ulimit ${u.name} hard limit ${show(hard)} exceeds the host's ${show(hostHard)}`);
    }
    out.push({ type, soft: specValue(soft), hard: specValue(hard) });
  }
  return out;
}
