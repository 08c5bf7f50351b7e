/**
 * Media types of the OCI image spec and their Docker (image manifest v2 schema 2) counterparts.
 * Helpers accept values with parameters ("…+json; charset=utf-8"), as seen in Content-Type headers.
 */
import { invalidArgument } from "../lib/errors.js";

// OCI image spec v1.1
export const OCI_DESCRIPTOR = "application/vnd.oci.descriptor.v1+json";
export const OCI_LAYOUT_HEADER = "application/vnd.oci.layout.header.v1+json";
export const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
export const OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
export const OCI_EMPTY = "application/vnd.oci.empty.v1+json";
export const OCI_LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
export const OCI_LAYER_TAR_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
export const OCI_LAYER_TAR_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
/** Deprecated by the spec ("SHOULD NOT be produced") but still read. */
export const OCI_LAYER_NONDISTRIBUTABLE_TAR = "application/vnd.oci.image.layer.nondistributable.v1.tar";
export const OCI_LAYER_NONDISTRIBUTABLE_TAR_GZIP =
  "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
export const OCI_LAYER_NONDISTRIBUTABLE_TAR_ZSTD =
  "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";

// Docker image manifest v2, schema 2
export const DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
export const DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
export const DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
export const DOCKER_LAYER_TAR = "application/vnd.docker.image.rootfs.diff.tar";
export const DOCKER_LAYER_TAR_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
/** Not in Docker's spec; written by containerd/BuildKit for zstd layers in Docker manifests. */
export const DOCKER_LAYER_TAR_ZSTD = "application/vnd.docker.image.rootfs.diff.tar.zstd";
/** Foreign layers (Windows base layers): fetched from `urls`, never pushed. */
export const DOCKER_FOREIGN_LAYER_TAR = "application/vnd.docker.image.rootfs.foreign.diff.tar";
export const DOCKER_FOREIGN_LAYER_TAR_GZIP = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
/** Schema 1 (signed) manifests; recognised only to refuse them clearly. */
export const DOCKER_MANIFEST_V1 = "application/vnd.docker.distribution.manifest.v1+json";
export const DOCKER_MANIFEST_V1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";

export type LayerCompression = "gzip" | "zstd" | "none";

const LAYERS: ReadonlyMap<string, LayerCompression> = new Map<string, LayerCompression>([
  [OCI_LAYER_TAR, "none"],
  [OCI_LAYER_TAR_GZIP, "gzip"],
  [OCI_LAYER_TAR_ZSTD, "zstd"],
  [OCI_LAYER_NONDISTRIBUTABLE_TAR, "none"],
  [OCI_LAYER_NONDISTRIBUTABLE_TAR_GZIP, "gzip"],
  [OCI_LAYER_NONDISTRIBUTABLE_TAR_ZSTD, "zstd"],
  [DOCKER_LAYER_TAR, "none"],
  [DOCKER_LAYER_TAR_GZIP, "gzip"],
  [DOCKER_LAYER_TAR_ZSTD, "zstd"],
  [DOCKER_FOREIGN_LAYER_TAR, "none"],
  [DOCKER_FOREIGN_LAYER_TAR_GZIP, "gzip"],
]);

/** Strips parameters and whitespace and lowercases: "A/B+json; charset=utf-8" → "a/b+json". */
export function baseMediaType(mediaType: string): string {
  const semi = mediaType.indexOf(";");
  return (semi === -1 ? mediaType : mediaType.slice(0, semi)).trim().toLowerCase();
}

export function isIndexMediaType(mediaType: string): boolean {
  const mt = baseMediaType(mediaType);
  return mt === OCI_INDEX || mt === DOCKER_MANIFEST_LIST;
}

export function isManifestMediaType(mediaType: string): boolean {
  const mt = baseMediaType(mediaType);
  return mt === OCI_MANIFEST || mt === DOCKER_MANIFEST;
}

export function isConfigMediaType(mediaType: string): boolean {
  const mt = baseMediaType(mediaType);
  return mt === OCI_CONFIG || mt === DOCKER_CONFIG;
}

/** Layer tars of any compression, including non-distributable and foreign layers. */
export function isLayerMediaType(mediaType: string): boolean {
  return LAYERS.has(baseMediaType(mediaType));
}

/** Layers that registries must not receive on push (fetched from `urls` instead). */
export function isNonDistributableLayer(mediaType: string): boolean {
  const mt = baseMediaType(mediaType);
  return mt.startsWith("application/vnd.oci.image.layer.nondistributable.") || mt.includes(".foreign.");
}

/** Compression of a layer media type; throws invalidArgument for media types that are not layers. */
export function layerCompression(mediaType: string): LayerCompression {
  const c = LAYERS.get(baseMediaType(mediaType));
  if (c === undefined) throw invalidArgument(`unsupported layer media type "${mediaType}"`);
  return c;
}
