import { docOps, type ImageRecord, type LayerRecord } from "../../image/store.js";
import { unpackLayers } from "../../image/unpack.js";
import type { Digest } from "../../lib/digest.js";
import { invalidArgument } from "../../lib/errors.js";
import type { Descriptor } from "../../oci/descriptor.js";
import { parseImageConfig } from "../../oci/image-config.js";
import { OCI_CONFIG, OCI_MANIFEST } from "../../oci/media-types.js";
import { formatReference, type Reference } from "../../oci/reference.js";
import type { ImageDeps } from "./deps.js";

export interface NewImage {
  config: Buffer;
  /** Layer blobs already in the content store, bottom first. */
  layers: Descriptor[];
  /** The manifest as received; when absent an OCI manifest is written. */
  manifest?: { bytes: Buffer; mediaType: string };
  names: Reference[];
  repoDigests?: string[];
  parent?: Digest;
  /** Layers the caller already unpacked (a pull unpacks while it downloads), by chain id. */
  unpacked?: ReadonlyMap<Digest, LayerRecord>;
}

export interface CommittedImage {
  image: ImageRecord;
  /** Full references that moved to this image from another one. */
  retagged: { ref: string; previous: Digest }[];
}

/**
 * Stores a new image: config and manifest blobs, unpacked layer snapshots, then — last, in one
 * atomic write — the index entry and its tags. Callers hold deps.writeLock.
 */
export async function commitImage(deps: ImageDeps, img: NewImage): Promise<CommittedImage> {
  const config = parseImageConfig(img.config);
  const { digest: id } = await deps.content.put(img.config);
  deps.configCache.set(id, config);
  const layerRecords = await unpackLayers(
    {
      content: deps.content,
      snapshots: deps.snapshots,
      layer: (c) => deps.store.layer(c) ?? img.unpacked?.get(c),
    },
    img.layers,
    config.rootfs.diff_ids,
  );
  const manifestBytes =
    img.manifest?.bytes ??
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { mediaType: OCI_CONFIG, digest: id, size: img.config.length },
        layers: img.layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
      }),
    );
  const manifestInfo = await deps.content.put(manifestBytes);
  const manifest: Descriptor = {
    mediaType: img.manifest?.mediaType ?? OCI_MANIFEST,
    digest: manifestInfo.digest,
    size: manifestInfo.size,
  };
  const now = new Date().toISOString();
  const record: ImageRecord = {
    id,
    manifest,
    chain: layerRecords.map((l) => l.chainId),
    repoDigests: img.repoDigests ?? [],
    addedAt: now,
    ...(img.parent ? { parent: img.parent } : {}),
  };
  return deps.store.update((doc) => {
    docOps.putImage(doc, record, layerRecords);
    const retagged: CommittedImage["retagged"] = [];
    for (const name of img.names) {
      if (name.digest) throw invalidArgument(`cannot tag with a digest reference: ${formatReference(name)}`);
      const ref = formatReference(name);
      const previous = docOps.setTag(doc, ref, id);
      if (previous) retagged.push({ ref, previous });
    }
    return { image: doc.images[id]!, retagged };
  });
}
