import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { sha256 } from "../lib/digest.js";
import { isKind } from "../lib/errors.js";
import { LocalContentStore } from "./local-store.js";

describe("LocalContentStore", () => {
  let root: string;
  let store: LocalContentStore;
  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), "berth-content-"));
    store = await LocalContentStore.open(root);
  });
  after(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  test("put stores a blob at its sha256 address", async () => {
    const info = await store.put("hello");
    assert.equal(info.digest, sha256("hello"));
    assert.equal(info.size, 5);
    assert.equal((await store.readBytes(info.digest)).toString(), "hello");
    assert.deepEqual(await store.info(info.digest), info);
  });

  test("ingest verifies the expected digest and keeps nothing on mismatch", async () => {
    const before = await store.list();
    await assert.rejects(
      store.ingest(Readable.from([Buffer.from("abc")]), { digest: sha256("xyz") }),
      (e) => isKind(e, "invalid-argument") && /digest mismatch/.test((e as Error).message),
    );
    assert.deepEqual(await store.list(), before);
    assert.deepEqual(await fs.readdir(path.join(root, "ingest")), []);
  });

  test("ingest verifies the expected size", async () => {
    await assert.rejects(store.ingest(Readable.from([Buffer.from("abc")]), { size: 4 }), /size mismatch/);
  });

  test("ingest of a failing stream leaves no temp file", async () => {
    const bad = new Readable({
      read() {
        this.destroy(new Error("connection dropped"));
      },
    });
    await assert.rejects(store.ingest(bad), /connection dropped/);
    assert.deepEqual(await fs.readdir(path.join(root, "ingest")), []);
  });

  test("ingestAt keeps a partial on a dropped stream and resumes from its size", async () => {
    const whole = Buffer.from("0123456789abcdef");
    const digest = sha256(whole);
    let sent = false;
    const dropping = new Readable({
      read() {
        if (sent) {
          setTimeout(() => this.destroy(new Error("connection dropped")), 50);
          return;
        }
        sent = true;
        this.push(whole.subarray(0, 6));
      },
    });
    await assert.rejects(store.ingestAt(digest, 0, dropping, { digest, size: 16 }), /connection dropped/);
    assert.equal(await store.partialSize(digest), 6);
    assert.equal(await store.info(digest), undefined);
    const info = await store.ingestAt(digest, 6, Readable.from([whole.subarray(6)]), { digest, size: 16 });
    assert.deepEqual(info, { digest, size: 16 });
    assert.equal((await store.readBytes(digest)).toString(), whole.toString());
    assert.equal(await store.partialSize(digest), 0);
  });

  test("open keeps a recent partial download for a resume and sweeps the rest", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "berth-content-open-"));
    try {
      const first = await LocalContentStore.open(dir);
      const digest = sha256("resumable");
      let sent = false;
      const dropping = new Readable({
        read() {
          if (sent) return void setTimeout(() => this.destroy(new Error("connection dropped")), 10);
          sent = true;
          this.push(Buffer.from("resu"));
        },
      });
      await assert.rejects(first.ingestAt(digest, 0, dropping, { digest, size: 9 }), /connection dropped/);
      const ingest = path.join(dir, "ingest");
      await fs.writeFile(path.join(ingest, "0123abcd"), "a crashed ingest");
      const stale = path.join(ingest, "partial-sha256_old");
      await fs.writeFile(stale, "two days old");
      const old = new Date(Date.now() - 48 * 3600_000);
      await fs.utimes(stale, old, old);
      const again = await LocalContentStore.open(dir);
      assert.equal(await again.partialSize(digest), 4);
      assert.deepEqual(await fs.readdir(ingest), [`partial-${digest.replace(":", "_")}`]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  test("ingestAt removes a partial that does not match its digest", async () => {
    const digest = sha256("expected");
    await assert.rejects(
      store.ingestAt(digest, 0, Readable.from([Buffer.from("tampered")]), { digest }),
      (e) => isKind(e, "invalid-argument") && /digest mismatch/.test((e as Error).message),
    );
    assert.equal(await store.partialSize(digest), 0);
    assert.equal(await store.info(digest), undefined);
  });

  test("readStream reads a byte range", async () => {
    const info = await store.put("0123456789");
    const chunks: Buffer[] = [];
    for await (const c of store.readStream(info.digest, { start: 2, end: 5 })) chunks.push(c as Buffer);
    assert.equal(Buffer.concat(chunks).toString(), "2345");
  });

  test("readBytes of a missing blob is not-found", async () => {
    await assert.rejects(store.readBytes(sha256("missing")), (e) => isKind(e, "not-found"));
    assert.equal(await store.info(sha256("missing")), undefined);
  });

  test("delete removes a blob and list reflects it", async () => {
    const info = await store.ingest(Readable.from([Buffer.from("to delete")]));
    assert.ok((await store.list()).includes(info.digest));
    await store.delete(info.digest);
    assert.ok(!(await store.list()).includes(info.digest));
  });

  test("open sweeps ingests left by a crash", async () => {
    await fs.writeFile(path.join(root, "ingest", "leftover"), "partial");
    store = await LocalContentStore.open(root);
    assert.deepEqual(await fs.readdir(path.join(root, "ingest")), []);
  });
});
