/**
 * `docker update` as data (pure): merges an update request into a HostConfig with Docker's checks
 * (moby container.UpdateContainer), and turns a HostConfig into the OCI resources a live container
 * gets (`runc update`). In a request, 0, "" or an absent field means "leave it as it is".
 */
import type { ContainerUpdateRequest } from "../../api/types/container-update.js";
import type { HostConfig } from "../../api/types/containers.js";
import { conflict, invalidArgument } from "../../lib/errors.js";
import type { LinuxCpu, LinuxMemory, LinuxResources } from "../../runtime/spec/runtime-spec.js";
import { invalidPolicy } from "./restart-policy.js";

const MIN_MEMORY = 6 * 1024 * 1024;
const CFS_PERIOD_US = 100_000;

const set = (v: number | undefined | null): v is number => typeof v === "number" && v !== 0;

/** The HostConfig after the update; throws Docker's errors for conflicting or invalid values. */
export function mergeUpdate(h: HostConfig, u: ContainerUpdateRequest): HostConfig {
  const out: HostConfig = { ...h };
  // NanoCpus sets the CFS period and quota itself: the two ways exclude each other.
  if (set(u.NanoCpus) && (set(h.CpuPeriod) || set(h.CpuQuota)))
    throw conflict(
      "Conflicting options: Nano CPUs cannot be updated as CPU Period/Quota has already been set",
    );
  if ((set(u.CpuPeriod) || set(u.CpuQuota)) && set(h.NanoCpus))
    throw conflict(
      "Conflicting options: CPU Period/Quota cannot be updated as NanoCPUs has already been set",
    );
  if (set(u.NanoCpus) && (set(u.CpuPeriod) || set(u.CpuQuota)))
    throw invalidArgument("Conflicting options: Nano CPUs and CPU Period/Quota cannot both be set");
  if (set(u.NanoCpus) && u.NanoCpus < 0) throw invalidArgument("Invalid NanoCPUs value: must be positive");
  if (set(u.CpuShares) && u.CpuShares < 0) throw invalidArgument("invalid CPU shares: must be positive");
  if (set(u.BlkioWeight) && (u.BlkioWeight < 10 || u.BlkioWeight > 1000))
    throw invalidArgument("Range of blkio weight is from 10 to 1000");
  for (const k of ["BlkioWeight", "CpuShares", "NanoCpus", "CpuPeriod", "CpuQuota"] as const)
    if (set(u[k])) out[k] = u[k];
  for (const k of ["CpuRealtimePeriod", "CpuRealtimeRuntime", "MemoryReservation"] as const)
    if (set(u[k])) out[k] = u[k];
  if (u.CpusetCpus) out.CpusetCpus = u.CpusetCpus;
  if (u.CpusetMems) out.CpusetMems = u.CpusetMems;
  if (set(u.Memory)) {
    if (u.Memory < MIN_MEMORY) throw invalidArgument("Minimum memory limit allowed is 6MB");
    // An explicit swap limit must move with the memory limit; the implicit one (2 × memory) follows.
    if (!set(u.MemorySwap) && set(h.MemorySwap) && h.MemorySwap > 0 && u.Memory > h.MemorySwap)
      throw conflict(
        "Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time",
      );
    out.Memory = u.Memory;
  }
  if (set(u.MemorySwap)) out.MemorySwap = u.MemorySwap;
  if (set(out.MemorySwap) && out.MemorySwap > 0) {
    if (!set(out.Memory))
      throw invalidArgument("You should always set the Memory limit when using Memoryswap limit, see usage");
    if (out.MemorySwap < out.Memory)
      throw invalidArgument("Minimum memoryswap limit should be larger than memory limit, see usage");
  }
  if (set(out.Memory) && set(out.MemoryReservation) && out.Memory < out.MemoryReservation)
    throw invalidArgument("Minimum memory limit can not be less than memory reservation limit, see usage");
  if (u.PidsLimit !== undefined && u.PidsLimit !== null) out.PidsLimit = u.PidsLimit;
  if (u.RestartPolicy?.Name) {
    const bad = invalidPolicy(u.RestartPolicy, h.AutoRemove ?? false);
    if (bad) throw /AutoRemove/.test(bad) ? conflict(bad) : invalidArgument(bad);
    out.RestartPolicy = {
      Name: u.RestartPolicy.Name,
      MaximumRetryCount: u.RestartPolicy.MaximumRetryCount ?? 0,
    };
  }
  return out;
}

/**
 * The resources to hand `runc update` for a HostConfig. Fields left out (or 0) keep their value in
 * the cgroup; the swap limit is sent with the memory limit (2 × memory unless set), as at start.
 */
export function liveResources(h: HostConfig): LinuxResources {
  const r: LinuxResources = {};
  const memory: LinuxMemory = {};
  if (set(h.Memory) && h.Memory > 0) {
    memory.limit = h.Memory;
    memory.swap = set(h.MemorySwap) ? h.MemorySwap : h.Memory * 2;
  }
  if (set(h.MemoryReservation) && h.MemoryReservation > 0) memory.reservation = h.MemoryReservation;
  if (Object.keys(memory).length) r.memory = memory;
  const cpu: LinuxCpu = {};
  if (set(h.CpuShares) && h.CpuShares > 0) cpu.shares = h.CpuShares;
  if (set(h.NanoCpus) && h.NanoCpus > 0) {
    cpu.period = CFS_PERIOD_US;
    cpu.quota = Math.floor((h.NanoCpus * CFS_PERIOD_US) / 1e9);
  } else {
    if (set(h.CpuPeriod)) cpu.period = h.CpuPeriod;
    if (set(h.CpuQuota)) cpu.quota = h.CpuQuota;
  }
  if (set(h.CpuRealtimePeriod)) cpu.realtimePeriod = h.CpuRealtimePeriod;
  if (set(h.CpuRealtimeRuntime)) cpu.realtimeRuntime = h.CpuRealtimeRuntime;
  if (h.CpusetCpus) cpu.cpus = h.CpusetCpus;
  if (h.CpusetMems) cpu.mems = h.CpusetMems;
  if (Object.keys(cpu).length) r.cpu = cpu;
  // Docker: 0 or -1 is unlimited ("max" in the cgroup), which runc spells -1.
  if (h.PidsLimit !== undefined && h.PidsLimit !== null)
    r.pids = { limit: h.PidsLimit > 0 ? h.PidsLimit : -1 };
  if (set(h.BlkioWeight)) r.blockIO = { weight: h.BlkioWeight };
  return r;
}
