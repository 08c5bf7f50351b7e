import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { isKind } from "../../lib/errors.js";
import { chunked, describeTree, makeTar, removeRoot, type TestEntry, tempRoot } from "./_testing.js";
import { applyLayer } from "./extract.js";
import { syncTree } from "./sync-tree.js";
import { encodeHeader, type TarHeader } from "./tar-header.js";

const T = 1_600_000_000;
const at = (s: number) => new Date(s * 1000);

describe("syncTree", () => {
  let root: string;
  let n = 0;
  before(async () => {
    root = await tempRoot("sync");
  });
  after(async () => {
    await removeRoot(root);
  });

  /** A context dir, and an "outside" dir with a sentinel no tar may touch. */
  async function fresh() {
    const base = path.join(root, String(++n));
    const dir = path.join(base, "ctx");
    const outside = path.join(base, "outside");
    await fs.mkdir(dir, { recursive: true });
    await fs.mkdir(outside);
    await fs.writeFile(path.join(outside, "sentinel"), "untouched");
    const sentinel = (await describeTree(outside)).sentinel;
    const unchangedOutside = async () => {
      assert.deepEqual(await describeTree(outside), { sentinel });
      assert.deepEqual((await fs.readdir(base)).sort(), ["ctx", "outside"]);
    };
    return { base, dir, outside, unchangedOutside };
  }

  /** Syncs, then checks the result is exactly what a fresh extraction of the same tar gives. */
  async function sync(entries: TestEntry[], dir: string) {
    const tar = await makeTar(entries);
    const result = await syncTree(chunked(tar), dir);
    const ref = path.join(root, `ref-${++n}`);
    await fs.mkdir(ref);
    await applyLayer(chunked(tar), ref);
    assert.deepEqual(await describeTree(dir), await describeTree(ref));
    return result;
  }

  const ino = async (p: string) => (await fs.lstat(p)).ino;

  const base: TestEntry[] = [
    { name: "src/", type: "directory", mode: 0o755, mtime: at(T) },
    { name: "src/a.js", content: "export const a = 1;\n", mode: 0o644, mtime: at(T + 1) },
    { name: "src/b.js", content: "export const b = 2;\n", mode: 0o644, mtime: at(T + 1) },
    { name: "Dockerfile", content: "FROM busybox\nCOPY . .\n", mode: 0o644, mtime: at(T + 2) },
  ];

  test("syncTree fills an empty directory as applyLayer would", async () => {
    const { dir } = await fresh();
    const r = await sync(base, dir);
    assert.equal(r.written, 4);
    assert.equal(r.kept, 0);
  });

  test("syncTree keeps unchanged files and rewrites a same-size edit with the same mtime", async () => {
    const { dir } = await fresh();
    await sync(base, dir);
    const aIno = await ino(path.join(dir, "src/a.js"));
    const bIno = await ino(path.join(dir, "src/b.js"));
    // Same size, same mtime second: only the bytes tell.
    const edited = base.map((e) => (e.name === "src/a.js" ? { ...e, content: "export const a = 7;\n" } : e));
    const r = await sync(edited, dir);
    assert.equal(await fs.readFile(path.join(dir, "src/a.js"), "utf8"), "export const a = 7;\n");
    assert.notEqual(await ino(path.join(dir, "src/a.js")), aIno);
    assert.equal(await ino(path.join(dir, "src/b.js")), bIno);
    assert.deepEqual(r.rewritten, [path.join(dir, "src/a.js")]);
    assert.equal(r.written, 1);
    assert.equal(r.kept, 3);
    assert.deepEqual((await fs.readdir(path.join(dir, "src"))).sort(), ["a.js", "b.js"]);
  });

  test("syncTree removes files and directories the tar no longer names", async () => {
    const { dir } = await fresh();
    await sync([...base, { name: "old/", type: "directory" }, { name: "old/x", content: "x" }], dir);
    const r = await sync(
      base.filter((e) => e.name !== "src/b.js"),
      dir,
    );
    assert.equal(r.removed, 2);
    assert.deepEqual(r.removedDirs, [path.join(dir, "old")]);
    assert.deepEqual(r.rewritten, [path.join(dir, "src/b.js")]);
  });

  test("syncTree adds a new directory and files below it", async () => {
    const { dir } = await fresh();
    await sync(base, dir);
    const r = await sync(
      [...base, { name: "lib/", type: "directory", mode: 0o750 }, { name: "lib/c.js", content: "c" }],
      dir,
    );
    assert.equal(r.written, 2);
    assert.equal(await fs.readFile(path.join(dir, "lib/c.js"), "utf8"), "c");
  });

  test("syncTree handles file to directory and directory to symlink", async () => {
    const { dir } = await fresh();
    await sync(
      [
        ...base,
        { name: "x", content: "a file" },
        { name: "y/", type: "directory" },
        { name: "y/z", content: "z" },
      ],
      dir,
    );
    const r = await sync(
      [
        ...base,
        { name: "x/", type: "directory" },
        { name: "x/inner", content: "now a dir" },
        { name: "y", type: "symlink", linkname: "src" },
      ],
      dir,
    );
    assert.ok((await fs.lstat(path.join(dir, "x"))).isDirectory());
    assert.equal(await fs.readlink(path.join(dir, "y")), "src");
    assert.deepEqual(r.removedDirs, [path.join(dir, "y")]);
  });

  test("syncTree fixes a mode-only change in place", async () => {
    const { dir } = await fresh();
    await sync(base, dir);
    const before = await ino(path.join(dir, "Dockerfile"));
    const r = await sync(
      base.map((e) => (e.name === "Dockerfile" ? { ...e, mode: 0o600 } : e)),
      dir,
    );
    assert.equal((await fs.lstat(path.join(dir, "Dockerfile"))).mode & 0o777, 0o600);
    assert.equal(await ino(path.join(dir, "Dockerfile")), before);
    assert.equal(r.written, 0);
  });

  test("syncTree changes a symlink's target", async () => {
    const { dir } = await fresh();
    await sync([...base, { name: "link", type: "symlink", linkname: "src/a.js" }], dir);
    const r = await sync([...base, { name: "link", type: "symlink", linkname: "src/b.js" }], dir);
    assert.equal(await fs.readlink(path.join(dir, "link")), "src/b.js");
    assert.equal(r.written, 1);
  });

  test("syncTree keeps and rewrites big files, comparing as they stream", async () => {
    const { dir } = await fresh();
    const big = Buffer.alloc(3 << 20, 7);
    await sync([...base, { name: "big.bin", content: big }], dir);
    const before = await ino(path.join(dir, "big.bin"));
    await sync([...base, { name: "big.bin", content: big }], dir);
    assert.equal(await ino(path.join(dir, "big.bin")), before);
    const edited = Buffer.from(big);
    edited[(5 << 19) + 3] = 8; // well past the first chunk
    const r = await sync([...base, { name: "big.bin", content: edited }], dir);
    assert.ok((await fs.readFile(path.join(dir, "big.bin"))).equals(edited));
    assert.notEqual(await ino(path.join(dir, "big.bin")), before);
    assert.deepEqual(r.rewritten, [path.join(dir, "big.bin")]);
  });

  test("syncTree keeps and rewrites medium files (compared asynchronously)", async () => {
    const { dir } = await fresh();
    const medium = Buffer.alloc(200 << 10, 1);
    await sync([...base, { name: "m.bin", content: medium }], dir);
    const before = await ino(path.join(dir, "m.bin"));
    assert.equal((await sync([...base, { name: "m.bin", content: medium }], dir)).written, 0);
    assert.equal(await ino(path.join(dir, "m.bin")), before);
    const edited = Buffer.from(medium);
    edited[150 << 10] = 2;
    const r = await sync([...base, { name: "m.bin", content: edited }], dir);
    assert.deepEqual(r.rewritten, [path.join(dir, "m.bin")]);
    assert.ok((await fs.readFile(path.join(dir, "m.bin"))).equals(edited));
  });

  test("syncTree recreates hardlinks to files of the same stream", async () => {
    const { dir } = await fresh();
    const entries: TestEntry[] = [...base, { name: "hard", type: "link", linkname: "src/a.js" }];
    await sync(entries, dir);
    await sync(entries, dir);
    assert.equal(await ino(path.join(dir, "hard")), await ino(path.join(dir, "src/a.js")));
  });

  test("syncTree refuses an entry that climbs out with ..", async () => {
    const { dir, unchangedOutside } = await fresh();
    await sync(base, dir);
    const tar = await makeTar([...base, { name: "../outside/sentinel", content: "pwned" }]);
    await assert.rejects(syncTree(chunked(tar), dir), (err) => {
      assert.ok(isKind(err, "invalid-argument"));
      assert.match((err as Error).message, /escapes the layer root/);
      return true;
    });
    await unchangedOutside();
  });

  test("syncTree refuses to write through a symlink the tar made", async () => {
    const { dir, unchangedOutside } = await fresh();
    const tar = await makeTar([
      { name: "link", type: "symlink", linkname: "../outside" },
      { name: "link/sentinel", content: "pwned" },
    ]);
    await assert.rejects(syncTree(chunked(tar), dir), (err) => {
      assert.ok(isKind(err, "invalid-argument"));
      assert.match((err as Error).message, /would write through symlink "link"/);
      return true;
    });
    await unchangedOutside();
  });

  test("syncTree replaces a leftover symlink with a directory instead of following it", async () => {
    const { dir, unchangedOutside } = await fresh();
    await sync([{ name: "link", type: "symlink", linkname: "../outside" }], dir);
    // The next tar no longer has the symlink, only a file below that name (no directory entry).
    await syncTree(chunked(await makeTar([{ name: "link/sentinel", content: "inside" }])), dir);
    assert.ok((await fs.lstat(path.join(dir, "link"))).isDirectory());
    assert.equal(await fs.readFile(path.join(dir, "link/sentinel"), "utf8"), "inside");
    await unchangedOutside();
  });

  test("syncTree keeps an absolute entry name inside the directory", async () => {
    const { dir, unchangedOutside } = await fresh();
    await syncTree(chunked(await makeTar([{ name: "/sentinel", content: "inside" }])), dir);
    assert.equal(await fs.readFile(path.join(dir, "sentinel"), "utf8"), "inside");
    await unchangedOutside();
  });

  test("syncTree refuses a hardlink to a file the tar did not write", async () => {
    const { dir, unchangedOutside } = await fresh();
    await sync(base, dir);
    const tar = await makeTar([{ name: "hard", type: "link", linkname: "src/a.js" }]);
    await assert.rejects(syncTree(chunked(tar), dir), /is not a regular file extracted earlier/);
    await unchangedOutside();
  });

  test("syncTree accepts a tar whose last entry has no padding and no end marker", async () => {
    const { dir } = await fresh();
    const h = (name: string, size: number): TarHeader => ({
      name,
      type: "file",
      mode: 0o644,
      uid: 0,
      gid: 0,
      size,
      mtime: T,
      linkname: "",
      devmajor: 0,
      devminor: 0,
      xattrs: new Map(),
    });
    const tar = Buffer.concat([
      encodeHeader(h("a", 3)),
      Buffer.from("abc"),
      Buffer.alloc(509),
      encodeHeader(h(".dockerfile.123", 11)),
      Buffer.from("FROM scratc"),
    ]);
    await fs.writeFile(path.join(dir, "stale"), "x");
    const r = await syncTree(chunked(tar), dir);
    assert.equal(await fs.readFile(path.join(dir, ".dockerfile.123"), "utf8"), "FROM scratc");
    assert.deepEqual((await fs.readdir(dir)).sort(), [".dockerfile.123", "a"]);
    assert.equal(r.removed, 1);
  });
});
