import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isKind } from "../../lib/errors.js";
import {
  BLOCK,
  decodeHeaderBlock,
  encodeHeader,
  encodePaxRecords,
  parsePaxRecords,
  type TarHeader,
} from "./tar-header.js";

const header = (over: Partial<TarHeader> = {}): TarHeader => ({
  name: "etc/passwd",
  type: "file",
  mode: 0o644,
  uid: 0,
  gid: 0,
  size: 0,
  mtime: 1_600_000_000,
  linkname: "",
  devmajor: 0,
  devminor: 0,
  xattrs: new Map(),
  ...over,
});

describe("tar-header", () => {
  test("encodeHeader writes one ustar block when every field fits", () => {
    const block = encodeHeader(header({ mode: 0o4755, uid: 1000, gid: 100, size: 12 }));
    assert.equal(block.length, BLOCK);
    const raw = decodeHeaderBlock(block);
    assert.ok(raw);
    assert.equal(raw.format, "ustar");
    assert.equal(raw.name, "etc/passwd");
    assert.equal(raw.mode, 0o4755);
    assert.deepEqual([raw.uid, raw.gid, raw.size, raw.mtime], [1000, 100, 12, 1_600_000_000]);
  });

  test("encodeHeader splits names up to 255 bytes into ustar prefix and name", () => {
    const name = `${"d".repeat(120)}/${"f".repeat(90)}`;
    const block = encodeHeader(header({ name }));
    assert.equal(block.length, BLOCK);
    assert.equal(decodeHeaderBlock(block)?.name, name);
  });

  test("encodeHeader adds a PAX header for non-ASCII names and xattrs", () => {
    const h = header({ name: "données/été", xattrs: new Map([["user.k", Buffer.from([0, 0xff, 0x80])]]) });
    const bytes = encodeHeader(h);
    assert.ok(bytes.length > BLOCK);
    assert.equal(decodeHeaderBlock(bytes.subarray(0, BLOCK))?.typeflag, "x");
  });

  test("parsePaxRecords keeps binary values byte for byte", () => {
    const value = Buffer.from([0x01, 0x00, 0x00, 0x02, 0x80, 0xff, 0x0a, 0x3d]);
    const data = encodePaxRecords([
      ["path", Buffer.from("a/b")],
      ["SCHILY.xattr.security.capability", value],
    ]);
    const parsed = parsePaxRecords(data);
    assert.equal(parsed.get("path")?.toString(), "a/b");
    assert.deepEqual(parsed.get("SCHILY.xattr.security.capability"), value);
  });

  test("encodePaxRecords gets lengths right across a digit boundary", () => {
    for (let n = 80; n < 120; n++) {
      const value = Buffer.alloc(n, 0x61);
      assert.deepEqual(parsePaxRecords(encodePaxRecords([["k", value]])).get("k"), value);
    }
  });

  test("decodeHeaderBlock returns undefined for a zero block", () => {
    assert.equal(decodeHeaderBlock(Buffer.alloc(BLOCK)), undefined);
  });

  test("decodeHeaderBlock rejects a bad checksum", () => {
    const block = encodeHeader(header());
    block[0] = 0x78;
    assert.throws(
      () => decodeHeaderBlock(block),
      (e) => isKind(e, "invalid-argument") && /checksum/.test(String(e)),
    );
  });

  test("parsePaxRecords rejects a malformed record", () => {
    assert.throws(() => parsePaxRecords(Buffer.from("99 path=x\n")), /invalid PAX/);
  });
});
