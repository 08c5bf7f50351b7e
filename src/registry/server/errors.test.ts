import assert from "node:assert/strict";
import { test } from "node:test";
import { blobUnknown, errorBody, RegistryError } from "./errors.js";

test("errorBody is the spec's errors array, one entry per problem", () => {
  const e = new RegistryError(400, "MANIFEST_BLOB_UNKNOWN", "first", { digest: "a" }).with(
    "MANIFEST_BLOB_UNKNOWN",
    "second",
  );
  assert.deepEqual(JSON.parse(errorBody(e.entries)), {
    errors: [
      { code: "MANIFEST_BLOB_UNKNOWN", message: "first", detail: { digest: "a" } },
      { code: "MANIFEST_BLOB_UNKNOWN", message: "second" },
    ],
  });
  const b = blobUnknown("sha256:x");
  assert.equal(b.status, 404);
  assert.equal(b.code, "BLOB_UNKNOWN");
});
