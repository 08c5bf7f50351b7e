import assert from "node:assert/strict";
import { test } from "node:test";
import { parseContentRange, parseRangeHeader, uploadRange } from "./ranges.js";

test("parseRangeHeader reads single byte ranges and clamps them to the blob", () => {
  assert.deepEqual(parseRangeHeader("bytes=0-9", 100), { start: 0, end: 9 });
  assert.deepEqual(parseRangeHeader("bytes=90-", 100), { start: 90, end: 99 });
  assert.deepEqual(parseRangeHeader("bytes=90-500", 100), { start: 90, end: 99 });
  assert.deepEqual(parseRangeHeader("bytes=-10", 100), { start: 90, end: 99 });
  assert.deepEqual(parseRangeHeader("bytes=-500", 100), { start: 0, end: 99 });
});

test("parseRangeHeader: past the end is unsatisfiable; what it does not understand means the whole blob", () => {
  assert.equal(parseRangeHeader("bytes=100-", 100), "unsatisfiable");
  assert.equal(parseRangeHeader("bytes=-0", 100), "unsatisfiable");
  assert.equal(parseRangeHeader(undefined, 100), undefined);
  assert.equal(parseRangeHeader("bytes=0-1,5-6", 100), undefined);
  assert.equal(parseRangeHeader("items=0-1", 100), undefined);
  assert.equal(parseRangeHeader("bytes=9-2", 100), undefined);
});

test("parseContentRange reads the spec's form and the RFC forms clients send", () => {
  assert.deepEqual(parseContentRange("0-1023"), { start: 0, end: 1023 });
  assert.deepEqual(parseContentRange("bytes 1024-2047/*"), { start: 1024, end: 2047 });
  assert.deepEqual(parseContentRange("bytes=5-5"), { start: 5, end: 5 });
  assert.equal(parseContentRange("10-5"), undefined);
  assert.equal(parseContentRange("abc"), undefined);
  assert.equal(parseContentRange("-5"), undefined);
});

test("uploadRange names the last byte held, 0-0 while empty", () => {
  assert.equal(uploadRange(0), "0-0");
  assert.equal(uploadRange(1), "0-0");
  assert.equal(uploadRange(1024), "0-1023");
});
