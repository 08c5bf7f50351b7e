import { randomBytes } from "node:crypto";
import type { Readable } from "node:stream";
import type { ContentStore } from "../content/store.js";
import type { Digest } from "../lib/digest.js";
import { invalidArgument, wrap } from "../lib/errors.js";
import type { Descriptor } from "../oci/descriptor.js";
import type { Snapshotter } from "../snapshot/snapshotter.js";
import { decompressStream } from "./archive/compression.js";
import { applyLayer } from "./archive/extract.js";
import { chainIds } from "./chain-id.js";
import type { LayerRecord } from "./store.js";

export interface UnpackDeps {
  content: ContentStore;
  snapshots: Snapshotter;
  /** Existing layer records, by chain id: those layers are already unpacked. */
  layer(chainId: Digest): LayerRecord | undefined;
}

/**
 * Makes sure every layer of an image exists as a committed snapshot named by its chain id.
 * Each layer is decompressed, hashed and extracted in one pass; a diff id that does not match the
 * image config aborts the layer and removes its half-made snapshot.
 */
export async function unpackLayers(
  deps: UnpackDeps,
  blobs: readonly Descriptor[],
  diffIds: readonly Digest[],
): Promise<LayerRecord[]> {
  if (blobs.length !== diffIds.length) {
    throw invalidArgument(
      `image config lists ${diffIds.length} layers (rootfs.diff_ids) but the manifest has ${blobs.length}`,
    );
  }
  const chain = chainIds(diffIds);
  const records: LayerRecord[] = [];
  for (const [i, blob] of blobs.entries()) {
    const chainId = chain[i]!;
    const parent = i > 0 ? chain[i - 1] : undefined;
    const known = deps.layer(chainId);
    if (await deps.snapshots.stat(chainId).catch(() => undefined)) {
      // A committed snapshot is complete; without a record it was made in place (a build step
      // commits its scratch snapshot instead of extracting the layer it wrote from it again).
      const size = known ? known.size : (await deps.snapshots.usage(chainId)).size;
      records.push(known ?? { chainId, diffId: diffIds[i]!, parent, blob, size, diffSize: blob.size });
      continue;
    }
    const diffId = diffIds[i]!;
    const { size, diffSize } = await extractInto(deps, blob, diffId, chainId, parent).catch((err) => {
      throw wrap(err, `layer ${i + 1} (${diffId.slice(7, 19)})`);
    });
    records.push({ chainId, diffId, parent, blob, size, diffSize });
  }
  return records;
}

async function extractInto(
  deps: UnpackDeps,
  blob: Descriptor,
  diffId: Digest,
  chainId: Digest,
  parent: Digest | undefined,
): Promise<{ size: number; diffSize: number }> {
  const key = `extract-${randomBytes(6).toString("hex")}`;
  await deps.snapshots.prepare(key, parent);
  try {
    const layer = await applyLayer(
      await decompressStream(deps.content.readStream(blob.digest)),
      deps.snapshots.dir(key),
    );
    if (layer.diffId !== diffId) {
      throw invalidArgument(
        `layer content does not match its diff id: expected ${diffId}, got ${layer.diffId}`,
      );
    }
    await deps.snapshots.commit(chainId, key);
    return { size: layer.size, diffSize: layer.tarSize };
  } catch (err) {
    await deps.snapshots.remove(key).catch(() => {});
    throw err;
  }
}

export interface IngestedLayer {
  /** The snapshotter ingest holding the layer's own changes; commit it with commitIngest. */
  ingest: string;
  size: number;
  diffSize: number;
}

/**
 * Decompresses and extracts one layer blob (a stream: from the store, or a download as it
 * arrives) into a fresh snapshotter ingest, checking its diff id. Needs no parent: an overlay
 * layer's directory holds only its own changes, whiteouts included. On failure the ingest is
 * removed and nothing is left.
 */
export async function extractToIngest(
  snapshots: Snapshotter,
  blob: Readable,
  diffId: Digest,
): Promise<IngestedLayer> {
  const ingest = await snapshots.prepareIngest();
  try {
    const layer = await applyLayer(await decompressStream(blob), snapshots.ingestDir(ingest));
    if (layer.diffId !== diffId) {
      throw invalidArgument(
        `layer content does not match its diff id: expected ${diffId}, got ${layer.diffId}`,
      );
    }
    return { ingest, size: layer.size, diffSize: layer.tarSize };
  } catch (err) {
    blob.destroy();
    await snapshots.abortIngest(ingest).catch(() => {});
    throw err;
  }
}
