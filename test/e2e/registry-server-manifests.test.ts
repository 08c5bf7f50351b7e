import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { collectGarbage } from "../../src/registry/server/gc.js";
import { type RunningRegistry, startRegistryServer } from "../../src/registry/server/server.js";
import { ociManifest, pushBlob, putManifest, req, sha256 } from "../harness/registry-http.js";

/** Manifests, tags, catalog, referrers, deletes and gc of `berth registry serve`, against an in-process server. */
describe("registry server API: manifests, discovery, deletes, gc", () => {
  let dir: string;
  let reg: RunningRegistry;
  let base: string;

  const blobFiles = async () => (await fs.readdir(path.join(dir, "root", "blobs", "sha256"))).sort();

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "berth-registry-api-"));
    reg = await startRegistryServer({ root: path.join(dir, "root"), host: "127.0.0.1", port: 0 });
    base = reg.url;
  });
  after(async () => {
    await reg?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  test("manifests: push by tag and digest, Content-Type kept, pull by both, ?tag= on digest pushes", async () => {
    const config = Buffer.from('{"architecture":"amd64","os":"linux"}');
    const layer = Buffer.from("layer bytes");
    await pushBlob(base, "mf", config);
    await pushBlob(base, "mf", layer);
    const bytes = ociManifest(config, [layer]);
    const digest = sha256(bytes);
    const put = await putManifest(base, "mf", "v1", bytes);
    assert.equal(put.status, 201, put.body.toString());
    assert.equal(put.headers.get("docker-content-digest"), digest);
    assert.equal(put.headers.get("location"), `/v2/mf/manifests/${digest}`);
    for (const ref of ["v1", digest]) {
      const got = await req(`${base}/v2/mf/manifests/${ref}`);
      assert.equal(got.status, 200);
      assert.ok(got.body.equals(bytes), "exact bytes");
      assert.equal(got.headers.get("content-type"), "application/vnd.oci.image.manifest.v1+json");
      assert.equal(got.headers.get("docker-content-digest"), digest);
    }
    const byDigest = await req(`${base}/v2/mf/manifests/${digest}?tag=a&tag=b`, {
      method: "PUT",
      headers: { "Content-Type": "application/vnd.oci.image.manifest.v1+json" },
      body: bytes,
    });
    assert.equal(byDigest.status, 201);
    assert.equal(byDigest.headers.get("oci-tag"), "a, b");
    const wrong = await req(`${base}/v2/mf/manifests/${sha256("x")}`, {
      method: "PUT",
      headers: { "Content-Type": "application/vnd.oci.image.manifest.v1+json" },
      body: bytes,
    });
    assert.deepEqual(wrong.codes, ["DIGEST_INVALID"]);
    const unknown = await req(`${base}/v2/mf/manifests/nope`);
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.codes, ["MANIFEST_UNKNOWN"]);
  });

  test("bad manifests: missing blobs, malformed, oversized, bad names and tags; nothing stored", async () => {
    const before = await blobFiles();
    const config = Buffer.from("{}");
    await pushBlob(base, "badmf", config);
    const missingLayer = Buffer.from("never pushed");
    const missing = await putManifest(
      base,
      "badmf",
      "x",
      ociManifest(config, [missingLayer, Buffer.from("nor this")]),
    );
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.codes, ["MANIFEST_BLOB_UNKNOWN", "MANIFEST_BLOB_UNKNOWN"]);
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.index.v1+json",
        manifests: [
          { mediaType: "application/vnd.oci.image.manifest.v1+json", digest: sha256("m"), size: 1 },
        ],
      }),
    );
    const idx = await req(`${base}/v2/badmf/manifests/idx`, {
      method: "PUT",
      headers: { "Content-Type": "application/vnd.oci.image.index.v1+json" },
      body: index,
    });
    assert.deepEqual(idx.codes, ["MANIFEST_BLOB_UNKNOWN"]);
    const malformed = await putManifest(base, "badmf", "x", Buffer.from('{"schemaVersion":2,"config":'));
    assert.deepEqual(malformed.codes, ["MANIFEST_INVALID"]);
    const wrongSize = JSON.parse(ociManifest(config, []).toString());
    wrongSize.config.size = 99;
    const sized = await putManifest(base, "badmf", "x", Buffer.from(JSON.stringify(wrongSize)));
    assert.deepEqual(sized.codes, ["MANIFEST_INVALID"]);
    const huge = ociManifest(config, [], { annotations: { pad: "x".repeat(4 * 1024 * 1024) } });
    const big = await putManifest(base, "badmf", "x", huge);
    assert.equal(big.status, 413);
    assert.deepEqual(big.codes, ["SIZE_INVALID"]);
    const name = await putManifest(base, "Bad_Name", "x", ociManifest(config, []));
    assert.equal(name.status, 400);
    assert.deepEqual(name.codes, ["NAME_INVALID"]);
    const tag = await putManifest(base, "badmf", ".hidden", ociManifest(config, []));
    assert.equal(tag.status, 400);
    assert.deepEqual(tag.codes, ["TAG_INVALID"]);
    // Only the config blob was added; no tags exist.
    assert.deepEqual(await blobFiles(), [...new Set([...before, sha256(config).slice(7)])].sort());
    assert.deepEqual(JSON.parse((await req(`${base}/v2/badmf/tags/list`)).body.toString()).tags, []);
  });

  test("tags list and catalog paginate with n, last and a Link header", async () => {
    const config = Buffer.from('{"tags":1}');
    await pushBlob(base, "paged/repo", config);
    const bytes = ociManifest(config, []);
    for (const t of ["c", "a", "e", "b", "d"])
      assert.equal((await putManifest(base, "paged/repo", t, bytes)).status, 201);
    const all = await req(`${base}/v2/paged/repo/tags/list`);
    assert.deepEqual(JSON.parse(all.body.toString()), {
      name: "paged/repo",
      tags: ["a", "b", "c", "d", "e"],
    });
    assert.equal(all.headers.get("link"), null);
    const seen: string[] = [];
    let next: string | null = "/v2/paged/repo/tags/list?n=2";
    for (let i = 0; next !== null && i < 10; i++) {
      const page = await req(`${base}${next}`);
      seen.push(...(JSON.parse(page.body.toString()).tags as string[]));
      next = /^<([^>]+)>; rel="next"$/.exec(page.headers.get("link") ?? "")?.[1] ?? null;
    }
    assert.deepEqual(seen, ["a", "b", "c", "d", "e"]);
    const none = await req(`${base}/v2/paged/repo/tags/list?n=0`);
    assert.deepEqual(JSON.parse(none.body.toString()).tags, []);
    assert.equal(none.headers.get("link"), null);
    assert.deepEqual(JSON.parse((await req(`${base}/v2/paged/repo/tags/list?last=c`)).body.toString()).tags, [
      "d",
      "e",
    ]);
    assert.deepEqual((await req(`${base}/v2/no/such/repo/tags/list`)).codes, ["NAME_UNKNOWN"]);

    const catalog = JSON.parse((await req(`${base}/v2/_catalog`)).body.toString()).repositories as string[];
    assert.ok(catalog.includes("paged/repo") && catalog.includes("mf"), catalog.join(","));
    assert.deepEqual([...catalog].sort(), catalog);
    const first = await req(`${base}/v2/_catalog?n=1`);
    assert.equal(JSON.parse(first.body.toString()).repositories.length, 1);
    assert.match(first.headers.get("link") ?? "", /^<\/v2\/_catalog\?n=1&last=[^>]+>; rel="next"$/);
  });

  test("referrers API lists manifests whose subject is the digest, with artifactType filter", async () => {
    const config = Buffer.from('{"subject":"base"}');
    await pushBlob(base, "refs", config);
    const subject = ociManifest(config, []);
    await putManifest(base, "refs", "base", subject);
    const empty = Buffer.from("{}");
    await pushBlob(base, "refs", empty);
    const sig = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        artifactType: "application/vnd.example.sig",
        config: { mediaType: "application/vnd.oci.empty.v1+json", digest: sha256(empty), size: 2 },
        layers: [],
        subject: {
          mediaType: "application/vnd.oci.image.manifest.v1+json",
          digest: sha256(subject),
          size: subject.length,
        },
        annotations: { "org.example": "yes" },
      }),
    );
    const put = await putManifest(base, "refs", sha256(sig), sig);
    assert.equal(put.status, 201);
    assert.equal(put.headers.get("oci-subject"), sha256(subject));
    const r = await req(`${base}/v2/refs/referrers/${sha256(subject)}`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("content-type"), "application/vnd.oci.image.index.v1+json");
    assert.deepEqual(JSON.parse(r.body.toString()).manifests, [
      {
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        digest: sha256(sig),
        size: sig.length,
        artifactType: "application/vnd.example.sig",
        annotations: { "org.example": "yes" },
      },
    ]);
    const filtered = await req(
      `${base}/v2/refs/referrers/${sha256(subject)}?artifactType=application/x-other`,
    );
    assert.deepEqual(JSON.parse(filtered.body.toString()).manifests, []);
    assert.equal(filtered.headers.get("oci-filters-applied"), "artifactType");
    assert.deepEqual((await req(`${base}/v2/refs/referrers/sha256:bad`)).codes, ["DIGEST_INVALID"]);
  });

  test("deletes, then gc removes exactly the blobs no manifest references", async () => {
    const shared = Buffer.from("shared layer");
    const onlyA = Buffer.from("layer only in image a");
    const onlyB = Buffer.from("layer only in image b");
    const cfgA = Buffer.from('{"image":"a"}');
    const cfgB = Buffer.from('{"image":"b"}');
    for (const b of [shared, onlyA, cfgA]) await pushBlob(base, "gc/a", b);
    for (const b of [shared, onlyB, cfgB]) await pushBlob(base, "gc/b", b);
    const stray = await pushBlob(base, "gc/a", Buffer.from("uploaded, never referenced"));
    const mA = ociManifest(cfgA, [shared, onlyA]);
    const mB = ociManifest(cfgB, [shared, onlyB]);
    await putManifest(base, "gc/a", "v1", mA);
    await putManifest(base, "gc/b", "v1", mB);
    await putManifest(base, "gc/b", "v2", mB);

    // Deleting a tag keeps the manifest; deleting by digest removes it and its other tags.
    assert.equal((await req(`${base}/v2/gc/b/manifests/v2`, { method: "DELETE" })).status, 202);
    assert.equal((await req(`${base}/v2/gc/b/manifests/v1`)).status, 200);
    assert.equal((await req(`${base}/v2/gc/b/manifests/${sha256(mB)}`, { method: "DELETE" })).status, 202);
    assert.equal((await req(`${base}/v2/gc/b/manifests/v1`)).status, 404);
    assert.equal((await req(`${base}/v2/gc/b/manifests/${sha256(mB)}`)).status, 404);
    assert.equal((await req(`${base}/v2/gc/b/manifests/${sha256(mB)}`, { method: "DELETE" })).status, 404);
    // Deleting a blob unlinks it from the repository only.
    assert.equal((await req(`${base}/v2/gc/a/blobs/${stray}`, { method: "DELETE" })).status, 202);
    assert.equal((await req(`${base}/v2/gc/a/blobs/${stray}`)).status, 404);
    assert.equal((await req(`${base}/v2/gc/a/blobs/${stray}`, { method: "DELETE" })).status, 404);

    // Within the grace period nothing is collected.
    const early = await collectGarbage(reg.storage);
    assert.deepEqual(early.deleted, []);
    assert.ok(early.spared.includes(sha256(onlyB) as `sha256:${string}`));

    const r = await collectGarbage(reg.storage, { graceMs: 0, now: Date.now() + 1000 });
    const gone = new Set<string>(r.deleted);
    for (const d of [sha256(onlyB), sha256(cfgB), sha256(mB), stray])
      assert.ok(gone.has(d), `${d} collected`);
    for (const d of [sha256(shared), sha256(onlyA), sha256(cfgA), sha256(mA)]) {
      assert.ok(!gone.has(d), `${d} kept`);
    }
    // Image a is whole; image b's unique blobs are gone from the repository too.
    assert.equal((await req(`${base}/v2/gc/a/manifests/v1`)).status, 200);
    for (const b of [shared, onlyA, cfgA]) {
      assert.equal((await req(`${base}/v2/gc/a/blobs/${sha256(b)}`)).status, 200);
    }
    assert.equal((await req(`${base}/v2/gc/b/blobs/${sha256(onlyB)}`, { method: "HEAD" })).status, 404);
    assert.equal((await req(`${base}/v2/gc/b/blobs/${sha256(shared)}`, { method: "HEAD" })).status, 200);
  });

  test("gc with deleteUntagged drops manifests no tag reaches, keeping index entries and referrers", async () => {
    const repo = "untagged/app";
    const cfg1 = Buffer.from('{"build":1}');
    const cfg2 = Buffer.from('{"build":2}');
    const layer1 = Buffer.from("layer of build 1 only");
    const layer2 = Buffer.from("layer of build 2");
    for (const b of [cfg1, cfg2, layer1, layer2]) await pushBlob(base, repo, b);
    const old = ociManifest(cfg1, [layer1]);
    const cur = ociManifest(cfg2, [layer2]);
    await putManifest(base, repo, "latest", old);
    await putManifest(base, repo, "latest", cur); // the tag moves on; old is untagged now
    // An index tagged "multi" whose entry is only reachable through it.
    const entryCfg = Buffer.from('{"arch":"arm64"}');
    await pushBlob(base, repo, entryCfg);
    const entry = ociManifest(entryCfg, []);
    await putManifest(base, repo, sha256(entry), entry);
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.index.v1+json",
        manifests: [
          {
            mediaType: "application/vnd.oci.image.manifest.v1+json",
            digest: sha256(entry),
            size: entry.length,
          },
        ],
      }),
    );
    const put = await req(`${base}/v2/${repo}/manifests/multi`, {
      method: "PUT",
      headers: { "Content-Type": "application/vnd.oci.image.index.v1+json" },
      body: index,
    });
    assert.equal(put.status, 201, put.body.toString());
    // A signature-like referrer of the current image.
    const empty = Buffer.from("{}");
    await pushBlob(base, repo, empty);
    const sig = ociManifest(empty, [], {
      subject: {
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        digest: sha256(cur),
        size: cur.length,
      },
    });
    await putManifest(base, repo, sha256(sig), sig);

    // Within the grace period every manifest stays.
    const early = await collectGarbage(reg.storage, { deleteUntagged: true });
    assert.deepEqual(
      early.manifestsDeleted.filter((m) => m.startsWith(`${repo}@`)),
      [],
    );
    const r = await collectGarbage(reg.storage, { deleteUntagged: true, graceMs: 0, now: Date.now() + 1000 });
    assert.deepEqual(
      r.manifestsDeleted.filter((m) => m.startsWith(`${repo}@`)),
      [`${repo}@${sha256(old)}`],
    );
    assert.ok(r.deleted.includes(sha256(layer1) as `sha256:${string}`));
    assert.ok(r.deleted.includes(sha256(cfg1) as `sha256:${string}`));
    assert.equal((await req(`${base}/v2/${repo}/manifests/${sha256(old)}`)).status, 404);
    for (const m of [cur, entry, sig, index]) {
      assert.equal((await req(`${base}/v2/${repo}/manifests/${sha256(m)}`)).status, 200);
    }
    assert.equal((await req(`${base}/v2/${repo}/blobs/${sha256(layer2)}`)).status, 200);
  });

  test("unknown paths and methods get spec error bodies", async () => {
    const r = await req(`${base}/v2/x/manifests/latest`, { method: "POST" });
    assert.equal(r.status, 405);
    assert.deepEqual(r.codes, ["UNSUPPORTED"]);
    assert.equal((await req(`${base}/v2/x/nothing/here`)).status, 404);
  });
});
