import assert from "node:assert/strict";
import { test } from "node:test";
import type { ImageIndex } from "./image-index.js";
import { matchPlatform, parseIndex, parseManifestOrIndex } from "./image-index.js";
import { DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, OCI_CONFIG, OCI_INDEX, OCI_MANIFEST } from "./media-types.js";

const d = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}` as const;

const index: ImageIndex = {
  schemaVersion: 2,
  mediaType: OCI_INDEX,
  manifests: [
    { mediaType: OCI_MANIFEST, digest: d(1), size: 1, platform: { os: "linux", architecture: "amd64" } },
    {
      mediaType: OCI_MANIFEST,
      digest: d(2),
      size: 1,
      platform: { os: "linux", architecture: "arm", variant: "v6" },
    },
    {
      mediaType: OCI_MANIFEST,
      digest: d(3),
      size: 1,
      platform: { os: "linux", architecture: "arm", variant: "v7" },
    },
    {
      mediaType: OCI_MANIFEST,
      digest: d(4),
      size: 1,
      platform: { os: "linux", architecture: "arm64", variant: "v8" },
    },
    { mediaType: OCI_MANIFEST, digest: d(5), size: 1, platform: { os: "linux", architecture: "386" } },
    {
      mediaType: OCI_MANIFEST,
      digest: d(6),
      size: 1,
      platform: { os: "windows", architecture: "amd64", "os.version": "10.0.20348.2227" },
    },
    {
      mediaType: OCI_MANIFEST,
      digest: d(7),
      size: 1,
      platform: { os: "unknown", architecture: "unknown" },
      annotations: { "vnd.docker.reference.type": "attestation-manifest" },
    },
  ],
};

test("parseIndex reads an OCI index", () => {
  assert.deepEqual(parseIndex(JSON.stringify(index)), index);
});

test("parseIndex reads a Docker manifest list", () => {
  const list = {
    schemaVersion: 2,
    mediaType: DOCKER_MANIFEST_LIST,
    manifests: [
      {
        mediaType: DOCKER_MANIFEST,
        digest: d(1),
        size: 528,
        platform: { architecture: "arm64", os: "linux", variant: "v8", features: ["sse4"] },
      },
    ],
  };
  assert.deepEqual(parseIndex(new TextEncoder().encode(JSON.stringify(list))), list);
});

test("parseIndex refuses a manifest", () => {
  assert.throws(
    () => parseIndex(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: {}, layers: [] })),
    {
      message: `invalid image index: expected an image index, got an image manifest (mediaType "${OCI_MANIFEST}")`,
    },
  );
  assert.throws(
    () => parseIndex(JSON.stringify({ schemaVersion: 2, config: {}, layers: [] })),
    /it has a config/,
  );
});

test("parseIndex names the bad field", () => {
  assert.throws(() => parseIndex("{}"), {
    message: "invalid image index: schemaVersion must be 2, got undefined",
  });
  assert.throws(() => parseIndex('{"schemaVersion":2}'), {
    message: "invalid image index: manifests is missing (must be an array)",
  });
  assert.throws(
    () =>
      parseIndex(
        JSON.stringify({
          schemaVersion: 2,
          manifests: [{ mediaType: OCI_MANIFEST, digest: d(1), size: 1, platform: { os: "linux" } }],
        }),
      ),
    { message: "invalid image index: manifests[0].platform.architecture is missing (must be a string)" },
  );
  assert.throws(() => parseIndex("nope"), /^BerthError|invalid image index: not valid JSON/);
});

test("parseManifestOrIndex dispatches on the given media type", () => {
  const manifest = {
    schemaVersion: 2,
    config: { mediaType: OCI_CONFIG, digest: d(1), size: 2 },
    layers: [],
  };
  const r1 = parseManifestOrIndex(JSON.stringify(manifest), `${OCI_MANIFEST}; charset=utf-8`);
  assert.equal(r1.kind, "manifest");
  const r2 = parseManifestOrIndex(JSON.stringify(index), OCI_INDEX);
  assert.equal(r2.kind, "index");
  assert.throws(() => parseManifestOrIndex(JSON.stringify(index), OCI_MANIFEST), /invalid image manifest/);
});

test("parseManifestOrIndex falls back to the document's mediaType and shape", () => {
  assert.equal(parseManifestOrIndex(JSON.stringify(index)).kind, "index");
  assert.equal(
    parseManifestOrIndex(JSON.stringify({ ...index, mediaType: undefined }), "application/json").kind,
    "index",
  );
  const manifest = { schemaVersion: 2, config: { mediaType: OCI_CONFIG, digest: d(1), size: 2 }, layers: [] };
  const r = parseManifestOrIndex(JSON.stringify(manifest));
  assert.equal(r.kind, "manifest");
  if (r.kind === "manifest") assert.equal(r.manifest.config.size, 2);
});

test("matchPlatform picks the exact platform", () => {
  assert.equal(matchPlatform(index, { os: "linux", architecture: "amd64" })?.digest, d(1));
  assert.equal(matchPlatform(index, { os: "linux", architecture: "arm", variant: "v7" })?.digest, d(3));
  assert.equal(matchPlatform(index, { os: "linux", architecture: "arm" })?.digest, d(3));
  assert.equal(matchPlatform(index, { os: "linux", architecture: "arm", variant: "v6" })?.digest, d(2));
  assert.equal(matchPlatform(index, { os: "linux", architecture: "arm64" })?.digest, d(4));
  assert.equal(matchPlatform(index, { os: "linux", architecture: "aarch64" })?.digest, d(4));
  assert.equal(matchPlatform(index, { os: "windows", architecture: "amd64" })?.digest, d(6));
});

test("matchPlatform falls back to compatible platforms", () => {
  const armOnly: ImageIndex = {
    schemaVersion: 2,
    manifests: index.manifests.filter((m) => m.digest === d(2)),
  };
  assert.equal(matchPlatform(armOnly, { os: "linux", architecture: "arm", variant: "v7" })?.digest, d(2));
  assert.equal(matchPlatform(armOnly, { os: "linux", architecture: "arm64" })?.digest, d(2));
  const i386Only: ImageIndex = {
    schemaVersion: 2,
    manifests: index.manifests.filter((m) => m.digest === d(5)),
  };
  assert.equal(matchPlatform(i386Only, { os: "linux", architecture: "amd64" })?.digest, d(5));
});

test("matchPlatform returns undefined when nothing fits", () => {
  assert.equal(matchPlatform(index, { os: "linux", architecture: "s390x" }), undefined);
  assert.equal(matchPlatform(index, { os: "linux", architecture: "arm", variant: "v5" }), undefined);
  assert.equal(
    matchPlatform({ schemaVersion: 2, manifests: [] }, { os: "linux", architecture: "amd64" }),
    undefined,
  );
  const noPlatform: ImageIndex = {
    schemaVersion: 2,
    manifests: [{ mediaType: OCI_MANIFEST, digest: d(1), size: 1 }],
  };
  assert.equal(matchPlatform(noPlatform, { os: "linux", architecture: "amd64" }), undefined);
});

test("matchPlatform prefers the first entry on ties", () => {
  const dup: ImageIndex = {
    schemaVersion: 2,
    manifests: [
      { mediaType: OCI_MANIFEST, digest: d(8), size: 1, platform: { os: "linux", architecture: "amd64" } },
      { mediaType: OCI_MANIFEST, digest: d(9), size: 1, platform: { os: "linux", architecture: "x86_64" } },
    ],
  };
  assert.equal(matchPlatform(dup, { os: "linux", architecture: "amd64" })?.digest, d(8));
});
