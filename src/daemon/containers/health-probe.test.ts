import assert from "node:assert/strict";
import { test } from "node:test";
import { goDuration } from "./health-probe.js";

test("goDuration prints Go's time.Duration text for Docker's timeout message", () => {
  assert.equal(goDuration(500), "500ms");
  assert.equal(goDuration(30_000), "30s");
  assert.equal(goDuration(1_500), "1.5s");
  assert.equal(goDuration(90_000), "1m30s");
  assert.equal(goDuration(3_600_000), "1h0m0s");
});
