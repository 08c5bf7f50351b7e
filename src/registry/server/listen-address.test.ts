import assert from "node:assert/strict";
import { test } from "node:test";
import { parseListenAddress } from "./listen-address.js";

test("parseListenAddress reads host:port, [v6]:port and :port", () => {
  assert.deepEqual(parseListenAddress("127.0.0.1:5000"), { host: "127.0.0.1", port: 5000 });
  assert.deepEqual(parseListenAddress("localhost:0"), { host: "localhost", port: 0 });
  assert.deepEqual(parseListenAddress("[::1]:5001"), { host: "::1", port: 5001 });
  assert.deepEqual(parseListenAddress(":5000"), { host: "0.0.0.0", port: 5000 });
});

test("parseListenAddress refuses addresses without a valid port", () => {
  for (const bad of ["127.0.0.1", "127.0.0.1:70000", "::1:5000", "host:port", ""]) {
    assert.throws(() => parseListenAddress(bad), /invalid address/, bad);
  }
});
