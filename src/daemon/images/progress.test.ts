import assert from "node:assert/strict";
import { test } from "node:test";
import { bytesProgress, shortId, status } from "./progress.js";

const D = `sha256:${"ab".repeat(32)}` as const;

test("bytesProgress has Docker's fields and a bar", () => {
  const m = bytesProgress("Downloading", D, 2_500_000, 5_000_000);
  assert.equal(m.id, "abababababab");
  assert.deepEqual(m.progressDetail, { current: 2_500_000, total: 5_000_000 });
  assert.match(m.progress!, /^\[=+> +\] {2}2\.5MB\/5MB$/);
});

test("status lines with and without an id", () => {
  assert.deepEqual(status("Digest: x"), { status: "Digest: x" });
  assert.deepEqual(status("Pull complete", shortId(D)), {
    status: "Pull complete",
    progressDetail: {},
    id: "abababababab",
  });
});
