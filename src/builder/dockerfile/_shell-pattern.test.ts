import assert from "node:assert/strict";
import { test } from "node:test";
import { shellPatternToRegex, trimPrefix, trimSuffix } from "./_shell-pattern.js";

test("shellPatternToRegex converts wildcards and escapes", () => {
  assert.equal(shellPatternToRegex("*", true, true).source, "^[^\\n]*");
  assert.equal(shellPatternToRegex("?", true, true).source, "^[^\\n]");
  assert.equal(shellPatternToRegex("\\*", true, true).source, "^\\*");
  assert.throws(() => shellPatternToRegex("\\x", true, true), /invalid escape/);
  assert.throws(() => shellPatternToRegex("\\", true, true), /invalid escape/);
});

test("trimPrefix and trimSuffix remove the shortest or longest match", () => {
  assert.equal(trimPrefix("*/", "a/b/c", false), "b/c");
  assert.equal(trimPrefix("*/", "a/b/c", true), "c");
  assert.equal(trimSuffix(".*", "f.tar.gz", false), "f.tar");
  assert.equal(trimSuffix(".*", "f.tar.gz", true), "f");
  assert.equal(trimSuffix("x", "abc", true), "abc");
});
