import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createWriteStream, promises as fs } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { spawnRunner } from "../../lib/exec.js";
import {
  chunked,
  collect,
  describeTree,
  makeTar,
  mountOverlay,
  removeRoot,
  tempRoot,
  umount,
} from "./_testing.js";
import { deviceNumbers, layerDiff, writeLayerDiff } from "./diff.js";
import { applyLayer } from "./extract.js";
import type { TarHeader } from "./tar-header.js";
import { readTar } from "./tar-reader.js";

const T = 1_600_000_000;
const CAP = "0x0100000200200000000000000000000000000000";

const run = (cmd: string, ...args: string[]) => spawnRunner.run(cmd, args);

describe("writeLayerDiff", () => {
  let root: string;
  let lower: string;
  let upper: string;
  let merged: Record<string, string>;
  let tarFile: string;
  let headers: TarHeader[];

  before(async () => {
    root = await tempRoot("diff");
    lower = path.join(root, "lower");
    upper = path.join(root, "upper");
    await fs.mkdir(lower);
    await fs.mkdir(upper);
    await fs.mkdir(path.join(root, "work"));
    const base = await makeTar([
      { name: "etc/", type: "directory", mtime: new Date(T * 1000) },
      { name: "etc/passwd", content: "root:x:0:0\n" },
      { name: "etc/shadow", content: "root:*\n", mode: 0o600 },
      { name: "var/cache/a", content: "a" },
      { name: "var/cache/b", content: "b" },
      { name: "var/lib/keep/file", content: "kept", uid: 5, gid: 6 },
      { name: "usr/bin/tool", content: "tool", mode: 0o755, pax: { "SCHILY.xattr.user.origin": "base" } },
      { name: "opt/dir/x", content: "x" },
      { name: "home/", type: "directory", mode: 0o755 },
    ]);
    await applyLayer(chunked(base), lower);

    // Changes made through a real overlay mount land in the upper dir.
    const m = path.join(root, "m");
    await mountOverlay(m, [lower], upper, path.join(root, "work"));
    try {
      const at = (p: string) => path.join(m, p);
      await fs.writeFile(at("etc/hosts"), "127.0.0.1 localhost\n");
      await fs.writeFile(at("etc/passwd"), "root:x:0:0\nuser:x:1000:1000\n");
      await fs.rm(at("etc/shadow"));
      await fs.rm(at("var/cache"), { recursive: true });
      await fs.mkdir(at("var/cache"));
      await fs.writeFile(at("var/cache/c"), "c");
      await fs.rm(at("opt/dir"), { recursive: true });
      await run("mv", at("var/lib/keep"), at("var/lib/moved"));
      await fs.chown(at("usr/bin/tool"), 0, 50);
      await fs.chmod(at("usr/bin/tool"), 0o4755);
      await fs.symlink("../etc/hosts", at("home/link"));
      await fs.mkdir(at("new"), { mode: 0o700 });
      await fs.writeFile(at("new/f"), "shared");
      await fs.link(at("new/f"), at("new/g"));
      await run("setfattr", "-n", "user.bin", "-v", "0x00ff80", at("new/f"));
      await run("setfattr", "-n", "security.capability", "-v", CAP, at("new/f"));
      await run("mknod", at("new/null"), "c", "1", "3");
      await run("mkfifo", at("new/fifo"));
      await fs.writeFile(at("new/long-" + "n".repeat(120) + "-é"), "long");
      await fs.utimes(at("etc/hosts"), T + 10, T + 10);
      merged = await describeTree(m);
    } finally {
      await umount(m);
    }
    tarFile = path.join(root, "layer.tar");
    await writeLayerDiff(upper, createWriteStream(tarFile));
    headers = [];
    for await (const e of readTar(chunked(await fs.readFile(tarFile)))) headers.push(e.header);
  });
  after(async () => {
    await removeRoot(root);
  });

  test("writeLayerDiff round-trips an overlay upper dir: same merged view after extracting the diff", async () => {
    const upper2 = path.join(root, "upper2");
    await fs.mkdir(upper2);
    await applyLayer(chunked(await fs.readFile(tarFile)), upper2);
    const m2 = path.join(root, "m2");
    await mountOverlay(m2, [upper2, lower]);
    try {
      assert.deepEqual(await describeTree(m2), merged);
      const [f, g] = [await fs.stat(path.join(m2, "new/f")), await fs.stat(path.join(m2, "new/g"))];
      assert.equal(f.ino, g.ino, "hardlinks stay hardlinks");
    } finally {
      await umount(m2);
    }
    assert.equal(merged["etc/shadow"], undefined);
    assert.deepEqual(
      Object.keys(merged).filter((k) => k.startsWith("var/")),
      ["var/cache", "var/cache/c", "var/lib", "var/lib/moved", "var/lib/moved/file"],
    );
    assert.match(merged["new/f"] ?? "", /security\.capability=0100000200200000/);
    assert.match(merged["usr/bin/tool"] ?? "", / 4755 0:50 .*user\.origin=62617365/);
  });

  test("writeLayerDiff writes whiteouts and opaque directories in Docker's format", () => {
    const byName = new Map(headers.map((h) => [h.name, h]));
    const shadow = byName.get("etc/.wh.shadow");
    assert.deepEqual([shadow?.type, shadow?.size, shadow?.mode], ["file", 0, 0o600]);
    assert.equal(byName.get("opt/.wh.dir")?.type, "file");
    assert.equal(
      byName.get("var/lib/.wh.keep")?.type,
      "file",
      "a renamed lower dir is a whiteout plus a copy",
    );
    const names = headers.map((h) => h.name);
    const cache = names.indexOf("var/cache/");
    assert.ok(cache >= 0);
    assert.equal(names[cache + 1], "var/cache/.wh..wh..opq");
    assert.equal(byName.get("var/cache/")?.type, "dir");
    assert.equal(names.filter((n) => n.includes(".wh..wh..opq")).length, 1);
    assert.ok(!names.some((n) => n === "etc/shadow" || n.startsWith("opt/dir")));
  });

  test("writeLayerDiff keeps hardlinks, symlinks, devices, fifos and binary xattrs", () => {
    const byName = new Map(headers.map((h) => [h.name, h]));
    assert.deepEqual([byName.get("new/g")?.type, byName.get("new/g")?.linkname], ["hardlink", "new/f"]);
    assert.equal(byName.get("new/f")?.type, "file");
    assert.deepEqual(byName.get("new/f")?.xattrs.get("user.bin"), Buffer.from([0x00, 0xff, 0x80]));
    assert.equal(byName.get("new/f")?.xattrs.get("security.capability")?.toString("hex"), CAP.slice(2));
    assert.deepEqual(
      [byName.get("home/link")?.type, byName.get("home/link")?.linkname],
      ["symlink", "../etc/hosts"],
    );
    const nul = byName.get("new/null");
    assert.deepEqual([nul?.type, nul?.devmajor, nul?.devminor], ["char", 1, 3]);
    assert.equal(byName.get("new/fifo")?.type, "fifo");
    assert.equal(byName.get("new/")?.mode, 0o700);
    assert.equal(byName.get("etc/hosts")?.mtime, T + 10);
    assert.ok(headers.every((h) => ![...h.xattrs.keys()].some((k) => k.startsWith("trusted.overlay."))));
  });

  test("writeLayerDiff output is sorted and deterministic", async () => {
    const top = [...new Set(headers.map((h) => h.name.split("/")[0] ?? ""))];
    assert.deepEqual(top, ["etc", "home", "new", "opt", "usr", "var"]);
    const inNew = headers.map((h) => h.name).filter((n) => n.startsWith("new/"));
    assert.deepEqual(inNew, [
      "new/",
      "new/f",
      "new/fifo",
      "new/g",
      `new/long-${"n".repeat(120)}-é`,
      "new/null",
    ]);
    const first = await collect(layerDiff(upper));
    const second = await collect(layerDiff(upper));
    assert.deepEqual(first, second);
    const digest = `sha256:${createHash("sha256").update(first).digest("hex")}`;
    const sink = createWriteStream(path.join(root, "again.tar"));
    const result = await writeLayerDiff(upper, sink);
    assert.equal(result.diffId, digest);
    assert.equal(result.size, first.length);
    assert.deepEqual(await fs.readFile(tarFile), first);
  });

  test("deviceNumbers decodes Linux dev_t", () => {
    assert.deepEqual(deviceNumbers((1 << 8) | 3), { major: 1, minor: 3 });
    assert.deepEqual(deviceNumbers(0), { major: 0, minor: 0 });
    const makedev = (major: bigint, minor: bigint) =>
      Number(
        ((major & 0xfffn) << 8n) | ((major & ~0xfffn) << 32n) | (minor & 0xffn) | ((minor & ~0xffn) << 12n),
      );
    assert.deepEqual(deviceNumbers(makedev(0x1fffn, 0x1ffn)), { major: 0x1fff, minor: 0x1ff });
    assert.deepEqual(deviceNumbers(makedev(259n, 65536n)), { major: 259, minor: 65536 });
  });
});
