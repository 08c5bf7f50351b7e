import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { isKind } from "../../lib/errors.js";
import { chunked, collect, makeTar, removeRoot, tempRoot } from "./_testing.js";
import { END_OF_ARCHIVE, encodeHeader, paddingOf, type TarHeader } from "./tar-header.js";
import { readTar } from "./tar-reader.js";

async function entries(data: Buffer) {
  const out: { header: TarHeader; content: string }[] = [];
  for await (const e of readTar(chunked(data)))
    out.push({ header: e.header, content: (await collect(e.body)).toString() });
  return out;
}

describe("readTar", () => {
  let root: string;
  before(async () => {
    root = await tempRoot("tar-reader");
  });
  after(async () => {
    await removeRoot(root);
  });

  test("readTar reads tar-stream's entries, PAX names and link names", async () => {
    const long = `${"x".repeat(150)}/${"y".repeat(120)}`;
    const data = await makeTar([
      { name: "dir", type: "directory", mode: 0o750, uid: 7, gid: 8 },
      { name: "dir/file", content: "hello", mode: 0o4755 },
      { name: long, content: "long" },
      { name: "dir/link", type: "symlink", linkname: `/${"t".repeat(200)}` },
      { name: "dir/hard", type: "link", linkname: "dir/file" },
      { name: "tty", type: "character-device", devmajor: 5, devminor: 0 },
    ]);
    const got = await entries(data);
    assert.deepEqual(
      got.map((e) => [e.header.name, e.header.type, e.content]),
      [
        ["dir", "dir", ""],
        ["dir/file", "file", "hello"],
        [long, "file", "long"],
        ["dir/link", "symlink", ""],
        ["dir/hard", "hardlink", ""],
        ["tty", "char", ""],
      ],
    );
    assert.equal(got[0]?.header.mode, 0o750);
    assert.deepEqual([got[0]?.header.uid, got[0]?.header.gid], [7, 8]);
    assert.equal(got[1]?.header.mode, 0o4755);
    assert.equal(got[3]?.header.linkname, `/${"t".repeat(200)}`);
    assert.deepEqual([got[5]?.header.devmajor, got[5]?.header.devminor], [5, 0]);
  });

  test("readTar reads GNU tar's long names and PAX xattrs", async () => {
    const src = path.join(root, "gnu");
    const long = "n".repeat(140);
    await fs.mkdir(src);
    await fs.writeFile(path.join(src, long), "gnu");
    await fs.symlink("z".repeat(130), path.join(src, "s"));
    const run = promisify(execFile);
    const { stdout } = await run("tar", ["--format=gnu", "-C", src, "-cf", "-", long, "s"], {
      encoding: "buffer",
    });
    const got = await entries(stdout);
    assert.deepEqual(
      got.map((e) => [e.header.name, e.content, e.header.linkname]),
      [
        [long, "gnu", ""],
        ["s", "", "z".repeat(130)],
      ],
    );
  });

  test("readTar round-trips encodeHeader's binary xattrs and big ids", async () => {
    const cap = Buffer.from("0100000200200000000000000000000000000000", "hex");
    const h: TarHeader = {
      name: "bin/ping",
      type: "file",
      mode: 0o755,
      uid: 3_000_000,
      gid: 1,
      size: 3,
      mtime: 1_700_000_000,
      linkname: "",
      devmajor: 0,
      devminor: 0,
      xattrs: new Map([
        ["security.capability", cap],
        ["user.raw", Buffer.from([0xff, 0x00, 0x80])],
      ]),
    };
    const data = Buffer.concat([
      encodeHeader(h),
      Buffer.from("abc"),
      Buffer.alloc(paddingOf(3)),
      END_OF_ARCHIVE,
    ]);
    const [e] = await entries(data);
    assert.ok(e);
    assert.equal(e.content, "abc");
    assert.equal(e.header.uid, 3_000_000);
    assert.deepEqual(e.header.xattrs.get("security.capability"), cap);
    assert.deepEqual(e.header.xattrs.get("user.raw"), Buffer.from([0xff, 0x00, 0x80]));
  });

  test("readTar skips bodies the consumer did not read", async () => {
    const data = await makeTar([
      { name: "a", content: "x".repeat(1000) },
      { name: "b", content: "second" },
    ]);
    const names: string[] = [];
    let last = "";
    for await (const e of readTar(chunked(data, 100))) {
      names.push(e.header.name);
      if (e.header.name === "b") last = (await collect(e.body)).toString();
    }
    assert.deepEqual(names, ["a", "b"]);
    assert.equal(last, "second");
  });

  test("readTar rejects a tar cut inside an entry", async () => {
    const data = await makeTar([{ name: "a", content: "y".repeat(3000) }]);
    await assert.rejects(
      entries(data.subarray(0, 2048)),
      (e) => isKind(e, "invalid-argument") && /truncated tar/.test(String(e)),
    );
  });

  test("readTar accepts a last entry without padding or end marker (the docker CLI's -f outside the context)", async () => {
    const data = await makeTar([
      { name: "a", content: "first" },
      { name: ".dockerignore", content: "x".repeat(47) },
    ]);
    const cut = 512 + 512 + 512 + 47; // a, its padded content, the second header, 47 bytes
    const got = await entries(data.subarray(0, cut));
    assert.deepEqual(
      got.map((e) => [e.header.name, e.content.length]),
      [
        ["a", 5],
        [".dockerignore", 47],
      ],
    );
  });

  test("readTar rejects unsupported entry types", async () => {
    const data = await makeTar([{ name: "a", content: "z" }]);
    data[156] = "S".charCodeAt(0); // GNU sparse
    let sum = 0;
    data.fill(0x20, 148, 156);
    for (let i = 0; i < 512; i++) sum += data[i] ?? 0;
    data.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "latin1");
    await assert.rejects(
      entries(data),
      (e) => isKind(e, "invalid-argument") && /unsupported/.test(String(e)),
    );
  });
});
