import assert from "node:assert/strict";
import { test } from "node:test";
import { RLIM_INFINITY, type RuntimeSpec, specToJson } from "./runtime-spec.js";

test("specToJson writes bigint rlimits as exact JSON integers", () => {
  const spec: RuntimeSpec = {
    ociVersion: "1.0.2",
    process: {
      user: { uid: 0, gid: 0 },
      cwd: "/",
      args: ["sh"],
      rlimits: [{ type: "RLIMIT_CORE", soft: 0, hard: RLIM_INFINITY }],
    },
  };
  const text = specToJson(spec);
  assert.match(text, /"hard":18446744073709551615\}/);
  assert.match(text, /"soft":0,/);
  assert.throws(() => JSON.stringify(spec), TypeError);
});

test("specToJson leaves strings alone and indents on request", () => {
  const spec: RuntimeSpec = { ociVersion: "1.0.2", hostname: "bigint:1" };
  assert.equal(specToJson(spec), '{"ociVersion":"1.0.2","hostname":"bigint:1"}');
  assert.equal(specToJson(spec, 2), JSON.stringify(spec, null, 2));
});
