import assert from "node:assert/strict";
import { test } from "node:test";
import { RegistryError } from "./errors.js";
import { checkManifest, MANIFEST_MAX } from "./manifest-check.js";

const D = (c: string) => `sha256:${c.repeat(64)}`;
const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
const DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
const DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

const enc = (v: unknown) => new TextEncoder().encode(typeof v === "string" ? v : JSON.stringify(v));

const manifest = {
  schemaVersion: 2,
  mediaType: OCI_MANIFEST,
  config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: D("1"), size: 10 },
  layers: [
    { mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: D("2"), size: 20 },
    {
      mediaType: "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
      digest: D("3"),
      size: 30,
      urls: ["https://example.invalid/layer"],
    },
  ],
  subject: { mediaType: OCI_MANIFEST, digest: D("4"), size: 40 },
  annotations: { a: "b" },
};

function code(bytes: Uint8Array, contentType?: string): string {
  try {
    checkManifest(bytes, contentType);
    return "ok";
  } catch (e) {
    assert.ok(e instanceof RegistryError, String(e));
    return `${e.status} ${e.code}`;
  }
}

test("checkManifest lists the blobs an image manifest needs, leaving out layers fetched from urls", () => {
  const f = checkManifest(enc(manifest), OCI_MANIFEST);
  assert.equal(f.kind, "manifest");
  assert.equal(f.mediaType, OCI_MANIFEST);
  assert.deepEqual(
    f.blobs.map((b) => b.digest),
    [D("1"), D("2")],
  );
  assert.deepEqual(f.manifests, []);
  assert.equal(f.subject?.digest, D("4"));
  assert.equal(f.artifactType, "application/vnd.oci.image.config.v1+json");
  assert.deepEqual(f.annotations, { a: "b" });
});

test("checkManifest lists an index's child manifests", () => {
  const index = {
    schemaVersion: 2,
    mediaType: DOCKER_LIST,
    manifests: [
      {
        mediaType: DOCKER_MANIFEST,
        digest: D("5"),
        size: 1,
        platform: { architecture: "amd64", os: "linux" },
      },
      { mediaType: OCI_INDEX, digest: D("6"), size: 2 },
    ],
  };
  const f = checkManifest(enc(index), "application/vnd.docker.distribution.manifest.list.v2+json; charset=x");
  assert.equal(f.kind, "index");
  assert.equal(f.mediaType, DOCKER_LIST);
  assert.deepEqual(
    f.manifests.map((m) => m.digest),
    [D("5"), D("6")],
  );
  assert.deepEqual(f.blobs, []);
});

test("checkManifest takes the type from the document or its shape when Content-Type says nothing", () => {
  const { mediaType: _m, ...bare } = manifest;
  assert.equal(checkManifest(enc(manifest), "application/octet-stream").mediaType, OCI_MANIFEST);
  assert.equal(checkManifest(enc(bare), undefined).mediaType, OCI_MANIFEST);
  assert.equal(checkManifest(enc({ schemaVersion: 2, manifests: [] }), undefined).mediaType, OCI_INDEX);
});

test("checkManifest refuses malformed, mismatched, schema 1 and oversized manifests", () => {
  assert.equal(code(enc("{not json")), "400 MANIFEST_INVALID");
  assert.equal(code(enc("")), "400 MANIFEST_INVALID");
  assert.equal(code(enc("[1,2]")), "400 MANIFEST_INVALID");
  assert.equal(code(enc({ ...manifest, schemaVersion: 3 })), "400 MANIFEST_INVALID");
  assert.equal(code(enc({ ...manifest, layers: [{ digest: "sha256:xyz" }] })), "400 MANIFEST_INVALID");
  assert.equal(code(enc({ ...manifest, config: undefined })), "400 MANIFEST_INVALID");
  assert.equal(code(enc(manifest), DOCKER_MANIFEST), "400 MANIFEST_INVALID");
  assert.equal(code(enc(manifest), OCI_INDEX), "400 MANIFEST_INVALID");
  assert.equal(code(enc({ schemaVersion: 1, name: "x", fsLayers: [] })), "400 MANIFEST_INVALID");
  assert.equal(code(new Uint8Array([0xff, 0xfe, 0x7b, 0x7d])), "400 MANIFEST_INVALID");
  const big = enc({ ...manifest, annotations: { pad: "x".repeat(MANIFEST_MAX) } });
  assert.equal(code(big, OCI_MANIFEST), "413 SIZE_INVALID");
});
