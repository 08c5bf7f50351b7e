import { docOps } from "../../image/store.js";
import type { Digest } from "../../lib/digest.js";
import { log } from "../../lib/log.js";
import type { ImageDeps } from "./deps.js";

/**
 * Removes what no image refers to any more: layer records, their snapshots, and blobs.
 * Callers hold deps.writeLock. Returns the bytes of layer content freed.
 */
export async function collectGarbage(deps: ImageDeps): Promise<number> {
  const dropped = await deps.store.update((doc) => docOps.pruneLayers(doc));
  // Children before parents: the snapshotter refuses to remove a parent that still has children.
  const depth = (chainId: Digest): number => {
    let n = 0;
    let l = dropped.find((d) => d.chainId === chainId);
    while (l?.parent) {
      n++;
      const p: Digest = l.parent;
      l = dropped.find((d) => d.chainId === p);
    }
    return n;
  };
  let freed = 0;
  for (const layer of [...dropped].sort((a, b) => depth(b.chainId) - depth(a.chainId))) {
    try {
      await deps.snapshots.remove(layer.chainId);
      freed += layer.size;
    } catch (err) {
      log.warn("gc: could not remove snapshot", { chain: layer.chainId, err: String(err) });
    }
  }
  await sweepBlobs(deps);
  return freed;
}

async function sweepBlobs(deps: ImageDeps): Promise<void> {
  const live = new Set<string>();
  for (const img of deps.store.list()) {
    live.add(img.id);
    live.add(img.manifest.digest);
  }
  for (const l of deps.store.layers()) live.add(l.blob.digest);
  for (const d of deps.pinned?.keys() ?? []) live.add(d);
  for (const digest of await deps.content.list()) {
    if (!live.has(digest)) {
      await deps.content.delete(digest);
      deps.configCache.delete(digest);
    }
  }
}
