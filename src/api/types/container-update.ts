/** POST /containers/{id}/update: the resources and restart policy a container's HostConfig may change. */
import type { HostConfig, RestartPolicy } from "./containers.js";

/** The resource fields `docker update` can change; a 0 (or "", or an absent PidsLimit) means "leave it". */
export const UPDATABLE_RESOURCES = [
  "BlkioWeight",
  "CpuShares",
  "CpuPeriod",
  "CpuQuota",
  "CpuRealtimePeriod",
  "CpuRealtimeRuntime",
  "CpusetCpus",
  "CpusetMems",
  "Memory",
  "MemoryReservation",
  "MemorySwap",
  "NanoCpus",
  "PidsLimit",
] as const;

export type ContainerUpdateRequest = Pick<HostConfig, (typeof UPDATABLE_RESOURCES)[number]> & {
  KernelMemory?: number;
  RestartPolicy?: RestartPolicy;
  /**
   * berth only (the docker CLI cannot send them): published ports to add to and remove from
   * HostConfig.PortBindings, applied live to a running container. A removal without HostPort
   * removes every binding of that container port.
   */
  BerthPortBindingsAdd?: PortBindingsMap;
  BerthPortBindingsRemove?: PortBindingsMap;
  [other: string]: unknown;
};

export interface ContainerUpdateResponse {
  Warnings: string[];
}

export type PortBindingsMap = Record<string, { HostIp?: string; HostPort?: string }[] | null>;
