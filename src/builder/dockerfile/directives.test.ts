import assert from "node:assert/strict";
import { test } from "node:test";
import { DirectiveParser, looksLikeDirective, parseCheckOptions, parseEscapeToken } from "./directives.js";

test("DirectiveParser reads directives until the first other line", () => {
  const p = new DirectiveParser();
  assert.deepEqual(p.parseLine("#escape=\\"), { name: "escape", value: "\\", line: 1 });
  assert.deepEqual(p.parseLine("# SYNTAX = docker/dockerfile:1 // opts"), {
    name: "syntax",
    value: "docker/dockerfile:1 // opts",
    line: 2,
  });
  assert.equal(p.parseLine("# key = FOO bar"), undefined);
  assert.equal(p.done, true);
  assert.equal(p.parseLine("# check=skip=all"), undefined);
});

test("DirectiveParser refuses a repeated directive", () => {
  const p = new DirectiveParser();
  p.parseLine("# check=skip=A");
  assert.throws(() => p.parseLine("# CHECK=skip=B"), /only one check parser directive can be used/);
});

test("parseEscapeToken allows only backslash and backtick", () => {
  assert.equal(parseEscapeToken("`"), "`");
  assert.throws(() => parseEscapeToken("'"), /invalid escape token ''' does not match ` or \\/);
});

test("looksLikeDirective spots ignored directives", () => {
  assert.equal(looksLikeDirective("# escape=`"), "escape");
  assert.equal(looksLikeDirective("  #syntax=x"), "syntax");
  assert.equal(looksLikeDirective("# just a comment"), undefined);
  assert.equal(looksLikeDirective("RUN escape=x"), undefined);
});

test("parseCheckOptions reads skip, error and experimental", () => {
  assert.deepEqual(parseCheckOptions("skip=JSONArgsRecommended,StageNameCasing;error=true"), {
    skipAll: false,
    skip: ["JSONArgsRecommended", "StageNameCasing"],
    experimentalAll: false,
    experimental: [],
    error: true,
  });
  assert.equal(parseCheckOptions("skip=all").skipAll, true);
  // Only the first word counts, as in BuildKit.
  assert.deepEqual(parseCheckOptions("skip=A error=true").skip, ["A"]);
  assert.equal(parseCheckOptions("skip=A error=true").error, false);
  assert.equal(parseCheckOptions("experimental=all").experimentalAll, true);
  assert.equal(parseCheckOptions("").error, false);
  assert.throws(() => parseCheckOptions("skip"), /invalid check option "skip"/);
  assert.throws(() => parseCheckOptions("error=maybe"), /failed to parse check option "error=maybe"/);
  assert.throws(() => parseCheckOptions("warn=1"), /invalid check option "warn"/);
});
