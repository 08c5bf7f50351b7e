import type { ContentStore } from "../../content/store.js";
import type { ImageStore } from "../../image/store.js";
import type { Digest } from "../../lib/digest.js";
import type { Mutex } from "../../lib/lock.js";
import type { ImageConfig } from "../../oci/image-config.js";
import { parseImageConfig } from "../../oci/image-config.js";
import type { Snapshotter } from "../../snapshot/snapshotter.js";
import type { RegistryDeps } from "./registry.js";

export interface ImageEvent {
  Type: "image";
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
}

/** What the image use cases need; daemon.ts builds it. */
export interface ImageDeps {
  content: ContentStore;
  snapshots: Snapshotter;
  store: ImageStore;
  /** Scratch space on the same filesystem as the store (archives are unpacked here). */
  tmpDir: string;
  /** Serialises everything that adds or removes images, so garbage collection never races a load. */
  writeLock: Mutex;
  publish(event: ImageEvent): void;
  /** Containers created from an image (by image id); empty until containers exist. */
  containersUsing(imageId: Digest): { id: string; running: boolean }[];
  configCache: Map<Digest, ImageConfig>;
  /** Registry settings for pull, push and login; without them registries are refused. */
  registry?: RegistryDeps;
  /** Blobs that pulls in flight have stored but no image refers to yet: garbage collection keeps them. */
  pinned?: Map<Digest, number>;
}

/** Image configs are immutable, so they are parsed once and kept. */
export async function imageConfig(deps: ImageDeps, id: Digest): Promise<ImageConfig> {
  const hit = deps.configCache.get(id);
  if (hit) return hit;
  const cfg = parseImageConfig(await deps.content.readBytes(id));
  deps.configCache.set(id, cfg);
  return cfg;
}

export function imageSize(deps: ImageDeps, chain: readonly Digest[]): number {
  let size = 0;
  for (const c of chain) size += deps.store.layer(c)?.size ?? 0;
  return size;
}
