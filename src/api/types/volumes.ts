/**
 * Engine API wire types for volumes: GET /volumes, POST /volumes/create, GET|DELETE /volumes/{name},
 * POST /volumes/prune (swagger definitions Volume, VolumeCreateRequest, VolumeListResponse). (pure)
 */

export interface Volume {
  Name: string;
  Driver: string;
  Mountpoint: string;
  /** RFC 3339, seconds precision (Go's time.RFC3339). */
  CreatedAt?: string;
  Status?: Record<string, unknown>;
  Labels: Record<string, string> | null;
  Scope: "local" | "global";
  Options: Record<string, string> | null;
  /** Only in GET /system/df. */
  UsageData?: { Size: number; RefCount: number } | null;
}

export interface VolumeCreateRequest {
  Name?: string;
  Driver?: string;
  DriverOpts?: Record<string, string> | null;
  Labels?: Record<string, string> | null;
}

export interface VolumeListResponse {
  Volumes: Volume[] | null;
  Warnings: string[] | null;
}

export interface VolumePruneReport {
  VolumesDeleted: string[] | null;
  SpaceReclaimed: number;
}
