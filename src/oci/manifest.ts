/**
 * Image manifests: one config descriptor plus ordered layer descriptors (OCI image manifest, or its
 * Docker v2 schema 2 twin). See specs/oci-image-spec/manifest.md.
 */

import { checker, decodeJson } from "./_validate.js";
import type { Descriptor } from "./descriptor.js";
import { checkDescriptor } from "./descriptor.js";
import {
  baseMediaType,
  DOCKER_MANIFEST_V1,
  DOCKER_MANIFEST_V1_SIGNED,
  isIndexMediaType,
  isManifestMediaType,
} from "./media-types.js";

export interface Manifest {
  schemaVersion: 2;
  /** OCI_MANIFEST or DOCKER_MANIFEST; optional in OCI, required by Docker. */
  mediaType?: string;
  artifactType?: string;
  config: Descriptor;
  /** Base layer first. */
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

const WHAT = "image manifest";

/**
 * Parses and validates manifest JSON. Throws invalidArgument naming the offending field; an index or
 * a schema 1 manifest is refused with a message saying so. The result holds only known fields.
 */
export function parseManifest(bytes: Uint8Array | string): Manifest {
  const c = checker(WHAT);
  const o = c.object(decodeJson(bytes, WHAT), "document");
  const mediaType = c.optString(o.mediaType, "mediaType");
  if (o.schemaVersion === 1 || (mediaType !== undefined && isSchema1(mediaType))) {
    throw c.fail("Docker image manifest schema 1 is not supported");
  }
  if (o.schemaVersion !== 2) throw c.fail(`schemaVersion must be 2, got ${JSON.stringify(o.schemaVersion)}`);
  if (mediaType !== undefined && isIndexMediaType(mediaType)) {
    throw c.fail(`expected an image manifest, got an image index (mediaType "${mediaType}")`);
  }
  if (mediaType !== undefined && !isManifestMediaType(mediaType)) {
    throw c.fail(`unexpected mediaType "${mediaType}"`);
  }
  if (o.config === undefined && o.manifests !== undefined) {
    throw c.fail("expected an image manifest, got an image index (it has manifests but no config)");
  }
  const m: Manifest = {
    schemaVersion: 2,
    config: checkDescriptor(c, o.config, "config"),
    layers: c.array(o.layers, "layers").map((l, i) => checkDescriptor(c, l, `layers[${i}]`)),
  };
  if (mediaType !== undefined) m.mediaType = mediaType;
  const artifactType = c.optString(o.artifactType, "artifactType");
  if (artifactType !== undefined) m.artifactType = artifactType;
  if (o.subject !== undefined && o.subject !== null) m.subject = checkDescriptor(c, o.subject, "subject");
  const annotations = c.optStringMap(o.annotations, "annotations");
  if (annotations !== undefined) m.annotations = annotations;
  return m;
}

function isSchema1(mediaType: string): boolean {
  const mt = baseMediaType(mediaType);
  return mt === DOCKER_MANIFEST_V1 || mt === DOCKER_MANIFEST_V1_SIGNED;
}
