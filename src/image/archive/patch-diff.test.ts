import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { spawnRunner } from "../../lib/exec.js";
import { collect, removeRoot, tempRoot } from "./_testing.js";
import { layerDiff } from "./diff.js";
import { patchLayerDiff, walkOrder } from "./patch-diff.js";
import { END_OF_ARCHIVE, encodeHeader } from "./tar-header.js";

const run = (cmd: string, ...args: string[]) => spawnRunner.run(cmd, args);
const LONG = `${"n".repeat(150)}.js`;

test("walkOrder: components in byte order, a directory before its contents", () => {
  const names = ["a/b", "a", "a-b", "a/B", "", "b", "a/b/c"];
  assert.deepEqual(names.sort(walkOrder), ["", "a", "a/B", "a/b", "a/b/c", "a-b", "b"]);
});

describe("patchLayerDiff", () => {
  let root: string;
  let dir: string;

  before(async () => {
    root = await tempRoot("patch-diff");
    dir = path.join(root, "upper");
    await fs.mkdir(path.join(dir, "a", "sub"), { recursive: true });
    await fs.mkdir(path.join(dir, "c", "deep"), { recursive: true });
    await fs.mkdir(path.join(dir, "o"));
    await fs.writeFile(path.join(dir, "a", "x.txt"), "x1\n");
    await fs.writeFile(path.join(dir, "a", "y.txt"), "y\n");
    await fs.writeFile(path.join(dir, "a", LONG), "long\n");
    await fs.writeFile(path.join(dir, "a", "sub", "z.txt"), "z\n");
    await fs.writeFile(path.join(dir, "b.txt"), "b\n");
    await fs.writeFile(path.join(dir, "c", "deep", "w.txt"), "w\n");
    await fs.symlink("a/y.txt", path.join(dir, "link"));
    await run("mknod", path.join(dir, "a", "gone"), "c", "0", "0");
    await run("setfattr", "-n", "trusted.overlay.opaque", "-v", "y", path.join(dir, "o"));
    await fs.writeFile(path.join(dir, "o", "in.txt"), "in\n");
  });
  after(async () => {
    await removeRoot(root);
  });

  test("gives exactly the tar layerDiff gives after changes, additions and removals", async () => {
    const before = await collect(layerDiff(dir));
    await fs.rm(path.join(dir, "a", "x.txt"));
    await fs.writeFile(path.join(dir, "a", "x.txt"), "x2, longer\n");
    await fs.writeFile(path.join(dir, "a", "new.txt"), "new\n");
    await fs.writeFile(path.join(dir, "o", "new.txt"), "new in opaque\n");
    await fs.rm(path.join(dir, "c"), { recursive: true });
    await fs.rm(path.join(dir, "b.txt"));
    await fs.rm(path.join(dir, "link"));
    await fs.symlink("a/x.txt", path.join(dir, "link"));
    // Directory mtimes are whole seconds in the tar: make sure the touched ones differ.
    const later = new Date(Date.now() + 5000);
    for (const d of ["a", "o", ""]) await fs.utimes(path.join(dir, d), later, later);
    const touched = ["a/x.txt", "a/new.txt", "o/new.txt", "c", "b.txt", "link"];
    const want = await collect(layerDiff(dir));
    const got = await patchLayerDiff(before, dir, touched);
    assert.ok(got, "the tar layerDiff wrote can be patched");
    assert.ok(got.includes(Buffer.from("x2, longer")));
    assert.ok(!got.includes(Buffer.from("c/deep/w.txt")));
    assert.ok(got.includes(Buffer.from(LONG)));
    assert.deepEqual(got, want);
  });

  test("a tar not in layerDiff's order is refused (the caller walks the tree instead)", async () => {
    const h = (name: string) =>
      encodeHeader({
        name,
        type: "file",
        mode: 0o644,
        uid: 0,
        gid: 0,
        size: 0,
        mtime: 0,
        linkname: "",
        devmajor: 0,
        devminor: 0,
        xattrs: new Map(),
      });
    const tar = Buffer.concat([h("b"), h("a"), END_OF_ARCHIVE]);
    assert.equal(await patchLayerDiff(tar, dir, ["a"]), undefined);
    const truncated = Buffer.concat([h("a"), h("b")]);
    assert.equal(await patchLayerDiff(truncated, dir, ["a"]), undefined);
  });
});
