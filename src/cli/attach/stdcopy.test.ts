import assert from "node:assert/strict";
import { test } from "node:test";
import { demuxStream, encodeFrame, StdDemuxer, type StdFrame } from "./stdcopy.js";

const text = (frames: StdFrame[]) => frames.map((f) => `${f.stream}:${f.data.toString()}`);

test("encodeFrame writes the 8-byte header and the payload", () => {
  const frame = encodeFrame(2, "hi");
  assert.deepEqual([...frame], [2, 0, 0, 0, 0, 0, 0, 2, 104, 105]);
  const big = encodeFrame(1, Buffer.alloc(0x01020304));
  assert.deepEqual([...big.subarray(0, 8)], [1, 0, 0, 0, 1, 2, 3, 4]);
  assert.deepEqual([...encodeFrame(1, "")], [1, 0, 0, 0, 0, 0, 0, 0]);
});

test("StdDemuxer splits whole frames in one chunk", () => {
  const demux = new StdDemuxer();
  const chunk = Buffer.concat([encodeFrame(1, "out\n"), encodeFrame(2, "err\n"), encodeFrame(1, "")]);
  assert.deepEqual(text(demux.push(chunk)), ["1:out\n", "2:err\n", "1:"]);
  demux.end();
});

test("StdDemuxer handles headers and payloads split at every byte", () => {
  const stream = Buffer.concat([encodeFrame(1, "hello"), encodeFrame(2, "world!"), encodeFrame(1, "x")]);
  for (let size = 1; size <= stream.length; size++) {
    const demux = new StdDemuxer();
    const frames: StdFrame[] = [];
    for (let i = 0; i < stream.length; i += size) frames.push(...demux.push(stream.subarray(i, i + size)));
    assert.deepEqual(text(frames), ["1:hello", "2:world!", "1:x"], `chunk size ${size}`);
    assert.equal(demux.buffered, 0);
    demux.end();
  }
});

test("StdDemuxer keeps a partial frame and end() reports it", () => {
  const demux = new StdDemuxer();
  const frame = encodeFrame(1, "abcdef");
  assert.deepEqual(demux.push(frame.subarray(0, 5)), []);
  assert.deepEqual(demux.push(frame.subarray(5, 10)), []);
  assert.equal(demux.buffered, 10);
  assert.throws(() => demux.end(), /unexpected EOF: 10 bytes left/);
});

test("StdDemuxer rejects an unknown stream byte", () => {
  assert.throws(
    () => new StdDemuxer().push(Buffer.from([9, 0, 0, 0, 0, 0, 0, 1, 65])),
    /Unrecognized input header: 9/,
  );
});

test("StdDemuxer passes the daemon's error frames (stream 3) through", () => {
  assert.deepEqual(text(new StdDemuxer().push(encodeFrame(3, "boom"))), ["3:boom"]);
});

test("demuxStream reads an async stream of chunks", async () => {
  async function* source() {
    const all = Buffer.concat([encodeFrame(1, "a"), encodeFrame(2, "b")]);
    yield all.subarray(0, 3);
    yield all.subarray(3, 12);
    yield all.subarray(12);
  }
  const frames: StdFrame[] = [];
  for await (const f of demuxStream(source())) frames.push(f);
  assert.deepEqual(text(frames), ["1:a", "2:b"]);
});
