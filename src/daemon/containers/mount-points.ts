/**
 * A container's mounts as stored in its record (Docker's MountPoints), and the two views made from
 * them: the MountPoint list of inspect and ps, and the OCI spec mounts. (pure)
 */
import type { MountPoint } from "../../api/types/containers.js";
import { mergeTmpfsOptions } from "../../runtime/spec/mounts.js";
import type { SpecMount } from "../../runtime/spec/spec-input.js";

export interface MountPointRecord {
  type: "bind" | "volume" | "tmpfs";
  destination: string;
  /** bind: the host path; volume: the volume's data directory; tmpfs: "". */
  source: string;
  /** Volume name and driver. */
  name?: string;
  driver?: string;
  rw: boolean;
  /** Docker's Mode: as given in Binds ("ro", "rw,rslave"), "z" for local volumes given without one. */
  mode: string;
  propagation: string;
  /** A bind from -v: its host directory is created at start when missing. */
  createSource?: boolean;
  /** Copy the image's content into the volume at the next start, when the volume is empty. */
  copyData?: boolean;
  /** A volume made for this container alone (no name given): rm -v and --rm remove it. */
  anonymous?: boolean;
  nonRecursive?: boolean;
  /** tmpfs data options. */
  tmpfsOptions?: string[];
}

/** The inspect/ps view, field for field as Docker's types.MountPoint. */
export function toMountPoint(m: MountPointRecord): MountPoint {
  return {
    Type: m.type,
    ...(m.name ? { Name: m.name } : {}),
    Source: m.source,
    Destination: m.destination,
    ...(m.driver ? { Driver: m.driver } : {}),
    Mode: m.mode,
    RW: m.rw,
    Propagation: m.propagation,
  };
}

export function mountPointsOf(mounts: readonly MountPointRecord[] | undefined): MountPoint[] {
  return (mounts ?? []).map(toMountPoint);
}

/**
 * The spec mount of one mount point, `source` being the host path to bind (a volume's mounted
 * path): binds and volumes are rbind (bind for non-recursive), propagation rprivate unless asked,
 * ro when read-only; tmpfs gets Docker's noexec,nosuid,nodev before the user's options.
 */
export function specMountOf(m: MountPointRecord, source: string): SpecMount {
  if (m.type === "tmpfs") {
    const options = [
      "noexec",
      "nosuid",
      "nodev",
      "rprivate",
      ...(m.rw ? [] : ["ro"]),
      ...(m.tmpfsOptions ?? []),
    ];
    return {
      destination: m.destination,
      type: "tmpfs",
      source: "tmpfs",
      options: mergeTmpfsOptions(options),
    };
  }
  const options = [m.nonRecursive ? "bind" : "rbind", m.propagation || "rprivate"];
  if (!m.rw) options.push("ro");
  return { destination: m.destination, type: "bind", source, options };
}

/** Whether the container's mounts reference the volume (ps --filter volume=, volume in use). */
export function usesVolume(mounts: readonly MountPointRecord[] | undefined, name: string): boolean {
  return (mounts ?? []).some((m) => m.type === "volume" && m.name === name);
}
