import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { collectGarbage } from "../../src/registry/server/gc.js";
import { type RunningRegistry, startRegistryServer } from "../../src/registry/server/server.js";
import { ociManifest, pushBlob, putManifest, req, sha256 } from "../harness/registry-http.js";

/** The distribution API of `berth registry serve`, request by request, against an in-process server. */
describe("registry server API", () => {
  let dir: string;
  let reg: RunningRegistry;
  let base: string;

  const blobFiles = async () => (await fs.readdir(path.join(dir, "root", "blobs", "sha256"))).sort();
  const uploadDirs = async () => fs.readdir(path.join(dir, "root", "uploads"));

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "berth-registry-api-"));
    reg = await startRegistryServer({ root: path.join(dir, "root"), host: "127.0.0.1", port: 0 });
    base = reg.url;
  });
  after(async () => {
    await reg?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  test("GET /v2/ answers 200 with the API version header", async () => {
    const r = await req(`${base}/v2/`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("docker-distribution-api-version"), "registry/2.0");
  });

  test("chunked upload: in-order PATCHes, 416 out of order, status GET, closing PUT", async () => {
    const data = randomBytes(300_000);
    const digest = sha256(data);
    const start = await req(`${base}/v2/chunked/blobs/uploads/`, { method: "POST" });
    assert.equal(start.status, 202);
    assert.equal(start.headers.get("range"), "0-0");
    let loc = start.headers.get("location")!;
    assert.match(loc, /^\/v2\/chunked\/blobs\/uploads\/[0-9a-f-]{36}$/);

    const patch = (from: number, to: number) =>
      req(`${base}${loc}`, {
        method: "PATCH",
        headers: { "Content-Type": "application/octet-stream", "Content-Range": `${from}-${to - 1}` },
        body: data.subarray(from, to),
      });
    const p1 = await patch(0, 100_000);
    assert.equal(p1.status, 202);
    assert.equal(p1.headers.get("range"), "0-99999");
    loc = p1.headers.get("location")!;

    // A chunk that skips ahead is refused and changes nothing.
    const skipped = await patch(200_000, 300_000);
    assert.equal(skipped.status, 416);
    assert.equal(skipped.headers.get("range"), "0-99999");
    // So is one that repeats bytes already received.
    assert.equal((await patch(50_000, 150_000)).status, 416);

    const status = await req(`${base}${loc}`);
    assert.equal(status.status, 204);
    assert.equal(status.headers.get("range"), "0-99999");

    assert.equal((await patch(100_000, 200_000)).status, 202);
    // The last chunk comes with the closing PUT.
    const put = await req(`${base}${loc}?digest=${digest}`, {
      method: "PUT",
      headers: { "Content-Type": "application/octet-stream", "Content-Range": "200000-299999" },
      body: data.subarray(200_000),
    });
    assert.equal(put.status, 201, put.body.toString());
    assert.equal(put.headers.get("location"), `/v2/chunked/blobs/${digest}`);
    assert.equal(put.headers.get("docker-content-digest"), digest);

    const got = await req(`${base}/v2/chunked/blobs/${digest}`);
    assert.equal(got.status, 200);
    assert.ok(got.body.equals(data));
    // The session is gone.
    assert.deepEqual((await req(`${base}${loc}`)).codes, ["BLOB_UPLOAD_UNKNOWN"]);
  });

  test("a streamed PATCH without Content-Range appends; DELETE cancels a session", async () => {
    const data = Buffer.from("streamed blob");
    const start = await req(`${base}/v2/stream/blobs/uploads/`, { method: "POST" });
    const loc = start.headers.get("location")!;
    assert.equal((await req(`${base}${loc}`, { method: "PATCH", body: data })).status, 202);
    const put = await req(`${base}${loc}?digest=${sha256(data)}`, { method: "PUT" });
    assert.equal(put.status, 201);
    // An empty blob (OCI's empty descriptors point at "{}", but zero bytes are a blob too).
    const empty = await req(`${base}/v2/stream/blobs/uploads/?digest=${sha256("")}`, { method: "POST" });
    assert.equal(empty.status, 201);
    const head = await req(`${base}/v2/stream/blobs/${sha256("")}`, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("content-length"), "0");
    assert.equal((await req(`${base}/v2/stream/blobs/${sha256("")}`)).body.length, 0);

    const other = await req(`${base}/v2/stream/blobs/uploads/`, { method: "POST" });
    const otherLoc = other.headers.get("location")!;
    assert.equal((await req(`${base}${otherLoc}`, { method: "DELETE" })).status, 204);
    assert.equal((await req(`${base}${otherLoc}`)).status, 404);
    // A session belongs to its repository.
    const third = await req(`${base}/v2/stream/blobs/uploads/`, { method: "POST" });
    const uuid = third.headers.get("docker-upload-uuid");
    assert.deepEqual((await req(`${base}/v2/elsewhere/blobs/uploads/${uuid}`)).codes, [
      "BLOB_UPLOAD_UNKNOWN",
    ]);
    await req(`${base}${third.headers.get("location")}`, { method: "DELETE" });
  });

  test("a blob whose digest does not match is rejected and nothing is stored", async () => {
    const before = await blobFiles();
    const data = Buffer.from("these bytes are not what the digest says");
    const wrong = sha256("something else");
    const single = await req(`${base}/v2/bad/blobs/uploads/?digest=${wrong}`, { method: "POST", body: data });
    assert.equal(single.status, 400);
    assert.deepEqual(single.codes, ["DIGEST_INVALID"]);

    const start = await req(`${base}/v2/bad/blobs/uploads/`, { method: "POST" });
    const loc = start.headers.get("location")!;
    await req(`${base}${loc}`, { method: "PATCH", body: data });
    const put = await req(`${base}${loc}?digest=${wrong}`, { method: "PUT" });
    assert.equal(put.status, 400);
    assert.deepEqual(put.codes, ["DIGEST_INVALID"]);

    assert.deepEqual(await blobFiles(), before);
    assert.deepEqual(await uploadDirs(), []);
    assert.equal((await req(`${base}/v2/bad/blobs/${sha256(data)}`, { method: "HEAD" })).status, 404);
    assert.equal((await req(`${base}/v2/bad/blobs/${wrong}`, { method: "HEAD" })).status, 404);
    // Malformed and foreign-algorithm digests are refused outright.
    const badAlgo = await req(`${base}/v2/bad/blobs/uploads/?digest=sha512:${"a".repeat(128)}`, {
      method: "POST",
      body: data,
    });
    assert.deepEqual(badAlgo.codes, ["DIGEST_INVALID"]);
    assert.equal((await req(`${base}${loc}`, { method: "PUT" })).codes[0], "DIGEST_INVALID");
  });

  test("blob GET honours Range; HEAD gives size and digest; unknown blobs are 404 BLOB_UNKNOWN", async () => {
    const data = Buffer.from("0123456789abcdef");
    const digest = await pushBlob(base, "ranges", data);
    const head = await req(`${base}/v2/ranges/blobs/${digest}`, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("content-length"), "16");
    assert.equal(head.headers.get("docker-content-digest"), digest);
    const part = await req(`${base}/v2/ranges/blobs/${digest}`, { headers: { Range: "bytes=10-" } });
    assert.equal(part.status, 206);
    assert.equal(part.body.toString(), "abcdef");
    assert.equal(part.headers.get("content-range"), "bytes 10-15/16");
    const past = await req(`${base}/v2/ranges/blobs/${digest}`, { headers: { Range: "bytes=16-" } });
    assert.equal(past.status, 416);
    assert.equal(past.headers.get("content-range"), "bytes */16");
    const unknown = await req(`${base}/v2/ranges/blobs/${sha256("nope")}`);
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.codes, ["BLOB_UNKNOWN"]);
    // A blob of one repository is not visible through another without a mount.
    assert.equal((await req(`${base}/v2/other/blobs/${digest}`, { method: "HEAD" })).status, 404);
  });

  test("cross-repository mount links an existing blob; an unknown one starts a session", async () => {
    const digest = await pushBlob(base, "mount/src", Buffer.from("mount me"));
    const m = await req(`${base}/v2/mount/dst/blobs/uploads/?mount=${digest}&from=mount/src`, {
      method: "POST",
    });
    assert.equal(m.status, 201);
    assert.equal(m.headers.get("location"), `/v2/mount/dst/blobs/${digest}`);
    assert.equal((await req(`${base}/v2/mount/dst/blobs/${digest}`)).body.toString(), "mount me");
    const miss = await req(`${base}/v2/mount/dst/blobs/uploads/?mount=${sha256("absent")}&from=mount/src`, {
      method: "POST",
    });
    assert.equal(miss.status, 202);
    assert.ok(miss.headers.get("location"));
    await req(`${base}${miss.headers.get("location")}`, { method: "DELETE" });
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

  test("a chunk cut off mid-way is rolled back; a session survives a restart; --read-only denies writes", async () => {
    const root = path.join(dir, "restart-root");
    let a: RunningRegistry | undefined = await startRegistryServer({ root, port: 0 });
    let b: RunningRegistry | undefined;
    try {
      const data = randomBytes(64 * 1024);
      const start = await req(`${a.url}/v2/resume/blobs/uploads/`, { method: "POST" });
      const loc = start.headers.get("location")!;
      assert.equal(
        (await req(`${a.url}${loc}`, { method: "PATCH", body: data.subarray(0, 1000) })).status,
        202,
      );
      // A PATCH that announces 10000 bytes, sends 500 and hangs up.
      await new Promise<void>((resolve, reject) => {
        const sock = net.connect(a!.port, "127.0.0.1", () => {
          sock.write(
            `PATCH ${loc} HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n` +
              "Content-Range: 1000-10999\r\nContent-Length: 10000\r\n\r\n",
          );
          sock.write(data.subarray(1000, 1500), () => setTimeout(() => sock.destroy(), 100));
        });
        sock.on("close", () => resolve());
        sock.on("error", reject);
      });
      let status = await req(`${a.url}${loc}`);
      for (let i = 0; i < 50 && status.headers.get("range") !== "0-999"; i++) {
        await new Promise((r) => setTimeout(r, 20));
        status = await req(`${a.url}${loc}`);
      }
      assert.equal(status.headers.get("range"), "0-999");
      await a.close();
      a = undefined;

      b = await startRegistryServer({ root, port: 0 });
      assert.equal((await req(`${b.url}${loc}`)).headers.get("range"), "0-999");
      const put = await req(`${b.url}${loc}?digest=${sha256(data)}`, {
        method: "PUT",
        headers: { "Content-Range": `1000-${data.length - 1}` },
        body: data.subarray(1000),
      });
      assert.equal(put.status, 201, put.body.toString());
      await b.close();
      b = await startRegistryServer({ root, port: 0, readOnly: true });
      assert.ok((await req(`${b.url}/v2/resume/blobs/${sha256(data)}`)).body.equals(data));
      const denied = await req(`${b.url}/v2/resume/blobs/uploads/`, { method: "POST" });
      assert.equal(denied.status, 403);
      assert.deepEqual(denied.codes, ["DENIED"]);
      assert.equal((await req(`${b.url}/v2/resume/blobs/${sha256(data)}`, { method: "DELETE" })).status, 403);
    } finally {
      await a?.close();
      await b?.close();
    }
  });

  test("unknown paths and methods get spec error bodies", async () => {
    const r = await req(`${base}/v2/x/manifests/latest`, { method: "POST" });
    assert.equal(r.status, 405);
    assert.deepEqual(r.codes, ["UNSUPPORTED"]);
    assert.equal((await req(`${base}/v2/x/nothing/here`)).status, 404);
  });
});
