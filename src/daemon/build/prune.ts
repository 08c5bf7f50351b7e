/**
 * `docker builder prune` (POST /build/prune) for berth's build cache: the step records, the
 * intermediate images only they keep (untagged, used by no container and no other image), the
 * RUN --mount=type=cache directories and the kept build contexts.
 *
 *   default   records whose image is no longer part of any tagged image (nor a base of one)
 *   all       every record
 *   until     only records (and cache directories) older than the time
 *   keep-storage / reserved-space   stop once what remains takes at most this many bytes
 */
import type { BuildCache, CacheRecord } from "../../builder/cache/index.js";
import { docOps } from "../../image/store.js";
import type { Digest } from "../../lib/digest.js";
import { invalidArgument } from "../../lib/errors.js";
import { parseTime } from "../filter-values.js";
import type { ImageDeps } from "../images/deps.js";
import { collectGarbage } from "../images/gc.js";
import type { Filters } from "../images/list.js";
import type { CacheMounts } from "./cache-mounts.js";
import type { ContextSlots } from "./context-slots.js";

export interface BuildPruneOptions {
  all: boolean;
  filters: Filters;
  /** Bytes of cache to keep (0: no limit). */
  keepStorage: number;
}

/** Directories the builder keeps besides the records: removed when not in use (not with until). */
export interface KeptBuildDirs {
  mounts: CacheMounts;
  contexts?: ContextSlots;
}

export interface BuildPruneReport {
  CachesDeleted: string[] | null;
  SpaceReclaimed: number;
}

/** Images that tagged images are made of (their parent chains), and images containers use. */
function liveImages(images: ImageDeps): Set<string> {
  const live = new Set<string>();
  for (const img of images.store.list()) {
    if (images.store.tagsOf(img.id).length === 0 && images.containersUsing(img.id).length === 0) continue;
    for (let id: Digest | undefined = img.id; id && !live.has(id); id = images.store.get(id)?.parent)
      live.add(id);
  }
  return live;
}

function imageSize(images: ImageDeps, id: string): number {
  const rec = images.store.get(id as Digest);
  const top = rec?.chain.at(-1);
  return top ? (images.store.layer(top)?.blob.size ?? 0) : 0;
}

export async function pruneBuildCache(
  images: ImageDeps,
  cache: BuildCache,
  o: BuildPruneOptions,
  { mounts, contexts }: KeptBuildDirs,
): Promise<BuildPruneReport> {
  for (const k of Object.keys(o.filters)) {
    if (!["until", "unused-for", "type", "id"].includes(k)) throw invalidArgument(`invalid filter '${k}'`);
  }
  const until = [...(o.filters.until ?? []), ...(o.filters["unused-for"] ?? [])].map((u) => parseTime(u));
  const old = (created: string) => until.every((t) => Date.parse(created) < t);
  return images.writeLock.run(async () => {
    const live = liveImages(images);
    let candidates: CacheRecord[] = cache.all().filter((r) => old(r.created));
    if (!o.all) candidates = candidates.filter((r) => !live.has(r.imageId));
    if (o.keepStorage > 0) {
      let total = cache.all().reduce((n, r) => n + imageSize(images, r.imageId), 0);
      const keep: CacheRecord[] = [];
      for (const r of candidates) {
        if (total <= o.keepStorage) break;
        total -= imageSize(images, r.imageId);
        keep.push(r);
      }
      candidates = keep;
    }
    const deleted: string[] = [];
    const gone = new Set(candidates.map((r) => r.key));
    const stillReferenced = new Set(
      cache
        .all()
        .filter((r) => !gone.has(r.key))
        .map((r) => r.imageId),
    );
    const removable = candidates
      .map((r) => r.imageId as Digest)
      .filter((id) => images.store.get(id) && !live.has(id) && !stillReferenced.has(id));
    for (const r of candidates) {
      await cache.remove(r.key);
      deleted.push(r.key.replace(/^sha256:/, ""));
    }
    // Children first: an image that is still some image's parent stays until its child is gone.
    let left = [...new Set(removable)];
    for (let round = 0; round < 1000 && left.length > 0; round++) {
      const now = new Set(
        images.store
          .list()
          .map((i) => i.parent)
          .filter((p) => p !== undefined),
      );
      const leaves = left.filter((id) => !now.has(id));
      if (leaves.length === 0) break;
      await images.store.update((doc) => {
        for (const id of leaves) docOps.removeImage(doc, id);
      });
      left = left.filter((id) => !leaves.includes(id));
    }
    let reclaimed = await collectGarbage(images);
    if (until.length === 0 && !mounts.busy) {
      const freed = await mounts.prune();
      if (freed > 0) deleted.push("cache-mounts");
      reclaimed += freed;
    }
    if (until.length === 0 && contexts) {
      const freed = await contexts.prune();
      if (freed > 0) deleted.push("build-contexts");
      reclaimed += freed;
    }
    return { CachesDeleted: deleted.length ? deleted : null, SpaceReclaimed: reclaimed };
  });
}
