import type { ContainerConfig, ContainerState, HealthLog, HostConfig } from "../../api/types/containers.js";
import type { StoredEndpoint } from "../networks/manager.js";
import type { MountPointRecord } from "./mount-points.js";
import type { NetworkAttachment } from "./networking.js";

/**
 * A container as berth stores it (schema version 1), in <data-root>/containers/<id>/record.json.
 * Distinct from the wire type (inspect output is derived from it) and from live state (the
 * monitor process, open streams), which is kept in memory by the container service.
 */
export interface ContainerRecord {
  schemaVersion: 1;
  id: string;
  /** Without the leading slash. */
  name: string;
  created: string;
  /** Image id (config digest) and the name it was created from, as given. */
  image: string;
  imageName: string;
  /** The merged config: image defaults with the create request over them (as Docker's inspect shows). */
  config: ContainerConfig;
  hostConfig: HostConfig;
  /** argv[0] and the rest, as resolved from ENTRYPOINT/CMD. */
  path: string;
  args: string[];
  /** Snapshot key of the container's writable layer. */
  snapshotKey: string;
  /** Volumes, binds and tmpfs mounts, resolved at create (absent: none; records before volumes). */
  mountPoints?: MountPointRecord[];
  state: StoredState;
  restartCount: number;
  /** Set when `stop` or `kill` was asked for, so restart policies know the exit was wanted. */
  stoppedByUser: boolean;
  /** Its endpoints (one per network), from its last start (absent: none, host, or not started). */
  endpoints?: StoredEndpoint[];
  /**
   * The networks it joins at start, in order (the first gives eth0 and the default route); absent
   * in records from before user networks: the default bridge for NetworkMode default/bridge.
   */
  networks?: NetworkAttachment[];
  health?: { status: "starting" | "healthy" | "unhealthy"; failingStreak: number; log: HealthLog[] };
}

export interface StoredState {
  status: ContainerState["Status"];
  pid: number;
  conmonPid: number;
  exitCode: number;
  error: string;
  oomKilled: boolean;
  startedAt: string;
  finishedAt: string;
}

export const ZERO_TIME = "0001-01-01T00:00:00Z";

export function initialState(): StoredState {
  return {
    status: "created",
    pid: 0,
    conmonPid: 0,
    exitCode: 0,
    error: "",
    oomKilled: false,
    startedAt: ZERO_TIME,
    finishedAt: ZERO_TIME,
  };
}
