import assert from "node:assert/strict";
import { test } from "node:test";
import { parseByteSize } from "./byte-size.js";

test("parseByteSize reads docker's sizes with binary multiples", () => {
  assert.equal(parseByteSize("512m"), 536870912);
  assert.equal(parseByteSize("1gb"), 1073741824);
  assert.equal(parseByteSize("1GiB"), 1073741824);
  assert.equal(parseByteSize("1.5k"), 1536);
  assert.equal(parseByteSize(" 64 k "), 65536);
  assert.equal(parseByteSize("2048"), 2048);
  assert.equal(parseByteSize(2048), 2048);
  for (const bad of ["lots", "-1", "1x", "", "1.5.2m"]) assert.equal(parseByteSize(bad), undefined, bad);
  assert.equal(parseByteSize(1.5), undefined);
  assert.equal(parseByteSize(-2), undefined);
});
