/**
 * The system service: what GET /version, /info and /events need, assembled from host facts, the daemon
 * configuration, live counts and the EventBus. It satisfies api/server/routes/system.ts's SystemBackend
 * structurally (no import back).
 */
import type { SystemInfo, SystemVersion } from "../../api/types/system.js";
import type { EventBus } from "./events.js";
import type { HostFacts } from "./host-facts.js";
import { buildInfo, type InfoConfig, type InfoCounts, rfc3339Nano } from "./info.js";
import { buildVersion, type VersionInput } from "./version.js";

export interface SystemServiceDeps {
  readonly host: HostFacts;
  readonly info: InfoConfig;
  readonly version: Omit<VersionInput, "kernelVersion" | "arch">;
  readonly events: EventBus;
  /** Object counts for /info, from the container and image services. */
  counts(): Promise<InfoCounts>;
  /** Host warnings shown by `docker info` (e.g. "WARNING: bridge-nf-call-iptables is disabled"). */
  warnings?(): readonly string[];
  /** Wall clock in Unix nanoseconds. */
  readonly now?: () => bigint;
}

export interface SystemService {
  version(): SystemVersion;
  info(): Promise<SystemInfo>;
  readonly events: EventBus;
}

export function createSystemService(deps: SystemServiceDeps): SystemService {
  const now = deps.now ?? (() => BigInt(Date.now()) * 1_000_000n);
  const version = buildVersion({
    ...deps.version,
    kernelVersion: deps.host.kernelVersion,
    arch: deps.host.goArch,
  });
  return {
    version: () => version,
    info: async () =>
      buildInfo(deps.host, deps.info, {
        counts: await deps.counts(),
        eventListeners: deps.events.listenerCount,
        systemTime: rfc3339Nano(now()),
        warnings: deps.warnings?.(),
      }),
    events: deps.events,
  };
}
