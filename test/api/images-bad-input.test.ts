import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { ApiClient } from "../../src/api/client/client.js";
import { busyboxRootfs } from "../fixtures/busybox.js";
import { makeTar, type TestEntry } from "../fixtures/tar.js";
import { TestDaemon } from "../harness/daemon.js";

const sha = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

/** A docker-save archive with one image whose single layer is `layer` (diff id computed unless given). */
async function dockerArchive(
  layer: Buffer,
  opts: { diffId?: string; layerName?: string; tags?: string[] } = {},
) {
  const config = JSON.stringify({
    architecture: "amd64",
    os: "linux",
    rootfs: { type: "layers", diff_ids: [`sha256:${opts.diffId ?? sha(layer)}`] },
  });
  const entries: TestEntry[] = [
    { name: "config.json", content: config },
    {
      name: "manifest.json",
      content: JSON.stringify([
        {
          Config: "config.json",
          RepoTags: opts.tags ?? ["bad:input"],
          Layers: [opts.layerName ?? "layer.tar"],
        },
      ]),
    },
  ];
  if (!opts.layerName) entries.push({ name: "layer.tar", content: layer });
  return makeTar(entries);
}

/**
 * Bad input to the image endpoints: each gets a clear error with Docker's status, nothing is written
 * outside berth's root, the store stays as it was and the daemon keeps serving.
 */
describe("image endpoints refuse bad input", () => {
  let d: TestDaemon;
  let client: ApiClient;
  let outside: string;
  let baseline: { images: string; blobs: string[]; snapshots: string[] };

  const snapshotState = async () => ({
    images: JSON.stringify(
      (await client.json<{ Id: string; RepoTags: string[] }[]>("GET", "/images/json")).map((i) => [
        i.Id,
        i.RepoTags,
      ]),
    ),
    blobs: (await fs.readdir(path.join(d.root, "content", "blobs", "sha256"))).sort(),
    snapshots: (await fs.readdir(path.join(d.root, "snapshots", "snapshots")).catch(() => [])).sort(),
  });

  before(async () => {
    d = await TestDaemon.start();
    client = new ApiClient({ host: d.host });
    outside = path.join(d.dir, "outside");
    await fs.mkdir(outside);
    const imported = await d.berth(["import", "-", "busybox:latest"], { input: await busyboxRootfs() });
    assert.equal(imported.code, 0, imported.stderr);
    baseline = await snapshotState();
  });
  after(async () => {
    client?.close();
    await d?.cleanup();
  });

  /** Sends an archive to /images/load and checks the answer, the store and the world outside. */
  async function loadRejected(archive: Buffer, pattern: RegExp, status = 400): Promise<void> {
    const res = await client.request("POST", "/images/load", { body: archive }).then(
      () => assert.fail("load was accepted"),
      (err: { status?: number; message: string }) => err,
    );
    assert.equal(res.status, status, res.message);
    assert.match(res.message, pattern);
    assert.deepEqual(await snapshotState(), baseline, "the store is unchanged");
    assert.deepEqual(await fs.readdir(outside), [], "nothing written outside the root");
    assert.deepEqual(await fs.readdir(path.join(d.root, "tmp")), [], "scratch space is cleaned up");
    assert.equal(
      (await client.request("GET", "/_ping", { unversioned: true })).status,
      200,
      "daemon still serving",
    );
  }

  test("archive entries with ../ are refused", async () => {
    const rel = path.relative(path.join(d.root, "tmp", "load-x"), path.join(outside, "evil"));
    await loadRejected(await makeTar([{ name: rel, content: "x" }]), /escapes the archive/);
  });

  test("absolute archive entries are refused", async () => {
    await loadRejected(
      await makeTar([{ name: path.join(outside, "evil"), content: "x" }]),
      /absolute paths are not allowed/,
    );
  });

  test("a layer entry with ../ is refused", async () => {
    const layer = await makeTar([{ name: "../../../../../../../../../../tmp/evil", content: "x" }]);
    await loadRejected(await dockerArchive(layer), /escape|outside|\.\./);
  });

  test("a layer that writes through its own symlink is refused", async () => {
    const layer = await makeTar([
      { name: "link", type: "symlink", linkname: outside },
      { name: "link/pwned", content: "x" },
    ]);
    await loadRejected(await dockerArchive(layer), /symlink/);
  });

  test("a layer hardlink to a file outside the layer is refused", async () => {
    const layer = await makeTar([{ name: "hl", type: "link", linkname: "../../../../../../etc/passwd" }]);
    await loadRejected(await dockerArchive(layer), /link/);
  });

  test("a truncated gzip archive is refused", async () => {
    const good = gzipSync(await dockerArchive(await makeTar([{ name: "a", content: "a" }])));
    await loadRejected(good.subarray(0, Math.floor(good.length / 2)), /truncated|unexpected end/i);
  });

  test("a manifest that names a missing layer is refused", async () => {
    await loadRejected(
      await dockerArchive(Buffer.alloc(0), { layerName: "nope/layer.tar" }),
      /missing layer "nope\/layer.tar"/,
    );
  });

  test("a layer that does not match its diff id is refused", async () => {
    const layer = await makeTar([{ name: "a", content: "a" }]);
    await loadRejected(await dockerArchive(layer, { diffId: "0".repeat(64) }), /does not match its diff id/);
  });

  test("a malformed manifest.json is refused", async () => {
    await loadRejected(
      await makeTar([{ name: "manifest.json", content: "{not json" }]),
      /invalid manifest.json/,
    );
  });

  test("something that is not an image archive is refused", async () => {
    await loadRejected(await makeTar([{ name: "hello.txt", content: "hi" }]), /not an image archive/);
  });

  test("invalid references are refused with 400", async () => {
    for (const [repo, tag, pattern] of [
      ["UPPER", undefined, /must be lowercase/],
      ["a:b", "c", /invalid reference format/],
      ["../x", undefined, /invalid reference format/],
      ["busybox", "bad tag!", /invalid reference format|invalid tag/],
    ] as const) {
      const err = await client.request("POST", "/images/busybox/tag", { query: { repo, tag } }).then(
        () => assert.fail(`tag ${repo}:${tag} was accepted`),
        (e: { status: number; message: string }) => e,
      );
      assert.equal(err.status, 400, `${repo} ${tag}: ${err.message}`);
      assert.match(err.message, pattern);
    }
    assert.deepEqual(await snapshotState(), baseline);
  });

  test("unknown images are 404 everywhere", async () => {
    for (const [method, p] of [
      ["GET", "/images/nosuch:1/json"],
      ["GET", "/images/nosuch:1/history"],
      ["POST", "/images/nosuch:1/tag?repo=x"],
      ["DELETE", "/images/nosuch:1"],
      ["GET", "/images/get?names=nosuch:1"],
    ] as const) {
      const err = await client.request(method, p).then(
        () => assert.fail(`${method} ${p} succeeded`),
        (e: { status: number; message: string }) => e,
      );
      assert.equal(err.status, 404, `${method} ${p}`);
      assert.match(err.message, /No such image: nosuch:1/);
    }
  });

  test("an unsupported API version is refused with Docker's message", async () => {
    const old = await fetchRaw(d.socket, "/v1.12/images/json");
    assert.equal(old.status, 400);
    assert.match(old.body, /client version 1.12 is too old. Minimum supported API version is 1.24/);
  });
});

async function fetchRaw(socket: string, p: string): Promise<{ status: number; body: string }> {
  const http = await import("node:http");
  return new Promise((resolve, reject) => {
    http
      .get({ socketPath: socket, path: p }, (res) => {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on("error", reject);
  });
}
