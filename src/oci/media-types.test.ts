import assert from "node:assert/strict";
import { test } from "node:test";
import {
  baseMediaType,
  DOCKER_CONFIG,
  DOCKER_FOREIGN_LAYER_TAR,
  DOCKER_FOREIGN_LAYER_TAR_GZIP,
  DOCKER_LAYER_TAR,
  DOCKER_LAYER_TAR_GZIP,
  DOCKER_LAYER_TAR_ZSTD,
  DOCKER_MANIFEST,
  DOCKER_MANIFEST_LIST,
  isConfigMediaType,
  isIndexMediaType,
  isLayerMediaType,
  isManifestMediaType,
  isNonDistributableLayer,
  layerCompression,
  OCI_CONFIG,
  OCI_EMPTY,
  OCI_INDEX,
  OCI_LAYER_NONDISTRIBUTABLE_TAR_GZIP,
  OCI_LAYER_TAR,
  OCI_LAYER_TAR_GZIP,
  OCI_LAYER_TAR_ZSTD,
  OCI_MANIFEST,
} from "./media-types.js";

test("media type constants match the specs", () => {
  assert.equal(OCI_MANIFEST, "application/vnd.oci.image.manifest.v1+json");
  assert.equal(OCI_INDEX, "application/vnd.oci.image.index.v1+json");
  assert.equal(OCI_CONFIG, "application/vnd.oci.image.config.v1+json");
  assert.equal(OCI_LAYER_TAR_GZIP, "application/vnd.oci.image.layer.v1.tar+gzip");
  assert.equal(DOCKER_MANIFEST, "application/vnd.docker.distribution.manifest.v2+json");
  assert.equal(DOCKER_MANIFEST_LIST, "application/vnd.docker.distribution.manifest.list.v2+json");
  assert.equal(DOCKER_CONFIG, "application/vnd.docker.container.image.v1+json");
  assert.equal(DOCKER_LAYER_TAR_GZIP, "application/vnd.docker.image.rootfs.diff.tar.gzip");
  assert.equal(DOCKER_FOREIGN_LAYER_TAR_GZIP, "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip");
});

test("baseMediaType strips parameters and case", () => {
  assert.equal(baseMediaType(`${OCI_MANIFEST}; charset=utf-8`), OCI_MANIFEST);
  assert.equal(baseMediaType(" Application/VND.OCI.Image.Index.v1+JSON "), OCI_INDEX);
});

test("isIndexMediaType accepts OCI indexes and Docker manifest lists only", () => {
  assert.ok(isIndexMediaType(OCI_INDEX));
  assert.ok(isIndexMediaType(DOCKER_MANIFEST_LIST));
  assert.ok(isIndexMediaType(`${OCI_INDEX};charset=utf-8`));
  assert.ok(!isIndexMediaType(OCI_MANIFEST));
  assert.ok(!isIndexMediaType(DOCKER_MANIFEST));
  assert.ok(!isIndexMediaType(""));
});

test("isManifestMediaType accepts OCI and Docker v2s2 manifests only", () => {
  assert.ok(isManifestMediaType(OCI_MANIFEST));
  assert.ok(isManifestMediaType(DOCKER_MANIFEST));
  assert.ok(!isManifestMediaType(OCI_INDEX));
  assert.ok(!isManifestMediaType("application/vnd.docker.distribution.manifest.v1+prettyjws"));
});

test("isConfigMediaType accepts OCI and Docker configs", () => {
  assert.ok(isConfigMediaType(OCI_CONFIG));
  assert.ok(isConfigMediaType(DOCKER_CONFIG));
  assert.ok(!isConfigMediaType(OCI_EMPTY));
});

test("isLayerMediaType accepts every layer tar variant", () => {
  for (const mt of [
    OCI_LAYER_TAR,
    OCI_LAYER_TAR_GZIP,
    OCI_LAYER_TAR_ZSTD,
    OCI_LAYER_NONDISTRIBUTABLE_TAR_GZIP,
    DOCKER_LAYER_TAR,
    DOCKER_LAYER_TAR_GZIP,
    DOCKER_LAYER_TAR_ZSTD,
    DOCKER_FOREIGN_LAYER_TAR,
    DOCKER_FOREIGN_LAYER_TAR_GZIP,
  ]) {
    assert.ok(isLayerMediaType(mt), mt);
  }
  assert.ok(!isLayerMediaType(OCI_CONFIG));
  assert.ok(!isLayerMediaType("application/octet-stream"));
});

test("isNonDistributableLayer flags foreign and nondistributable layers", () => {
  assert.ok(isNonDistributableLayer(DOCKER_FOREIGN_LAYER_TAR_GZIP));
  assert.ok(isNonDistributableLayer(OCI_LAYER_NONDISTRIBUTABLE_TAR_GZIP));
  assert.ok(!isNonDistributableLayer(OCI_LAYER_TAR_GZIP));
  assert.ok(!isNonDistributableLayer(DOCKER_LAYER_TAR_GZIP));
});

test("layerCompression reads the compression from the media type", () => {
  assert.equal(layerCompression(OCI_LAYER_TAR), "none");
  assert.equal(layerCompression(OCI_LAYER_TAR_GZIP), "gzip");
  assert.equal(layerCompression(OCI_LAYER_TAR_ZSTD), "zstd");
  assert.equal(layerCompression(DOCKER_LAYER_TAR), "none");
  assert.equal(layerCompression(DOCKER_LAYER_TAR_GZIP), "gzip");
  assert.equal(layerCompression(DOCKER_LAYER_TAR_ZSTD), "zstd");
  assert.equal(layerCompression(DOCKER_FOREIGN_LAYER_TAR_GZIP), "gzip");
  assert.equal(layerCompression(OCI_LAYER_NONDISTRIBUTABLE_TAR_GZIP), "gzip");
});

test("layerCompression refuses media types that are not layers", () => {
  assert.throws(() => layerCompression(OCI_CONFIG), {
    name: "BerthError",
    message: `unsupported layer media type "${OCI_CONFIG}"`,
  });
});
