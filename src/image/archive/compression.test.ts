import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { PassThrough, Readable } from "node:stream";
import { describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { isKind } from "../../lib/errors.js";
import { collect } from "./_testing.js";
import { decompressStream, detectCompression } from "./compression.js";

const payload = Buffer.concat([Buffer.from("layer content "), randomBytes(200_000)]);

/** A stream delivering data in small chunks, as a network or file would. */
const source = (data: Buffer) =>
  Readable.from(
    (function* () {
      for (let i = 0; i < data.length; i += 4096) yield data.subarray(i, i + 4096);
    })(),
    { objectMode: false },
  );

function zstd(data: Buffer): Buffer {
  const r = spawnSync("zstd", ["-c", "-q"], { input: data });
  assert.equal(r.status, 0, String(r.stderr));
  return r.stdout;
}

describe("compression", () => {
  test("detectCompression recognises gzip, zstd, xz and bzip2 magic", () => {
    assert.equal(detectCompression(gzipSync(Buffer.from("x"))), "gzip");
    assert.equal(detectCompression(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x04])), "zstd");
    assert.equal(detectCompression(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])), "xz");
    assert.equal(detectCompression(Buffer.from("BZh91AY")), "bzip2");
    assert.equal(detectCompression(Buffer.from("etc/passwd\0")), "none");
    assert.equal(detectCompression(Buffer.from([0x1f])), "none");
  });

  test("decompressStream passes a plain stream through unchanged", async () => {
    assert.deepEqual(await collect(await decompressStream(source(payload))), payload);
  });

  test("decompressStream passes a stream shorter than the magic through", async () => {
    assert.deepEqual(await collect(await decompressStream(source(Buffer.from("ab")))), Buffer.from("ab"));
    assert.deepEqual(await collect(await decompressStream(source(Buffer.alloc(0)))), Buffer.alloc(0));
  });

  test("decompressStream gunzips gzip, including concatenated members", async () => {
    assert.deepEqual(await collect(await decompressStream(source(gzipSync(payload)))), payload);
    const two = Buffer.concat([gzipSync(Buffer.from("one ")), gzipSync(Buffer.from("two"))]);
    assert.equal((await collect(await decompressStream(source(two)))).toString(), "one two");
  });

  test("decompressStream decompresses zstd with the zstd program", async () => {
    assert.deepEqual(await collect(await decompressStream(source(zstd(payload)))), payload);
  });

  test("decompressStream decompresses xz and bzip2 with their programs", async () => {
    for (const program of ["xz", "bzip2"]) {
      const r = spawnSync(program, ["-c"], { input: payload });
      if (r.status !== 0) continue; // not installed here
      assert.deepEqual(await collect(await decompressStream(source(r.stdout))), payload, program);
    }
  });

  test("decompressStream rejects a truncated gzip stream", async () => {
    const gz = gzipSync(payload);
    for (const cut of [gz.length - 4, Math.floor(gz.length / 2), 12]) {
      await assert.rejects(
        collect(await decompressStream(source(gz.subarray(0, cut)))),
        (e) => isKind(e, "invalid-argument") && /truncated gzip/.test(String(e)),
        `cut at ${cut}`,
      );
    }
  });

  test("decompressStream rejects corrupt gzip data", async () => {
    const gz = gzipSync(payload);
    gz.fill(0x55, 100, 200);
    await assert.rejects(collect(await decompressStream(source(gz))), (e) => isKind(e, "invalid-argument"));
  });

  test("decompressStream rejects a truncated zstd stream", async () => {
    const z = zstd(payload);
    await assert.rejects(
      collect(await decompressStream(source(z.subarray(0, Math.floor(z.length / 2))))),
      (e) => isKind(e, "invalid-argument") && /truncated zstd/.test(String(e)),
    );
  });

  test("decompressStream explains a missing zstd program", async () => {
    const path = process.env.PATH;
    const input = source(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x04, 0x00, 0x00]));
    process.env.PATH = "/nonexistent";
    try {
      await assert.rejects(
        decompressStream(input),
        (e) => isKind(e, "invalid-argument") && /zstd layers need the zstd program/.test(String(e)),
      );
    } finally {
      process.env.PATH = path;
    }
  });

  test("decompressStream propagates an error of its input", async () => {
    const failing = new Readable({
      read() {
        this.push(gzipSync(payload).subarray(0, 1000));
        this.destroy(new Error("connection reset"));
      },
    });
    await assert.rejects(async () => collect(await decompressStream(failing)), /connection reset/);
  });

  test("decompressStream reads a stream written and ended in one go while it sniffs", async () => {
    // As a download teed to an extraction that starts late: all bytes and the end arrive at once.
    for (const data of [gzipSync(payload), payload]) {
      const input = new PassThrough();
      const out = decompressStream(input);
      input.end(data);
      assert.deepEqual(await collect(await out), payload);
    }
  });

  test("decompressStream's error before anyone reads is not an uncaught exception", async () => {
    const input = new PassThrough();
    const out = await decompressStream(
      Readable.from([gzipSync(payload).subarray(0, 5000)], { objectMode: false }).pipe(input),
    );
    await new Promise((r) => setTimeout(r, 50)); // gunzip fails meanwhile, with no reader attached
    await assert.rejects(collect(out), /truncated gzip stream/);
  });

  test("destroying the decompressed stream stops its input", async () => {
    const input = new PassThrough();
    input.write(gzipSync(payload).subarray(0, 5000));
    const out = await decompressStream(input);
    out.destroy();
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(input.destroyed, true);
  });
});
