import assert from "node:assert/strict";
import { test } from "node:test";
import {
  extractBuilderFlags,
  parseHealthConfig,
  parseMaybeJson,
  parseMaybeJsonToList,
  parseNameVal,
  parseWords,
  splitCommand,
} from "./_line-parsers.js";

test("parseWords splits words and keeps quotes and escapes", () => {
  const cases: [string, string[]][] = [
    ["foo", ["foo"]],
    ["foo bar", ["foo", "bar"]],
    ["foo\\ bar", ["foo\\ bar"]],
    ["foo=bar", ["foo=bar"]],
    ["foo bar 'abc xyz'", ["foo", "bar", "'abc xyz'"]],
    ['foo bar "abc xyz"', ["foo", "bar", '"abc xyz"']],
    ["àöû", ["àöû"]],
    ['föo bàr "âbc xÿz"', ["föo", "bàr", '"âbc xÿz"']],
    ['a="" b', ['a=""', "b"]],
  ];
  for (const [input, words] of cases) assert.deepEqual(parseWords(input, "\\"), words, input);
  assert.deepEqual(parseWords("a` b c", "`"), ["a` b", "c"]);
});

test("splitCommand separates keyword, flags and arguments", () => {
  assert.deepEqual(splitCommand("  COPY --from=x --chown=a:b  src dst ", "\\"), {
    cmd: "COPY",
    flags: ["--from=x", "--chown=a:b"],
    rest: "src dst",
  });
  assert.deepEqual(splitCommand("RUN", "\\"), { cmd: "RUN", flags: [], rest: "" });
  assert.deepEqual(splitCommand("RUN -- --not-a-flag", "\\"), {
    cmd: "RUN",
    flags: [],
    rest: "--not-a-flag",
  });
  assert.deepEqual(splitCommand("RUN --x -y", "\\"), { cmd: "RUN", flags: ["--x"], rest: "-y" });
});

test("extractBuilderFlags removes quotes and escapes from flags", () => {
  assert.deepEqual(extractBuilderFlags(`--a="x y" --b='z' --c=\\"q rest`, "\\"), {
    flags: ["--a=x y", "--b=z", '--c="q'],
    rest: "rest",
  });
  assert.deepEqual(extractBuilderFlags("--only", "\\"), { flags: ["--only"], rest: "" });
});

test("parseNameVal reads key=value lists and the legacy form", () => {
  assert.deepEqual(parseNameVal("a=1 b=2", "ENV", "\\").args, ["a", "1", "=", "b", "2", "="]);
  assert.deepEqual(parseNameVal("a  one two", "ENV", "\\").args, ["a", "one two", ""]);
  assert.throws(() => parseNameVal("a", "LABEL", "\\"), /LABEL must have two arguments/);
});

test("parseMaybeJson detects exec form exactly as BuildKit", () => {
  assert.deepEqual(parseMaybeJson('["a", "b"]'), { args: ["a", "b"], json: true });
  assert.deepEqual(parseMaybeJson("  [] "), { args: [], json: true });
  assert.deepEqual(parseMaybeJson("['a']"), { args: ["['a']"], json: false });
  assert.deepEqual(parseMaybeJson('{"a": 1}'), { args: ['{"a": 1}'], json: false });
  assert.throws(() => parseMaybeJson('["a", null]'), /must be comprised of strings only/);
  assert.deepEqual(parseMaybeJsonToList("a  b\tc"), { args: ["a", "b", "c"], json: false });
});

test("parseHealthConfig splits the type from the command", () => {
  assert.deepEqual(parseHealthConfig("CMD  curl -f x"), { args: ["CMD", "curl -f x"], json: false });
  assert.deepEqual(parseHealthConfig('CMD ["a"]'), { args: ["CMD", "a"], json: true });
  assert.deepEqual(parseHealthConfig("NONE"), { args: ["NONE"], json: false });
});
