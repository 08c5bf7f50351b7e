import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { type RunningRegistry, startRegistryServer } from "../../src/registry/server/server.js";
import { pushBlob, req, sha256 } from "../harness/registry-http.js";

/** Blob pulls and pushes of `berth registry serve`, request by request, against an in-process server. */
describe("registry server API: blobs and uploads", () => {
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
});
