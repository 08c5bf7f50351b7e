import assert from "node:assert/strict";
import { test } from "node:test";
import {
  goParseBool,
  goParseUint32,
  goQuote,
  goQuoteList,
  goTrimSpace,
  isGoSpace,
  levenshtein,
  parseGoDuration,
  ramInBytes,
  suggest,
} from "./_go.js";

test("goQuote quotes like strconv.Quote", () => {
  assert.equal(goQuote(`a "b" \\c`), `"a \\"b\\" \\\\c"`);
  assert.equal(goQuote("\u0007\b\f\n\r\t\v\u0000\u007f"), `"\\a\\b\\f\\n\\r\\t\\v\\x00\\x7f"`);
  assert.equal(goQuote("♥ ☃ 안녕"), `"♥ ☃ 안녕"`);
  assert.equal(goQuote("\u200b\u{e0001}"), `"\\u200b\\U000e0001"`);
  assert.equal(goQuoteList(["--a=1", "--b"]), `["--a=1" "--b"]`);
});

test("isGoSpace and goTrimSpace follow unicode.IsSpace", () => {
  assert.ok(isGoSpace("\u0085") && isGoSpace("\u00a0") && isGoSpace("\u3000") && isGoSpace("\v"));
  assert.ok(!isGoSpace("\ufeff") && !isGoSpace("x"));
  assert.equal(goTrimSpace("\u00a0 x y\t\n"), "x y");
});

test("parseGoDuration parses Go durations in nanoseconds", () => {
  const cases: [string, number][] = [
    ["0", 0],
    ["5s", 5e9],
    ["1m30s", 90e9],
    ["1.5h", 5400e9],
    [".5s", 5e8],
    ["1.s", 1e9],
    ["300ms", 3e8],
    ["10us", 1e4],
    ["10µs", 1e4],
    ["7ns", 7],
    ["-2m", -120e9],
    ["+1h", 3600e9],
  ];
  for (const [s, ns] of cases) assert.equal(parseGoDuration(s), ns, s);
  assert.throws(() => parseGoDuration(""), /time: invalid duration ""/);
  assert.throws(() => parseGoDuration("."), /time: invalid duration "\."/);
  assert.throws(() => parseGoDuration("5"), /time: missing unit in duration "5"/);
  assert.throws(() => parseGoDuration("1d"), /time: unknown unit "d" in duration "1d"/);
});

test("goParseBool and goParseUint32 accept what strconv accepts", () => {
  assert.equal(goParseBool("True"), true);
  assert.equal(goParseBool("0"), false);
  assert.equal(goParseBool("yes"), undefined);
  assert.equal(goParseUint32("0755", 8), 0o755);
  assert.equal(goParseUint32("8", 8), undefined);
  assert.equal(goParseUint32("4294967296", 10), undefined);
  assert.equal(goParseUint32("-1", 10), undefined);
});

test("ramInBytes parses sizes in binary multiples", () => {
  assert.equal(ramInBytes("64m"), 64 * 2 ** 20);
  assert.equal(ramInBytes("1.5g"), 1.5 * 2 ** 30);
  assert.equal(ramInBytes("512KiB"), 512 * 1024);
  assert.equal(ramInBytes("100"), 100);
  assert.throws(() => ramInBytes("lots"), /invalid size/);
});

test("suggest finds the closest option within distance 2", () => {
  assert.equal(levenshtein("kitten", "sitting"), 3);
  assert.equal(suggest("FORM", ["RUN", "FROM", "COPY"], false), "FROM");
  assert.equal(suggest("form", ["RUN", "FROM"], false), "from");
  assert.equal(suggest("From", ["RUN", "FROM"], false), undefined);
  assert.equal(suggest("platfrom", ["platform"], true), "platform");
  assert.equal(suggest("zzzzzz", ["platform"], true), undefined);
});
