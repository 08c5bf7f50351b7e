import assert from "node:assert/strict";
import { test } from "node:test";
import {
  demultiplex,
  encodeFrame,
  frameHeader,
  multiplex,
  StdcopyDecoder,
  StdcopyError,
  type StdFrame,
} from "./stdcopy.js";

test("frameHeader writes stream byte, three zeros and a big-endian length", () => {
  assert.deepEqual([...frameHeader("stderr", 0x01020304)], [2, 0, 0, 0, 1, 2, 3, 4]);
  assert.deepEqual([...frameHeader("stdin", 0)], [0, 0, 0, 0, 0, 0, 0, 0]);
  assert.throws(() => frameHeader("stdout", -1), RangeError);
  assert.throws(() => frameHeader("stdout", 2 ** 32), RangeError);
});

test("encodeFrame prefixes the payload", () => {
  assert.deepEqual([...encodeFrame("stdout", Buffer.from("hi"))], [1, 0, 0, 0, 0, 0, 0, 2, 0x68, 0x69]);
});

test("StdcopyDecoder reassembles frames split at every byte", () => {
  const wire = Buffer.concat([
    encodeFrame("stdout", Buffer.from("out\n")),
    encodeFrame("stderr", Buffer.from("err\n")),
    encodeFrame("stdout", Buffer.alloc(0)),
    encodeFrame("systemerr", Buffer.from("boom")),
  ]);
  const d = new StdcopyDecoder();
  const frames: StdFrame[] = [];
  for (const b of wire) frames.push(...d.push(Buffer.from([b])));
  d.end();
  assert.deepEqual(
    frames.map((f) => [f.stream, f.data.toString()]),
    [
      ["stdout", "out\n"],
      ["stderr", "err\n"],
      ["stdout", ""],
      ["systemerr", "boom"],
    ],
  );
});

test("StdcopyDecoder decodes many frames from one chunk and keeps the rest", () => {
  const d = new StdcopyDecoder();
  const wire = Buffer.concat([
    encodeFrame("stdout", Buffer.from("a")),
    encodeFrame("stderr", Buffer.from("bc")),
  ]);
  const frames = d.push(wire.subarray(0, wire.length - 1));
  assert.equal(frames.length, 1);
  assert.equal(d.pending, 9);
  assert.throws(() => d.end(), StdcopyError);
  assert.deepEqual(d.push(wire.subarray(wire.length - 1))[0]?.data.toString(), "bc");
  d.end();
});

test("StdcopyDecoder rejects an unknown stream byte", () => {
  const d = new StdcopyDecoder();
  assert.throws(() => d.push(Buffer.from([7, 0, 0, 0, 0, 0, 0, 0])), /unrecognized stream byte 7/);
});

test("multiplex and demultiplex round-trip", async () => {
  const input: StdFrame[] = [
    { stream: "stdout", data: Buffer.from("x".repeat(100_000)) },
    { stream: "stderr", data: Buffer.alloc(0) },
    { stream: "stderr", data: Buffer.from("e") },
  ];
  async function* src() {
    yield* input;
  }
  const wire: Buffer[] = [];
  for await (const b of multiplex(src())) wire.push(b);
  async function* chunks() {
    const all = Buffer.concat(wire);
    for (let i = 0; i < all.length; i += 777) yield all.subarray(i, i + 777);
  }
  const out = [];
  for await (const f of demultiplex(chunks())) out.push(f);
  assert.deepEqual(
    out.map((f) => [f.stream, f.data.length]),
    [
      ["stdout", 100_000],
      ["stderr", 1],
    ],
  );
});
