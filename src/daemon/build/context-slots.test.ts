import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { ContextSlots, contextSlotKey } from "./context-slots.js";

describe("ContextSlots", () => {
  let base: string;
  let n = 0;
  before(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), "berth-slots-"));
  });
  after(async () => {
    await fs.rm(base, { recursive: true, force: true });
  });
  const freshRoot = () => path.join(base, String(++n));

  test("contextSlotKey ignores the order of the tags and the random name of an outside Dockerfile", () => {
    assert.equal(contextSlotKey(["b:1", "a:1"], "Dockerfile"), contextSlotKey(["a:1", "b:1"], "Dockerfile"));
    assert.notEqual(contextSlotKey(["a:1"], "Dockerfile"), contextSlotKey(["a:1"], "other.Dockerfile"));
    // -f outside the context: the CLIs name it .dockerfile.<random> in the tar.
    assert.equal(
      contextSlotKey(["a:1"], ".dockerfile.0123456789abcdef0123"),
      contextSlotKey(["a:1"], ".dockerfile.fedcba9876543210fedc"),
    );
  });

  test("ContextSlots gives a key its slot again, with what the last build left", async () => {
    const slots = await ContextSlots.open(freshRoot());
    const a = await slots.acquire("k1");
    assert.ok(a);
    await fs.writeFile(path.join(a.dir, "kept"), "x");
    await a.ready();
    a.release();
    const again = await slots.acquire("k1");
    assert.equal(again?.dir, a.dir);
    assert.deepEqual(await fs.readdir(a.dir), ["kept"]);
  });

  test("ContextSlots lends a busy slot to no other build", async () => {
    const slots = await ContextSlots.open(freshRoot());
    const a = await slots.acquire("k1");
    assert.ok(a);
    assert.equal(await slots.acquire("k1"), undefined);
    a.release();
    assert.ok(await slots.acquire("k1"));
  });

  test("ContextSlots reuses the least recently used slot beyond the limit", async () => {
    const slots = await ContextSlots.open(freshRoot(), 2);
    const dirs: string[] = [];
    for (const key of ["k1", "k2"]) {
      const l = await slots.acquire(key);
      assert.ok(l);
      await l.ready();
      l.release();
      dirs.push(l.dir);
      await new Promise((r) => setTimeout(r, 5));
    }
    const k3 = await slots.acquire("k3");
    assert.equal(k3?.dir, dirs[0]);
  });

  test("ContextSlots.open removes a slot whose sync never finished", async () => {
    const root = freshRoot();
    const slots = await ContextSlots.open(root);
    const good = await slots.acquire("good");
    await good?.ready();
    good?.release();
    const half = await slots.acquire("half"); // berthd "killed" before ready()
    assert.ok(good && half);
    await fs.writeFile(path.join(root, "junk"), "not a slot");
    const reopened = await ContextSlots.open(root);
    assert.deepEqual(await fs.readdir(root), [path.basename(path.dirname(good.dir))]);
    assert.equal((await reopened.acquire("good"))?.dir, good.dir);
  });

  test("ContextSlots.prune removes the free slots and reports their bytes", async () => {
    const root = freshRoot();
    const slots = await ContextSlots.open(root);
    const free = await slots.acquire("free");
    const busy = await slots.acquire("busy");
    assert.ok(free && busy);
    await fs.writeFile(path.join(free.dir, "f"), "12345");
    await free.ready();
    free.release();
    assert.equal(await slots.prune(), 5);
    assert.deepEqual(await fs.readdir(root), [path.basename(path.dirname(busy.dir))]);
  });

  test("ContextSlots drops a discarded slot", async () => {
    const root = freshRoot();
    const slots = await ContextSlots.open(root);
    const l = await slots.acquire("k");
    assert.ok(l);
    await l.discard();
    l.release();
    assert.deepEqual(await fs.readdir(root), []);
    assert.notEqual((await slots.acquire("k"))?.dir, l.dir);
  });
});
