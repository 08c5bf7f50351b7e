import assert from "node:assert/strict";
import { test } from "node:test";
import { parseManifest } from "./manifest.js";
import {
  DOCKER_CONFIG,
  DOCKER_LAYER_TAR_GZIP,
  DOCKER_MANIFEST,
  OCI_CONFIG,
  OCI_LAYER_TAR_GZIP,
  OCI_MANIFEST,
} from "./media-types.js";

const D1 = `sha256:${"1".repeat(64)}`;
const D2 = `sha256:${"2".repeat(64)}`;
const D3 = `sha256:${"3".repeat(64)}`;

const dockerManifest = {
  schemaVersion: 2,
  mediaType: DOCKER_MANIFEST,
  config: { mediaType: DOCKER_CONFIG, size: 1469, digest: D1 },
  layers: [
    { mediaType: DOCKER_LAYER_TAR_GZIP, size: 3623807, digest: D2 },
    { mediaType: DOCKER_LAYER_TAR_GZIP, size: 12, digest: D3 },
  ],
};

const ociManifest = {
  schemaVersion: 2,
  mediaType: OCI_MANIFEST,
  config: { mediaType: OCI_CONFIG, digest: D1, size: 7023 },
  layers: [{ mediaType: OCI_LAYER_TAR_GZIP, digest: D2, size: 32654, annotations: { "x.y": "z" } }],
  subject: { mediaType: OCI_MANIFEST, digest: D3, size: 7682 },
  annotations: { "com.example.key1": "value1" },
  extra: "dropped",
};

function rejects(doc: unknown, message: string | RegExp) {
  const bytes = typeof doc === "string" ? doc : JSON.stringify(doc);
  assert.throws(
    () => parseManifest(new TextEncoder().encode(bytes)),
    (err: unknown) => {
      assert.ok(err instanceof Error && err.name === "BerthError");
      assert.equal((err as { kind?: string }).kind, "invalid-argument");
      if (typeof message === "string") assert.equal(err.message, message);
      else assert.match(err.message, message);
      return true;
    },
  );
}

test("parseManifest reads a Docker v2 schema 2 manifest", () => {
  const m = parseManifest(new TextEncoder().encode(JSON.stringify(dockerManifest)));
  assert.deepEqual(m, dockerManifest);
});

test("parseManifest reads an OCI manifest and keeps only known fields", () => {
  const { extra: _extra, ...expected } = ociManifest;
  assert.deepEqual(parseManifest(JSON.stringify(ociManifest)), expected);
});

test("parseManifest accepts a manifest without mediaType and with no layers", () => {
  const m = parseManifest(JSON.stringify({ schemaVersion: 2, config: dockerManifest.config, layers: [] }));
  assert.equal(m.mediaType, undefined);
  assert.deepEqual(m.layers, []);
});

test("parseManifest refuses invalid JSON", () => {
  rejects("{", /^invalid image manifest: not valid JSON: /);
  rejects("[]", "invalid image manifest: document must be an object, got an array");
});

test("parseManifest refuses wrong schema versions and schema 1", () => {
  rejects({ ...dockerManifest, schemaVersion: 3 }, "invalid image manifest: schemaVersion must be 2, got 3");
  rejects({ ...dockerManifest, schemaVersion: undefined }, /schemaVersion must be 2, got undefined/);
  rejects(
    { schemaVersion: 1, name: "x", fsLayers: [] },
    "invalid image manifest: Docker image manifest schema 1 is not supported",
  );
});

test("parseManifest refuses an image index", () => {
  rejects(
    { schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: [] },
    'invalid image manifest: expected an image manifest, got an image index (mediaType "application/vnd.oci.image.index.v1+json")',
  );
  rejects({ schemaVersion: 2, manifests: [] }, /got an image index \(it has manifests but no config\)/);
});

test("parseManifest refuses other media types", () => {
  rejects(
    { ...dockerManifest, mediaType: "text/plain" },
    'invalid image manifest: unexpected mediaType "text/plain"',
  );
});

test("parseManifest names the bad descriptor field", () => {
  rejects(
    { ...dockerManifest, config: undefined },
    "invalid image manifest: config is missing (must be an object)",
  );
  rejects(
    { ...dockerManifest, layers: undefined },
    "invalid image manifest: layers is missing (must be an array)",
  );
  rejects(
    { ...dockerManifest, layers: [{ mediaType: DOCKER_LAYER_TAR_GZIP, size: "12", digest: D2 }] },
    'invalid image manifest: layers[0].size must be a non-negative integer, got string "12"',
  );
  rejects(
    { ...dockerManifest, layers: [{ mediaType: DOCKER_LAYER_TAR_GZIP, size: -1, digest: D2 }] },
    /layers\[0\]\.size must be a non-negative integer, got number -1/,
  );
  rejects(
    { ...dockerManifest, layers: [{ mediaType: DOCKER_LAYER_TAR_GZIP, size: 1.5, digest: D2 }] },
    /layers\[0\]\.size must be a non-negative integer/,
  );
  rejects(
    { ...dockerManifest, config: { ...dockerManifest.config, digest: "sha256:abc" } },
    'invalid image manifest: config.digest must be a digest (sha256:<64 lowercase hex>), got "sha256:abc"',
  );
  rejects(
    { ...dockerManifest, config: { ...dockerManifest.config, digest: `sha512:${"a".repeat(128)}` } },
    /config\.digest: unsupported digest algorithm "sha512"/,
  );
  rejects(
    { ...dockerManifest, config: { ...dockerManifest.config, mediaType: "" } },
    /config\.mediaType must not be empty/,
  );
  rejects(
    { ...dockerManifest, annotations: { a: 1 } },
    "invalid image manifest: annotations.a must be a string, got number 1",
  );
  rejects(
    { ...dockerManifest, config: { ...dockerManifest.config, urls: "x" } },
    /config\.urls must be an array/,
  );
});
