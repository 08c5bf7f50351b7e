/**
 * GET /system/df in the shape of API versions up to 1.51 (what `docker system df` reads): every
 * image, container and volume with its size. (pure)
 */
import type { ContainerSummary } from "./containers.js";
import type { ImageSummary } from "./images.js";
import type { Volume } from "./volumes.js";

export interface BuildCacheRecord {
  ID: string;
  Type: string;
  Description: string;
  InUse: boolean;
  Shared: boolean;
  Size: number;
  CreatedAt: string;
  LastUsedAt: string | null;
  UsageCount: number;
}

export interface DiskUsage {
  /** Bytes of all image layers, each counted once. */
  LayersSize: number;
  Images: ImageSummary[];
  Containers: ContainerSummary[];
  Volumes: Volume[];
  BuildCache: BuildCacheRecord[];
}

/** The `type` query values: which parts to compute. */
export type DiskUsageObject = "container" | "image" | "volume" | "build-cache";
