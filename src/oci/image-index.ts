/**
 * Image indexes (OCI image index, Docker manifest list): descriptors of per-platform manifests.
 * See specs/oci-image-spec/image-index.md.
 */

import { checker, decodeJson, isObject } from "./_validate.js";
import type { Descriptor } from "./descriptor.js";
import { checkDescriptor } from "./descriptor.js";
import type { Manifest } from "./manifest.js";
import { parseManifest } from "./manifest.js";
import { isIndexMediaType, isManifestMediaType } from "./media-types.js";
import type { PlatformSpec } from "./platform.js";
import { platformRank } from "./platform.js";

export interface ImageIndex {
  schemaVersion: 2;
  /** OCI_INDEX or DOCKER_MANIFEST_LIST; optional in OCI, required by Docker. */
  mediaType?: string;
  artifactType?: string;
  manifests: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

const WHAT = "image index";

/** Parses and validates index JSON; throws invalidArgument naming the offending field. */
export function parseIndex(bytes: Uint8Array | string): ImageIndex {
  const c = checker(WHAT);
  const o = c.object(decodeJson(bytes, WHAT), "document");
  if (o.schemaVersion !== 2) throw c.fail(`schemaVersion must be 2, got ${JSON.stringify(o.schemaVersion)}`);
  const mediaType = c.optString(o.mediaType, "mediaType");
  if (mediaType !== undefined && isManifestMediaType(mediaType)) {
    throw c.fail(`expected an image index, got an image manifest (mediaType "${mediaType}")`);
  }
  if (mediaType !== undefined && !isIndexMediaType(mediaType)) {
    throw c.fail(`unexpected mediaType "${mediaType}"`);
  }
  if (o.manifests === undefined && o.config !== undefined) {
    throw c.fail("expected an image index, got an image manifest (it has a config but no manifests)");
  }
  const index: ImageIndex = {
    schemaVersion: 2,
    manifests: c.array(o.manifests, "manifests").map((m, i) => checkDescriptor(c, m, `manifests[${i}]`)),
  };
  if (mediaType !== undefined) index.mediaType = mediaType;
  const artifactType = c.optString(o.artifactType, "artifactType");
  if (artifactType !== undefined) index.artifactType = artifactType;
  if (o.subject !== undefined && o.subject !== null) index.subject = checkDescriptor(c, o.subject, "subject");
  const annotations = c.optStringMap(o.annotations, "annotations");
  if (annotations !== undefined) index.annotations = annotations;
  return index;
}

export type ManifestOrIndex = { kind: "manifest"; manifest: Manifest } | { kind: "index"; index: ImageIndex };

/**
 * Parses a document that may be either (a registry response, a blob named by a tag). The decision uses
 * `mediaType` (the Content-Type header) when it names one of the four types, else the document's own
 * mediaType field, else its shape (`manifests` → index).
 */
export function parseManifestOrIndex(bytes: Uint8Array | string, mediaType?: string): ManifestOrIndex {
  let isIndex: boolean;
  if (mediaType !== undefined && (isIndexMediaType(mediaType) || isManifestMediaType(mediaType))) {
    isIndex = isIndexMediaType(mediaType);
  } else {
    const doc = decodeJson(bytes, "image manifest or index");
    const own = isObject(doc) && typeof doc.mediaType === "string" ? doc.mediaType : undefined;
    isIndex =
      own !== undefined && (isIndexMediaType(own) || isManifestMediaType(own))
        ? isIndexMediaType(own)
        : isObject(doc) && doc.manifests !== undefined && doc.config === undefined;
  }
  return isIndex
    ? { kind: "index", index: parseIndex(bytes) }
    : { kind: "manifest", manifest: parseManifest(bytes) };
}

/**
 * The index entry to pull for `want`: the manifest whose platform is the best match (exact first, then
 * compatible fallbacks such as arm/v6 for arm/v7 or 386 for amd64), first in index order on ties.
 * Entries without a platform and non-manifest entries (attestations have platform unknown/unknown)
 * never match. Returns undefined when nothing matches.
 */
export function matchPlatform(index: ImageIndex, want: PlatformSpec): Descriptor | undefined {
  let best: Descriptor | undefined;
  let bestRank = Number.POSITIVE_INFINITY;
  for (const d of index.manifests) {
    if (d.platform === undefined) continue;
    if (!isManifestMediaType(d.mediaType) && !isIndexMediaType(d.mediaType)) continue;
    const rank = platformRank(want, d.platform);
    if (rank !== undefined && rank < bestRank) {
      best = d;
      bestRank = rank;
    }
  }
  return best;
}
