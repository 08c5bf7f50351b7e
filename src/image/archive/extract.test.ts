import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { isKind } from "../../lib/errors.js";
import { spawnRunner } from "../../lib/exec.js";
import {
  chunked,
  describeTree,
  makeTar,
  mountOverlay,
  removeRoot,
  type TestEntry,
  tempRoot,
  umount,
} from "./_testing.js";
import { decompressStream } from "./compression.js";
import { applyLayer } from "./extract.js";
import { END_OF_ARCHIVE, encodeHeader, paddingOf } from "./tar-header.js";
import { readXattrTree } from "./xattrs.js";

const T = 1_600_000_000;

describe("applyLayer", () => {
  let root: string;
  let n = 0;
  before(async () => {
    root = await tempRoot("extract");
  });
  after(async () => {
    await removeRoot(root);
  });

  /** A fresh layer dir, and an "outside" dir with a sentinel that no layer may touch. */
  async function fresh() {
    const base = path.join(root, String(++n));
    const layer = path.join(base, "layer");
    const outside = path.join(base, "outside");
    await fs.mkdir(layer, { recursive: true });
    await fs.mkdir(outside);
    await fs.writeFile(path.join(outside, "sentinel"), "untouched");
    const before = await describeTree(base);
    const unchangedOutside = async () => {
      assert.deepEqual(await describeTree(outside), { sentinel: before["outside/sentinel"] });
      assert.deepEqual((await fs.readdir(base)).sort(), ["layer", "outside"]);
    };
    return { base, layer, outside, unchangedOutside };
  }

  const apply = async (entries: TestEntry[], dir: string) => applyLayer(chunked(await makeTar(entries)), dir);

  test("applyLayer extracts files, directories, symlinks and hardlinks with their metadata", async () => {
    const { layer } = await fresh();
    const result = await apply(
      [
        { name: "./", type: "directory", mode: 0o755, mtime: new Date(T * 1000) },
        { name: "./etc/", type: "directory", mode: 0o750, uid: 12, gid: 34, mtime: new Date((T + 1) * 1000) },
        { name: "./etc/passwd", content: "root:x:0:0\n", mode: 0o644, mtime: new Date((T + 2) * 1000) },
        { name: "./bin/su", content: "ELF", mode: 0o4755, uid: 0, gid: 0 },
        { name: "./bin/wall", content: "ELF2", mode: 0o2755, uid: 0, gid: 5 },
        { name: "./tmp/", type: "directory", mode: 0o1777 },
        {
          name: "./etc/link",
          type: "symlink",
          linkname: "/etc/passwd",
          uid: 3,
          gid: 4,
          mtime: new Date((T + 3) * 1000),
        },
        { name: "./etc/hard", type: "link", linkname: "./etc/passwd" },
        { name: "./home/u/file", content: "mine", uid: 1000, gid: 1000, mode: 0o600 },
      ],
      layer,
    );
    const tree = await describeTree(layer);
    const sum = (s: string) => createHash("sha256").update(s).digest("hex").slice(0, 12);
    assert.equal(tree.etc, `dir 0750 12:34 t=${T + 1}`);
    assert.equal(tree["etc/passwd"], `file 11 ${sum("root:x:0:0\n")} 0644 0:0 t=${T + 2}`);
    assert.equal(tree["etc/hard"], tree["etc/passwd"]);
    assert.equal(tree["etc/link"], `symlink -> /etc/passwd 0777 3:4 t=${T + 3}`);
    assert.equal(tree["bin/su"], `file 3 ${sum("ELF")} 4755 0:0 t=${T}`);
    assert.equal(tree["bin/wall"], `file 4 ${sum("ELF2")} 2755 0:5 t=${T}`);
    assert.equal(tree.tmp, `dir 1777 0:0 t=${T}`);
    assert.equal(tree["home/u/file"], `file 4 ${sum("mine")} 0600 1000:1000 t=${T}`);
    assert.match(tree.home ?? "", /^dir 0755 0:0 /, "missing parents are created 0755");
    const [a, b] = [
      await fs.stat(path.join(layer, "etc/passwd")),
      await fs.stat(path.join(layer, "etc/hard")),
    ];
    assert.equal(a.ino, b.ino);
    assert.equal(a.nlink, 2);
    assert.equal(Math.floor((await fs.stat(layer)).mtimeMs / 1000), T, "root entry applies to the layer dir");
    assert.equal(result.size, 11 + 3 + 4 + 4);
    assert.ok(result.tarSize > 0 && result.tarSize % 512 === 0);
    assert.match(result.diffId, /^sha256:[0-9a-f]{64}$/);
  });

  test("applyLayer reports the sha256 of the tar as diffId", async () => {
    const { layer } = await fresh();
    const data = await makeTar([{ name: "a", content: "a" }]);
    const result = await applyLayer(chunked(data), layer);
    assert.equal(result.diffId, `sha256:${createHash("sha256").update(data).digest("hex")}`);
    assert.equal(result.tarSize, data.length);
  });

  test("applyLayer sets directory mtimes after writing their contents", async () => {
    const { layer } = await fresh();
    await apply(
      [
        { name: "d", type: "directory", mtime: new Date(T * 1000) },
        { name: "d/a", content: "1" },
        { name: "d/sub", type: "directory", mtime: new Date((T + 5) * 1000) },
        { name: "d/sub/b", content: "2" },
        { name: "d/.wh.gone" },
      ],
      layer,
    );
    assert.equal(Math.floor((await fs.stat(path.join(layer, "d"))).mtimeMs / 1000), T);
    assert.equal(Math.floor((await fs.stat(path.join(layer, "d/sub"))).mtimeMs / 1000), T + 5);
  });

  test("applyLayer sets PAX xattrs, including a binary security.capability", async () => {
    const { layer } = await fresh();
    const cap = Buffer.from("0100000200200000000000000000000000000000", "hex");
    const header = {
      name: "bin/ping",
      type: "file" as const,
      mode: 0o755,
      uid: 0,
      gid: 0,
      size: 4,
      mtime: T,
      linkname: "",
      devmajor: 0,
      devminor: 0,
      xattrs: new Map([
        ["security.capability", cap],
        ["user.note", Buffer.from([0xc3, 0x00, 0xff])],
      ]),
    };
    const tar = Buffer.concat([
      encodeHeader({ ...header, name: "bin/", type: "dir", size: 0, xattrs: new Map() }),
      encodeHeader(header),
      Buffer.from("ping"),
      Buffer.alloc(paddingOf(4)),
      END_OF_ARCHIVE,
    ]);
    await applyLayer(chunked(tar), layer);
    const attrs = (await readXattrTree(spawnRunner, layer)).get(path.join(layer, "bin/ping"));
    assert.deepEqual(attrs?.get("security.capability"), cap);
    assert.deepEqual(attrs?.get("user.note"), Buffer.from([0xc3, 0x00, 0xff]));
    const getcap = await spawnRunner.run("getfattr", [
      "-n",
      "security.capability",
      "-e",
      "hex",
      path.join(layer, "bin/ping"),
    ]);
    assert.match(getcap.stdout, /0x0100000200200000/);
  });

  test("applyLayer sets string PAX xattrs from tar-stream", async () => {
    const { layer } = await fresh();
    await apply([{ name: "f", content: "x", pax: { "SCHILY.xattr.user.color": "blue" } }], layer);
    const attrs = (await readXattrTree(spawnRunner, layer)).get(path.join(layer, "f"));
    assert.equal(attrs?.get("user.color")?.toString(), "blue");
  });

  test("applyLayer ignores trusted.overlay xattrs in the tar", async () => {
    const { layer } = await fresh();
    const result = await apply(
      [
        {
          name: "d",
          type: "directory",
          pax: {
            "SCHILY.xattr.trusted.overlay.redirect": "/etc",
            "SCHILY.xattr.trusted.overlay.opaque": "y",
          },
        },
      ],
      layer,
    );
    assert.equal((await readXattrTree(spawnRunner, layer)).get(path.join(layer, "d")), undefined);
    assert.equal(result.warnings.length, 2);
  });

  test("applyLayer creates character devices, block devices and fifos", async () => {
    const { layer } = await fresh();
    await apply(
      [
        { name: "dev/null", type: "character-device", devmajor: 1, devminor: 3, mode: 0o666 },
        { name: "dev/loop9", type: "block-device", devmajor: 7, devminor: 9, mode: 0o660, gid: 6 },
        { name: "run/fifo", type: "fifo", mode: 0o620 },
      ],
      layer,
    );
    const nul = await fs.lstat(path.join(layer, "dev/null"));
    assert.ok(nul.isCharacterDevice());
    assert.equal(nul.rdev, (1 << 8) | 3);
    assert.equal(nul.mode & 0o7777, 0o666);
    const loop = await fs.lstat(path.join(layer, "dev/loop9"));
    assert.ok(loop.isBlockDevice());
    assert.equal(loop.rdev, (7 << 8) | 9);
    assert.equal(loop.gid, 6);
    const fifo = await fs.lstat(path.join(layer, "run/fifo"));
    assert.ok(fifo.isFIFO());
    assert.equal(fifo.mode & 0o7777, 0o620);
  });

  test("applyLayer lets a later entry replace an earlier one, merging directory over directory", async () => {
    const { layer } = await fresh();
    await apply(
      [
        { name: "d", type: "directory", mode: 0o700 },
        { name: "d/keep", content: "k" },
        { name: "d", type: "directory", mode: 0o755 },
        { name: "f", content: "old" },
        { name: "f", content: "new" },
        { name: "x", type: "directory" },
        { name: "x/inner", content: "gone" },
        { name: "x", type: "symlink", linkname: "d" },
        { name: "s", type: "symlink", linkname: "/nowhere" },
        { name: "s", content: "file now" },
      ],
      layer,
    );
    const tree = await describeTree(layer);
    assert.match(tree.d ?? "", /^dir 0755/);
    assert.ok(tree["d/keep"]);
    assert.equal(await fs.readFile(path.join(layer, "f"), "utf8"), "new");
    assert.match(tree.x ?? "", /^symlink -> d/);
    assert.equal(await fs.readFile(path.join(layer, "s"), "utf8"), "file now");
    assert.deepEqual(Object.keys(tree).sort(), ["d", "d/keep", "f", "s", "x"]);
  });

  test("applyLayer strips ./ and leading / from names and keeps them inside the layer", async () => {
    const { layer, unchangedOutside } = await fresh();
    const passwd = await fs.readFile("/etc/passwd");
    await apply(
      [
        { name: "/etc/passwd", content: "inside" },
        { name: "./a/./b/../c", content: "c" },
        { name: "//double", content: "d" },
      ],
      layer,
    );
    assert.equal(await fs.readFile(path.join(layer, "etc/passwd"), "utf8"), "inside");
    assert.equal(await fs.readFile(path.join(layer, "a/c"), "utf8"), "c");
    assert.equal(await fs.readFile(path.join(layer, "double"), "utf8"), "d");
    assert.deepEqual(await fs.readFile("/etc/passwd"), passwd);
    await unchangedOutside();
  });

  test("applyLayer turns whiteouts and opaque markers into overlay's, as a real mount shows", async () => {
    const { base, layer } = await fresh();
    const lower = layer;
    const upper = path.join(base, "layer2");
    await fs.mkdir(upper);
    await apply(
      [
        { name: "etc/", type: "directory" },
        { name: "etc/passwd", content: "root" },
        { name: "etc/shadow", content: "secret" },
        { name: "var/", type: "directory" },
        { name: "var/cache/", type: "directory" },
        { name: "var/cache/a", content: "a" },
        { name: "var/cache/b", content: "b" },
        { name: "opt/x", content: "x" },
        { name: "srv/", type: "directory" },
        { name: "srv/old", content: "old" },
      ],
      lower,
    );
    await apply(
      [
        { name: "etc/", type: "directory" },
        { name: "etc/.wh.shadow" },
        { name: "var/cache/", type: "directory" },
        { name: "var/cache/.wh..wh..opq" },
        { name: "var/cache/c", content: "c" },
        { name: ".wh.opt" },
        { name: ".wh..wh.plnk" },
        { name: ".wh.srv" },
        { name: "srv/", type: "directory" },
        { name: "srv/new", content: "new" },
      ],
      upper,
    );
    const shadow = await fs.lstat(path.join(upper, "etc/shadow"));
    assert.ok(shadow.isCharacterDevice() && shadow.rdev === 0, "whiteout is a 0:0 char device");
    const attrs = await readXattrTree(spawnRunner, upper);
    assert.equal(attrs.get(path.join(upper, "var/cache"))?.get("trusted.overlay.opaque")?.toString(), "y");
    assert.equal(attrs.get(path.join(upper, "srv"))?.get("trusted.overlay.opaque")?.toString(), "y");
    await assert.rejects(fs.lstat(path.join(upper, ".wh..wh.plnk")), { code: "ENOENT" });

    const merged = path.join(base, "merged");
    await mountOverlay(merged, [upper, lower]);
    try {
      const tree = await describeTree(merged);
      assert.deepEqual(Object.keys(tree).sort(), [
        "etc",
        "etc/passwd",
        "srv",
        "srv/new",
        "var",
        "var/cache",
        "var/cache/c",
      ]);
    } finally {
      await umount(merged);
    }
  });

  test("applyLayer makes a directory that replaces a whiteout of the same layer opaque", async () => {
    const { layer } = await fresh();
    await apply(
      [
        { name: ".wh.a" },
        { name: "a/", type: "directory", mode: 0o711 },
        { name: "a/x", content: "x" },
        { name: ".wh.b" },
        { name: "b/y", content: "y" },
      ],
      layer,
    );
    const attrs = await readXattrTree(spawnRunner, layer);
    for (const d of ["a", "b"]) {
      assert.ok((await fs.lstat(path.join(layer, d))).isDirectory());
      assert.equal(attrs.get(path.join(layer, d))?.get("trusted.overlay.opaque")?.toString(), "y", d);
    }
    assert.equal((await fs.lstat(path.join(layer, "a"))).mode & 0o7777, 0o711);
    assert.equal((await fs.lstat(path.join(layer, "b"))).mode & 0o7777, 0o755);
  });

  test("applyLayer rejects an entry below a regular file", async () => {
    const { layer } = await fresh();
    await assert.rejects(
      apply(
        [
          { name: "f", content: "x" },
          { name: "f/g", content: "y" },
        ],
        layer,
      ),
      (e) => isKind(e, "invalid-argument") && /parent "f" is not a directory/.test(String(e)),
    );
  });

  test("applyLayer applies a gzip layer through decompressStream and rejects a truncated one", async () => {
    const { layer } = await fresh();
    const gz = gzipSync(await makeTar([{ name: "big", content: Buffer.alloc(300_000, 7) }]));
    await applyLayer(await decompressStream(chunkedStream(gz)), layer);
    assert.equal((await fs.stat(path.join(layer, "big"))).size, 300_000);
    const { layer: layer2 } = await fresh();
    await assert.rejects(
      async () => applyLayer(await decompressStream(chunkedStream(gz.subarray(0, gz.length - 8))), layer2),
      (e) => isKind(e, "invalid-argument") && /truncated gzip/.test(String(e)),
    );
  });

  describe("escapes", () => {
    const cases: { name: string; entries: TestEntry[]; error: RegExp }[] = [
      { name: "a ../ name", entries: [{ name: "../evil", content: "x" }], error: /escapes the layer root/ },
      {
        name: "a name climbing out midway",
        entries: [{ name: "a/../../evil", content: "x" }],
        error: /escapes/,
      },
      {
        name: "an absolute ../ name",
        entries: [{ name: "/../outside/sentinel", content: "x" }],
        error: /escapes/,
      },
      {
        name: "a file through a symlink to outside",
        entries: [
          { name: "link", type: "symlink", linkname: "../outside" },
          { name: "link/sentinel", content: "pwned" },
        ],
        error: /would write through symlink "link"/,
      },
      {
        name: "a file through an absolute symlink",
        entries: [
          { name: "etc", type: "symlink", linkname: "/etc" },
          { name: "etc/berth-pwned", content: "pwned" },
        ],
        error: /would write through symlink "etc"/,
      },
      {
        name: "a symlink replacing a directory already used",
        entries: [
          { name: "d", type: "directory" },
          { name: "d/ok", content: "fine" },
          { name: "d", type: "symlink", linkname: "../outside" },
          { name: "d/sentinel", content: "pwned" },
        ],
        error: /would write through symlink "d"/,
      },
      {
        name: "a chain of symlinked parents",
        entries: [
          { name: "a/b", type: "directory" },
          { name: "a/b/up", type: "symlink", linkname: "../.." },
          { name: "a/b/up/outside/sentinel", content: "pwned" },
        ],
        error: /would write through symlink "a\/b\/up"/,
      },
      {
        name: "a nested symlink parent",
        entries: [
          { name: "a/l", type: "symlink", linkname: "../../outside" },
          { name: "a/l/x/y", content: "pwned" },
        ],
        error: /would write through symlink "a\/l"/,
      },
      {
        name: "a directory through a symlink",
        entries: [
          { name: "l", type: "symlink", linkname: "../outside" },
          { name: "l/newdir", type: "directory" },
        ],
        error: /would write through symlink/,
      },
      {
        name: "a hardlink to a file outside",
        entries: [{ name: "h", type: "link", linkname: "../outside/sentinel" }],
        error: /escapes/,
      },
      {
        name: "a hardlink to an absolute host path",
        entries: [{ name: "h", type: "link", linkname: "/etc/passwd" }],
        error: /not a regular file extracted earlier/,
      },
      {
        name: "a hardlink to a missing file",
        entries: [{ name: "h", type: "link", linkname: "nope" }],
        error: /not a regular file extracted earlier/,
      },
      {
        name: "a hardlink through a symlink",
        entries: [
          { name: "l", type: "symlink", linkname: "../outside" },
          { name: "h", type: "link", linkname: "l/sentinel" },
        ],
        error: /not a regular file extracted earlier/,
      },
      {
        name: "a hardlink to a symlink",
        entries: [
          { name: "l", type: "symlink", linkname: "../outside/sentinel" },
          { name: "h", type: "link", linkname: "l" },
        ],
        error: /not a regular file extracted earlier/,
      },
      {
        name: "a hardlink to a file whose directory became a symlink",
        entries: [
          { name: "d/f", content: "f" },
          { name: "d", type: "symlink", linkname: "../outside" },
          { name: "h", type: "link", linkname: "d/sentinel" },
        ],
        error: /not a regular file extracted earlier/,
      },
      {
        name: "a whiteout through a symlink",
        entries: [{ name: "l", type: "symlink", linkname: "../outside" }, { name: "l/.wh.sentinel" }],
        error: /would write through symlink/,
      },
      {
        name: "an opaque marker through a symlink",
        entries: [{ name: "l", type: "symlink", linkname: "../outside" }, { name: "l/.wh..wh..opq" }],
        error: /would write through symlink/,
      },
      { name: "a whiteout climbing out", entries: [{ name: "../.wh.outside" }], error: /escapes/ },
      { name: "a whiteout of '.'", entries: [{ name: "a/.wh.." }], error: /invalid whiteout/ },
    ];
    for (const c of cases) {
      test(`applyLayer rejects ${c.name}`, async () => {
        const { layer, unchangedOutside } = await fresh();
        await assert.rejects(
          apply(c.entries, layer),
          (e) => isKind(e, "invalid-argument") && c.error.test(String(e)),
        );
        await unchangedOutside();
        await assert.rejects(fs.lstat("/etc/berth-pwned"), { code: "ENOENT" });
      });
    }
  });
});

function chunkedStream(data: Buffer) {
  return Readable.from(chunked(data, 4096), { objectMode: false });
}
