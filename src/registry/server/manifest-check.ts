/**
 * What the registry checks in a pushed manifest before storing it, and the facts it keeps about it:
 * which media type to serve it as, which blobs and child manifests must already be in the repository,
 * and the subject/artifactType/annotations the referrers API lists. Docker v2 schema 2 manifests and
 * manifest lists, OCI image manifests and indexes are accepted; schema 1, other JSON and documents
 * over MANIFEST_MAX bytes are refused. (pure)
 */
import { BerthError } from "../../lib/errors.js";
import type { Descriptor } from "../../oci/descriptor.js";
import { parseIndex } from "../../oci/image-index.js";
import { parseManifest } from "../../oci/manifest.js";
import {
  baseMediaType,
  DOCKER_MANIFEST_V1,
  DOCKER_MANIFEST_V1_SIGNED,
  isIndexMediaType,
  isManifestMediaType,
  OCI_INDEX,
  OCI_MANIFEST,
} from "../../oci/media-types.js";
import { manifestInvalid, sizeInvalid } from "./errors.js";

/** The spec asks registries to take manifests of at least 4 MiB; larger ones get 413. */
export const MANIFEST_MAX = 4 * 1024 * 1024;

export interface ManifestFacts {
  /** The Content-Type it is served with: the pushed one, else its own mediaType, else by shape. */
  mediaType: string;
  kind: "manifest" | "index";
  /** Config and layers that must be blobs of the repository (layers fetched from `urls` excepted). */
  blobs: Descriptor[];
  /** Index entries that must be manifests of the repository. */
  manifests: Descriptor[];
  subject?: Descriptor;
  /** For the referrers API: artifactType, else (image manifests) the config's media type. */
  artifactType?: string;
  annotations?: Record<string, string>;
}

export function checkManifest(bytes: Uint8Array, contentType: string | undefined): ManifestFacts {
  if (bytes.length > MANIFEST_MAX) {
    throw sizeInvalid(`manifest is ${bytes.length} bytes; this registry takes at most ${MANIFEST_MAX}`, 413);
  }
  if (bytes.length === 0) throw manifestInvalid("manifest is empty");
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (err) {
    throw manifestInvalid(`manifest is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw manifestInvalid("manifest must be a JSON object");
  }
  const o = doc as Record<string, unknown>;
  const ct = contentType === undefined ? undefined : baseMediaType(contentType);
  const own = typeof o.mediaType === "string" ? baseMediaType(o.mediaType) : undefined;
  if (o.schemaVersion === 1 || isSchema1(ct) || isSchema1(own)) {
    throw manifestInvalid("Docker image manifest schema 1 is not supported; push schema 2 or OCI");
  }
  const known = (t: string | undefined): t is string =>
    t !== undefined && (isManifestMediaType(t) || isIndexMediaType(t));
  if (known(ct) && own !== undefined && own !== ct) {
    throw manifestInvalid(`Content-Type "${ct}" does not match the manifest's mediaType "${own}"`);
  }
  const isIndex = known(ct)
    ? isIndexMediaType(ct)
    : known(own)
      ? isIndexMediaType(own)
      : o.manifests !== undefined && o.config === undefined;
  const mediaType = known(ct) ? ct : known(own) ? own : isIndex ? OCI_INDEX : OCI_MANIFEST;
  try {
    return isIndex ? indexFacts(bytes, mediaType) : manifestFacts(bytes, mediaType);
  } catch (err) {
    if (err instanceof BerthError && err.kind === "invalid-argument") throw manifestInvalid(err.message);
    throw err;
  }
}

function manifestFacts(bytes: Uint8Array, mediaType: string): ManifestFacts {
  const m = parseManifest(bytes);
  const facts: ManifestFacts = {
    mediaType,
    kind: "manifest",
    blobs: [m.config, ...m.layers.filter((l) => !l.urls?.length)],
    manifests: [],
    artifactType: m.artifactType || m.config.mediaType,
  };
  if (m.subject) facts.subject = m.subject;
  if (m.annotations) facts.annotations = m.annotations;
  return facts;
}

function indexFacts(bytes: Uint8Array, mediaType: string): ManifestFacts {
  const index = parseIndex(bytes);
  const isChild = (d: Descriptor) => isManifestMediaType(d.mediaType) || isIndexMediaType(d.mediaType);
  const facts: ManifestFacts = {
    mediaType,
    kind: "index",
    blobs: index.manifests.filter((d) => !isChild(d)),
    manifests: index.manifests.filter(isChild),
  };
  if (index.artifactType) facts.artifactType = index.artifactType;
  if (index.subject) facts.subject = index.subject;
  if (index.annotations) facts.annotations = index.annotations;
  return facts;
}

function isSchema1(mt: string | undefined): boolean {
  return mt === DOCKER_MANIFEST_V1 || mt === DOCKER_MANIFEST_V1_SIGNED;
}
