import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { isKind } from "../lib/errors.js";
import { isMountPoint, mountAll, unmount, unmountAll } from "./mount.js";
import { OverlaySnapshotter } from "./overlay.js";

const kind = (k: string) => (e: unknown) => isKind(e, k as never);

describe("OverlaySnapshotter", () => {
  let root: string;
  let s: OverlaySnapshotter;
  let n = 0;
  const target = async () => {
    const t = path.join(root, "mnt", String(++n));
    await fs.mkdir(t, { recursive: true });
    return t;
  };
  /** Mounts, runs fn, and always unmounts. */
  const mounted = async <T>(mounts: Parameters<typeof mountAll>[0], fn: (dir: string) => Promise<T>) => {
    const t = await target();
    await mountAll(mounts, t);
    try {
      return await fn(t);
    } finally {
      await unmount(t);
    }
  };
  const read = (dir: string, p: string) => fs.readFile(path.join(dir, p), "utf8");

  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), "berth-snap-"));
    s = await OverlaySnapshotter.open(root);
  });
  after(async () => {
    await unmountAll(root, { detach: true });
    await fs.rm(root, { recursive: true, force: true });
  });

  test("OverlaySnapshotter prepare, commit, view and remove a layer chain with real mounts", async () => {
    // Layer 1: an active snapshot without parent is a writable bind mount.
    const m1 = await s.prepare("a1");
    assert.equal(m1[0]?.type, "bind");
    await mounted(m1, async (dir) => {
      await fs.mkdir(path.join(dir, "etc"));
      await fs.writeFile(path.join(dir, "etc/os"), "one");
      await fs.writeFile(path.join(dir, "gone"), "soon deleted");
    });
    await s.commit("l1", "a1");
    assert.deepEqual((await s.stat("l1")).kind, "committed");
    await assert.rejects(s.stat("a1"), kind("not-found"));

    // Layer 2: overlay on l1; changes land in its upper dir.
    const m2 = await s.prepare("a2", "l1", { labels: { purpose: "test" } });
    assert.equal(m2[0]?.type, "overlay");
    assert.ok(m2[0]?.options.includes(`lowerdir=${s.dir("l1")}`));
    await mounted(m2, async (dir) => {
      assert.equal(await read(dir, "etc/os"), "one");
      await fs.writeFile(path.join(dir, "etc/os"), "two");
      await fs.rm(path.join(dir, "gone"));
    });
    assert.equal(await read(s.upperDir("a2"), "etc/os"), "two");
    assert.ok((await fs.lstat(path.join(s.upperDir("a2"), "gone"))).isCharacterDevice());
    await s.commit("l2", "a2");
    assert.equal((await s.stat("l2")).parent, "l1");
    assert.deepEqual((await s.stat("l2")).labels, { purpose: "test" });

    // A view of a chain is a read-only overlay; of one layer, a read-only bind.
    const v = await s.view("v2", "l2");
    assert.deepEqual(v[0]?.options, [`lowerdir=${s.dir("l2")}:${s.dir("l1")}`]);
    await mounted(v, async (dir) => {
      assert.equal(await read(dir, "etc/os"), "two");
      await assert.rejects(fs.access(path.join(dir, "gone")), { code: "ENOENT" });
      await assert.rejects(fs.writeFile(path.join(dir, "x"), "x"), { code: "EROFS" });
    });
    const v1 = await s.view("v1", "l1");
    assert.deepEqual(v1, [{ type: "bind", source: s.dir("l1"), options: ["ro", "rbind"] }]);
    await mounted(v1, async (dir) => {
      assert.equal(await read(dir, "gone"), "soon deleted");
      await assert.rejects(fs.writeFile(path.join(dir, "x"), "x"), { code: "EROFS" });
    });
    assert.throws(() => s.upperDir("v1"), kind("failed-precondition"));

    // A container-style active snapshot on top of the chain.
    const c = await s.prepare("c", "l2");
    await mounted(c, async (dir) => {
      await fs.writeFile(path.join(dir, "etc/new"), "12345");
    });
    assert.deepEqual(await s.usage("c"), {
      size: (await fs.stat(path.join(s.dir("c"), "etc"))).size + 5,
      inodes: 2,
    });
    assert.deepEqual(await s.mounts("c"), c);

    assert.deepEqual(
      (await s.walk()).map((i) => [i.key, i.kind, i.parent]),
      [
        ["l1", "committed", undefined],
        ["l2", "committed", "l1"],
        ["v2", "view", "l2"],
        ["v1", "view", "l1"],
        ["c", "active", "l2"],
      ],
    );

    // Parents cannot go while children exist.
    await assert.rejects(s.remove("l1"), (e) => isKind(e, "conflict") && /child/.test(String(e)));
    await assert.rejects(s.remove("l2"), kind("conflict"));
    const dirs = ["c", "v1", "v2", "l2", "l1"].map((k) => path.dirname(s.dir(k)));
    for (const k of ["c", "v1", "v2", "l2", "l1"]) await s.remove(k);
    assert.deepEqual(await s.walk(), []);
    await s.idle();
    for (const d of dirs) await assert.rejects(fs.access(d), { code: "ENOENT" });
    assert.deepEqual((await fs.readdir(path.join(root, "snapshots"))).sort(), ["metadata.json"]);
  });

  test("OverlaySnapshotter rejects conflicting keys, missing or active parents and bad commits", async () => {
    await s.prepare("x");
    await assert.rejects(s.prepare("x"), kind("conflict"));
    await assert.rejects(s.view("x"), kind("conflict"));
    await assert.rejects(s.prepare("y", "missing"), kind("not-found"));
    await assert.rejects(
      s.prepare("y", "x"),
      (e) => isKind(e, "invalid-argument") && /not committed/.test(String(e)),
    );
    await assert.rejects(s.prepare(""), kind("invalid-argument"));
    await s.view("vx");
    await assert.rejects(s.commit("cx", "vx"), kind("failed-precondition"));
    await s.prepare("x2");
    await s.commit("cx", "x");
    await assert.rejects(s.commit("cx", "x2"), kind("conflict"));
    await assert.rejects(s.mounts("cx"), kind("failed-precondition"));
    await assert.rejects(s.remove("nope"), kind("not-found"));
    assert.throws(() => s.dir("nope"), kind("not-found"));
    for (const k of ["vx", "x2", "cx"]) await s.remove(k);
    assert.deepEqual(await s.walk(), []);
  });

  test("OverlaySnapshotter keeps metadata across open and sweeps directories left by a crash", async () => {
    await s.prepare("keep");
    await fs.writeFile(path.join(s.dir("keep"), "f"), "data");
    await s.commit("kept", "keep");
    const snapshots = path.join(root, "snapshots");
    await fs.mkdir(path.join(snapshots, "9999", "fs"), { recursive: true });
    await fs.mkdir(path.join(snapshots, "new-77-abcd", "fs"), { recursive: true });
    await fs.writeFile(path.join(snapshots, ".metadata.json.tmp-123"), "{");

    s = await OverlaySnapshotter.open(root);
    assert.equal((await s.stat("kept")).kind, "committed");
    assert.equal(await fs.readFile(path.join(s.dir("kept"), "f"), "utf8"), "data");
    const left = (await fs.readdir(snapshots)).sort();
    assert.deepEqual(left, [path.basename(path.dirname(s.dir("kept"))), "metadata.json"].sort());

    // Ids keep growing, so a new snapshot never reuses a swept directory.
    await s.prepare("next");
    assert.ok(
      Number(path.basename(path.dirname(s.dir("next")))) > Number(path.basename(path.dirname(s.dir("kept")))),
    );
    await s.remove("next");
    await s.remove("kept");
  });

  test("OverlaySnapshotter mounts a chain of 150 layers, past the one-page option limit", async () => {
    let parent: string | undefined;
    for (let i = 0; i < 150; i++) {
      await s.prepare(`tmp-${i}`, parent);
      await fs.writeFile(path.join(s.dir(`tmp-${i}`), `f${i}`), String(i));
      await s.commit(`layer-${i}`, `tmp-${i}`);
      parent = `layer-${i}`;
    }
    const mounts = await s.prepare("top", parent);
    assert.ok(mounts[0]!.options.join(",").length > 4096);
    await mounted(mounts, async (dir) => {
      assert.equal(await read(dir, "f0"), "0");
      assert.equal(await read(dir, "f149"), "149");
      assert.equal((await fs.readdir(dir)).length, 150);
      await fs.writeFile(path.join(dir, "top"), "t");
    });
    assert.equal(await read(s.upperDir("top"), "top"), "t");
    assert.ok(!(await isMountPoint(path.join(root, "mnt", String(n)))));
    await s.remove("top");
    for (let i = 149; i >= 0; i--) await s.remove(`layer-${i}`);
  });

  test("OverlaySnapshotter commitIngest: conflicts, unknown ingests and parents, abortIngest", async () => {
    const a = await s.prepareIngest();
    await fs.writeFile(path.join(s.ingestDir(a), "f"), "a");
    await assert.rejects(s.commitIngest("ing-l2", a, "ing-missing"), kind("not-found"));
    await s.commitIngest("ing-l1", a);
    assert.equal(await read(s.dir("ing-l1"), "f"), "a");
    assert.equal((await s.stat("ing-l1")).kind, "committed");
    await assert.rejects(s.commitIngest("ing-l2", a, "ing-l1"), kind("not-found"), "an ingest commits once");
    const b = await s.prepareIngest();
    await assert.rejects(s.commitIngest("ing-l1", b), kind("conflict"));
    assert.throws(() => s.ingestDir("../1"), kind("invalid-argument"));
    await s.abortIngest(b);
    await assert.rejects(fs.stat(path.dirname(s.ingestDir(b))), /ENOENT/);
    await s.remove("ing-l1");
  });
});
