import assert from "node:assert/strict";
import { test } from "node:test";
import { BerthError, invalidArgument } from "../../lib/errors.js";
import { DockerfileError, locate } from "./errors.js";

test("DockerfileError names the file, line and column", () => {
  const err = new DockerfileError("unknown instruction: FORM", {
    file: "app/Dockerfile",
    line: 3,
    column: 5,
  });
  assert.ok(err instanceof BerthError);
  assert.equal(err.kind, "invalid-argument");
  assert.equal(err.message, "app/Dockerfile:3:5: unknown instruction: FORM");
  assert.deepEqual(err.range, { start: { line: 3, column: 5 }, end: { line: 3, column: 5 } });
});

test("locate attaches a range to plain errors and keeps located ones", () => {
  const range = { start: { line: 2, column: 1 }, end: { line: 4, column: 9 } };
  const cause = invalidArgument("bad");
  const located = locate(cause, "Dockerfile", range);
  assert.equal(located.message, "Dockerfile:2:1: bad");
  assert.equal(located.cause, cause);
  assert.deepEqual(located.range, range);
  assert.equal(
    locate(located, "Other", { start: { line: 9, column: 9 }, end: { line: 9, column: 9 } }),
    located,
  );
});
