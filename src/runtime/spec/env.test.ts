import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_PATH_ENV, mergeConfigEnv, mergeEnv, parseEnvFile, replaceOrAppendEnv } from "./env.js";

test("mergeConfigEnv puts run entries first and keeps image entries they do not name", () => {
  assert.deepEqual(mergeConfigEnv(["PATH=/img", "A=1", "B=2"], ["B=3", "C=4"]), [
    "B=3",
    "C=4",
    "PATH=/img",
    "A=1",
  ]);
  assert.deepEqual(mergeConfigEnv(["A=1"], []), ["A=1"]);
  assert.deepEqual(mergeConfigEnv(["A=1"], ["A"]), ["A"]);
});

test("replaceOrAppendEnv replaces in place, appends and unsets bare names", () => {
  assert.deepEqual(replaceOrAppendEnv(["A=1", "B=2"], ["B=3", "C=4", "A"]), ["B=3", "C=4"]);
  assert.deepEqual(replaceOrAppendEnv(["A=1"], ["A", "A=2"]), ["A=2"]);
  assert.deepEqual(replaceOrAppendEnv([], ["X=1", "X=2", "Y"]), ["X=2"]);
});

test("mergeEnv starts from PATH and HOSTNAME and lets the image override PATH", () => {
  assert.deepEqual(mergeEnv([], [], { hostname: "abc", tty: false }), [
    `PATH=${DEFAULT_PATH_ENV}`,
    "HOSTNAME=abc",
  ]);
  assert.deepEqual(mergeEnv(["PATH=/opt/bin", "LANG=C"], ["X=1"], { hostname: "abc", tty: true }), [
    "PATH=/opt/bin",
    "HOSTNAME=abc",
    "TERM=xterm",
    "X=1",
    "LANG=C",
  ]);
});

test("mergeEnv lets run entries override image entries and unset with a bare name", () => {
  assert.deepEqual(mergeEnv(["A=img", "B=img"], ["A=run", "B"], { hostname: "h", tty: false }), [
    `PATH=${DEFAULT_PATH_ENV}`,
    "HOSTNAME=h",
    "A=run",
  ]);
  assert.deepEqual(mergeEnv([], ["TERM=vt100"], { hostname: "h", tty: true })[2], "TERM=vt100");
});

test("parseEnvFile reads KEY=VALUE lines verbatim and skips comments and blanks", () => {
  const text =
    '\uFEFFfoo=bar\n    baz=quux\n# comment\n\n_foobar=foobaz\nwith.dots=working\nq="quoted" \r\nEMPTY=\n  \t \n';
  assert.deepEqual(parseEnvFile(text), [
    "foo=bar",
    "baz=quux",
    "_foobar=foobaz",
    "with.dots=working",
    'q="quoted" ',
    "EMPTY=",
  ]);
});

test("parseEnvFile takes bare names from the lookup or leaves them out", () => {
  const text = "DEFINED\nUNDEFINED\nVAR=x\n";
  assert.deepEqual(parseEnvFile(text, { DEFINED: "v" }), ["DEFINED=v", "VAR=x"]);
  assert.deepEqual(parseEnvFile(text, new Map([["UNDEFINED", ""]])), ["UNDEFINED=", "VAR=x"]);
  assert.deepEqual(parseEnvFile("toString\n"), []);
});

test("parseEnvFile rejects bad names with the line number", () => {
  assert.throws(() => parseEnvFile("foo=bar\n    f   =quux\n"), {
    kind: "invalid-argument",
    message: "variable 'f   ' contains whitespaces (line 2)",
  });
  assert.throws(() => parseEnvFile("# c\n=blank\n"), {
    message: "no variable name on line '=blank' (line 2)",
  });
  assert.throws(() => parseEnvFile("first line\n"), {
    message: "variable 'first line' contains whitespaces (line 1)",
  });
});
