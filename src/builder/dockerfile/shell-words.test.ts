// biome-ignore-all lint/suspicious/noTemplateCurlyInString: shell syntax under test
import assert from "node:assert/strict";
import { test } from "node:test";
import { BerthError } from "../../lib/errors.js";
import { expandWord, expandWords, shellExpand } from "./shell-words.js";

// Generated from BuildKit's frontend/dockerfile/shell/envVarTest (Unix rows): [input, expected].
// Expected "error" means the expansion fails. Env: PWD=/home SHELL=bash KOREAN=한국어 NULL="".
const ENV_VAR_TESTS: readonly [string, string][] = [
  ["hello", "hello"],
  ["he'll'o", "hello"],
  ["he'llo", "error"],
  ["he\\'llo", "he'llo"],
  ["he\\\\'llo", "error"],
  ["abc\\tdef", "abctdef"],
  ['"abc\\tdef"', "abc\\tdef"],
  ['"abc\\\\tdef"', "abc\\tdef"],
  ["'abc\\tdef'", "abc\\tdef"],
  ["hello\\", "hello"],
  ["hello\\\\", "hello\\"],
  ['"hello', "error"],
  ['"hello\\"', "error"],
  ['"hel\'lo"', "hel'lo"],
  ["'hello", "error"],
  ["'hello\\'", "hello\\"],
  ["'hello\\there'", "hello\\there"],
  ["'hello\\\\there'", "hello\\\\there"],
  ["\"''\"", "''"],
  ["$.", "$."],
  ["he$1x", "hex"],
  ["he$.x", "he$.x"],
  ["he$pwd.", "he."],
  ["he$PWD", "he/home"],
  ["he\\$PWD", "he$PWD"],
  ["he\\\\$PWD", "he\\/home"],
  ['"he\\$PWD"', "he$PWD"],
  ['"he\\\\$PWD"', "he\\/home"],
  ["\\${}", "${}"],
  ["\\${}aaa", "${}aaa"],
  ["he\\${}", "he${}"],
  ["he\\${}xx", "he${}xx"],
  ["${}", "error"],
  ["${}aaa", "error"],
  ["he${}", "error"],
  ["he${}xx", "error"],
  ["he${hi}", "he"],
  ["he${hi}xx", "hexx"],
  ["he${PWD}", "he/home"],
  ["he${.}", "error"],
  ["he${XXX:-000}xx", "he000xx"],
  ["he${PWD:-000}xx", "he/homexx"],
  ["he${XXX:-$PWD}xx", "he/homexx"],
  ["he${XXX:-${PWD:-yyy}}xx", "he/homexx"],
  ["he${XXX:-${YYY:-yyy}}xx", "heyyyxx"],
  ["he${XXX:YYY}", "error"],
  ["he${XXX?}", "error"],
  ["he${XXX:?}", "error"],
  ["he${PWD?}", "he/home"],
  ["he${PWD:?}", "he/home"],
  ["he${NULL?}", "he"],
  ["he${NULL:?}", "error"],
  ["he${XXX:+${PWD}}xx", "hexx"],
  ["he${PWD:+${XXX}}xx", "hexx"],
  ["he${PWD:+${SHELL}}xx", "hebashxx"],
  ["he${XXX:+000}xx", "hexx"],
  ["he${PWD:+000}xx", "he000xx"],
  ["'he${XX}'", "he${XX}"],
  ['"he${PWD}"', "he/home"],
  ["\"he'$PWD'\"", "he'/home'"],
  ['"$PWD"', "/home"],
  ["'$PWD'", "$PWD"],
  ["'\\$PWD'", "\\$PWD"],
  ["'\"hello\"'", '"hello"'],
  ["he\\$PWD", "he$PWD"],
  ['"he\\$PWD"', "he$PWD"],
  ["'he\\$PWD'", "he\\$PWD"],
  ["he${PWD", "error"],
  ["he${PWD:=000}xx", "error"],
  ["he${PWD:+${PWD}:}xx", "he/home:xx"],
  ["he${XXX:-\\$PWD:}xx", "he$PWD:xx"],
  ["he${XXX:-\\${PWD}z}xx", "he${PWDz}xx"],
  ["안녕하세요", "안녕하세요"],
  ["안'녕'하세요", "안녕하세요"],
  ["안'녕하세요", "error"],
  ["안녕\\'하세요", "안녕'하세요"],
  ["안\\\\'녕하세요", "error"],
  ["안녕\\t하세요", "안녕t하세요"],
  ['"안녕\\t하세요"', "안녕\\t하세요"],
  ["'안녕\\t하세요", "error"],
  ["안녕하세요\\", "안녕하세요"],
  ["안녕하세요\\\\", "안녕하세요\\"],
  ['"안녕하세요', "error"],
  ['"안녕하세요\\"', "error"],
  ['"안녕\'하세요"', "안녕'하세요"],
  ["'안녕하세요", "error"],
  ["'안녕하세요\\'", "안녕하세요\\"],
  ["안녕$1x", "안녕x"],
  ["안녕$.x", "안녕$.x"],
  ["안녕$pwd.", "안녕."],
  ["안녕$PWD", "안녕/home"],
  ["안녕\\$PWD", "안녕$PWD"],
  ["안녕\\\\$PWD", "안녕\\/home"],
  ["안녕\\${}", "안녕${}"],
  ["안녕\\${}xx", "안녕${}xx"],
  ["안녕${}", "error"],
  ["안녕${}xx", "error"],
  ["안녕${hi}", "안녕"],
  ["안녕${hi}xx", "안녕xx"],
  ["안녕${PWD}", "안녕/home"],
  ["안녕${.}", "error"],
  ["안녕${XXX:-000}xx", "안녕000xx"],
  ["안녕${PWD:-000}xx", "안녕/homexx"],
  ["안녕${XXX:-$PWD}xx", "안녕/homexx"],
  ["안녕${XXX:-${PWD:-yyy}}xx", "안녕/homexx"],
  ["안녕${XXX:-${YYY:-yyy}}xx", "안녕yyyxx"],
  ["안녕${XXX:YYY}", "error"],
  ["안녕${XXX:+${PWD}}xx", "안녕xx"],
  ["안녕${PWD:+${XXX}}xx", "안녕xx"],
  ["안녕${PWD:+${SHELL}}xx", "안녕bashxx"],
  ["안녕${XXX:+000}xx", "안녕xx"],
  ["안녕${PWD:+000}xx", "안녕000xx"],
  ["'안녕${XX}'", "안녕${XX}"],
  ['"안녕${PWD}"', "안녕/home"],
  ["\"안녕'$PWD'\"", "안녕'/home'"],
  ["'\"안녕\"'", '"안녕"'],
  ["안녕\\$PWD", "안녕$PWD"],
  ['"안녕\\$PWD"', "안녕$PWD"],
  ["'안녕\\$PWD'", "안녕\\$PWD"],
  ["안녕${PWD", "error"],
  ["안녕${PWD:=000}xx", "error"],
  ["안녕${PWD:+${PWD}:}xx", "안녕/home:xx"],
  ["안녕${XXX:-\\$PWD:}xx", "안녕$PWD:xx"],
  ["안녕${XXX:-\\${PWD}z}xx", "안녕${PWDz}xx"],
  ["$KOREAN", "한국어"],
  ["안녕$KOREAN", "안녕한국어"],
  ["${{aaa}", "error"],
  ["${aaa}}", "}"],
  ["${aaa", "error"],
  ["${{aaa:-bbb}", "error"],
  ["${aaa:-bbb}}", "bbb}"],
  ["${aaa:-bbb", "error"],
  ["${aaa:-bbb}", "bbb"],
  ["${aaa:-${bbb:-ccc}}", "ccc"],
  ["${aaa:-bbb ${foo}", "error"],
  ["${aaa:-bbb {foo}", "bbb {foo"],
  ["${:}", "error"],
  ["${:-bbb}", "error"],
  ["${:+bbb}", "error"],
  ["$1", ""],
  ["${1}", ""],
  ["${1:+bbb}", ""],
  ["${1:-bbb}", "bbb"],
  ["$2", ""],
  ["${2}", ""],
  ["${2:+bbb}", ""],
  ["${2:-bbb}", "bbb"],
  ["$3", ""],
  ["${3}", ""],
  ["${3:+bbb}", ""],
  ["${3:-bbb}", "bbb"],
  ["$4", ""],
  ["${4}", ""],
  ["${4:+bbb}", ""],
  ["${4:-bbb}", "bbb"],
  ["$5", ""],
  ["${5}", ""],
  ["${5:+bbb}", ""],
  ["${5:-bbb}", "bbb"],
  ["$6", ""],
  ["${6}", ""],
  ["${6:+bbb}", ""],
  ["${6:-bbb}", "bbb"],
  ["$7", ""],
  ["${7}", ""],
  ["${7:+bbb}", ""],
  ["${7:-bbb}", "bbb"],
  ["$8", ""],
  ["${8}", ""],
  ["${8:+bbb}", ""],
  ["${8:-bbb}", "bbb"],
  ["$9", ""],
  ["${9}", ""],
  ["${9:+bbb}", ""],
  ["${9:-bbb}", "bbb"],
  ["$999", ""],
  ["${999}", ""],
  ["${999:+bbb}", ""],
  ["${999:-bbb}", "bbb"],
  ["$999aaa", "aaa"],
  ["${999}aaa", "aaa"],
  ["${999:+bbb}aaa", "aaa"],
  ["${999:-bbb}aaa", "bbbaaa"],
  ["$001", ""],
  ["${001}", ""],
  ["${001:+bbb}", ""],
  ["${001:-bbb}", "bbb"],
  ["$001aaa", "aaa"],
  ["${001}aaa", "aaa"],
  ["${001:+bbb}aaa", "aaa"],
  ["${001:-bbb}aaa", "bbbaaa"],
  ["$@", ""],
  ["${@}", ""],
  ["${@:+bbb}", ""],
  ["${@:-bbb}", "bbb"],
  ["$@@@", "@@"],
  ["$@aaa", "aaa"],
  ["${@}aaa", "aaa"],
  ["${@:+bbb}aaa", "aaa"],
  ["${@:-bbb}aaa", "bbbaaa"],
  ["$*", ""],
  ["${*}", ""],
  ["${*:+bbb}", ""],
  ["${*:-bbb}", "bbb"],
  ["$#", ""],
  ["${#}", ""],
  ["${#:+bbb}", ""],
  ["${#:-bbb}", "bbb"],
  ["$?", ""],
  ["${?}", ""],
  ["${?:+bbb}", ""],
  ["${?:-bbb}", "bbb"],
  ["$-", ""],
  ["${-}", ""],
  ["${-:+bbb}", ""],
  ["${-:-bbb}", "bbb"],
  ["$$", ""],
  ["${$}", ""],
  ["${$:+bbb}", ""],
  ["${$:-bbb}", "bbb"],
  ["$!", ""],
  ["${!}", ""],
  ["${!:+bbb}", ""],
  ["${!:-bbb}", "bbb"],
  ["$0", ""],
  ["${0}", ""],
  ["${0:+bbb}", ""],
  ["${0:-bbb}", "bbb"],
];

// Generated from BuildKit's frontend/dockerfile/shell/wordsTest: ENV lines accumulate.
const WORDS_TESTS: readonly ({ env: string } | { input: string; words: string[] })[] = [
  { input: "hello", words: ["hello"] },
  { input: "hello${hi}bye", words: ["hellobye"] },
  { env: "hi=hi" },
  { input: "hello${hi}bye", words: ["hellohibye"] },
  { env: "space=abc  def" },
  { input: "hello${space}bye", words: ["helloabc", "defbye"] },
  { input: 'hello"${space}"bye', words: ["helloabc  defbye"] },
  { input: 'hello "${space}"bye', words: ["hello", "abc  defbye"] },
  { env: "leading=  ab c" },
  { input: "hello${leading}def", words: ["hello", "ab", "cdef"] },
  { input: 'hello"${leading}" def', words: ["hello  ab c", "def"] },
  { input: 'hello"${leading}"', words: ["hello  ab c"] },
  { input: "hello${leading}", words: ["hello", "ab", "c"] },
  { env: "trailing=ab c   " },
  { input: "hello${trailing}", words: ["helloab", "c"] },
  { input: "hello${trailing}d", words: ["helloab", "c", "d"] },
  { input: 'hello"${trailing}"d', words: ["helloab c   d"] },
  { input: 'hel"lo${trailing}"', words: ["helloab c   "] },
  { input: 'hello" there  "', words: ["hello there  "] },
  { input: "hello there", words: ["hello", "there"] },
  { input: "hello\\ there", words: ["hello there"] },
  { input: 'hello" there', words: ["error"] },
  { input: 'hello\\" there', words: ['hello"', "there"] },
  { input: 'hello"\\\\there"', words: ["hello\\there"] },
  { input: 'hello"\\there"', words: ["hello\\there"] },
  { input: "hello'\\\\there'", words: ["hello\\\\there"] },
  { input: "hello'\\there'", words: ["hello\\there"] },
  { input: "hello'$there'", words: ["hello$there"] },
];

const ENV = new Map([
  ["PWD", "/home"],
  ["SHELL", "bash"],
  ["KOREAN", "한국어"],
  ["NULL", ""],
]);

test("expandWord follows BuildKit's envVarTest table", () => {
  for (const [input, expected] of ENV_VAR_TESTS) {
    if (expected === "error") {
      assert.throws(() => expandWord(input, ENV), BerthError, `input ${JSON.stringify(input)}`);
    } else {
      assert.equal(expandWord(input, ENV), expected, `input ${JSON.stringify(input)}`);
    }
  }
});

test("expandWords follows BuildKit's wordsTest table", () => {
  const env = new Map<string, string>();
  for (const row of WORDS_TESTS) {
    if ("env" in row) {
      const eq = row.env.indexOf("=");
      env.set(row.env.slice(0, eq), row.env.slice(eq + 1));
      continue;
    }
    let words: string[];
    try {
      words = expandWords(row.input, env);
    } catch {
      words = ["error"];
    }
    assert.deepEqual(words, row.words, `input ${JSON.stringify(row.input)}`);
  }
});

interface MatchCase {
  input: string;
  env: Record<string, string>;
  expected?: string;
  matched?: string[];
  unmatched?: string[];
}

const MATCH_CASES: MatchCase[] = [
  { input: "x", env: { DUMMY: "dummy" }, expected: "x" },
  { input: "x ${UNUSED}", env: { DUMMY: "dummy" }, expected: "x ", unmatched: ["UNUSED"] },
  { input: "x ${FOO}", env: { FOO: "y" }, expected: "x y", matched: ["FOO"] },
  {
    input: "${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}",
    env: { FOO: "xxx", BAR: "" },
    expected: "xxx  ccc",
    matched: ["FOO", "BAR"],
    unmatched: ["BAZ"],
  },
  {
    input: "${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}",
    env: { FOO: "xxx", BAR: "" },
    expected: "xxx bbb ccc",
    matched: ["FOO", "BAR"],
    unmatched: ["BAZ"],
  },
  { input: "${FOO:-}", env: {}, expected: "", unmatched: ["FOO"] },
  {
    input: "${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}",
    env: { FOO: "xxx", BAR: "" },
    expected: "aaa bbb ",
    matched: ["FOO", "BAR"],
    unmatched: ["BAZ"],
  },
  {
    input: "${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}",
    env: { FOO: "xxx", BAR: "" },
    expected: "aaa  ",
    matched: ["FOO", "BAR"],
    unmatched: ["BAZ"],
  },
  { input: "${FOO?aaa}", env: { FOO: "xxx" }, expected: "xxx", matched: ["FOO"] },
  { input: "${BAR?bbb}", env: { BAR: "" }, expected: "", matched: ["BAR"] },
  { input: "${BAZ?ccc}", env: {} },
  { input: "${BAR:?bbb}", env: { BAR: "" } },
  { input: "${BAZ:?}", env: {} },
  { input: "${FOO=aaa}", env: { FOO: "xxx" } },
  { input: "${FOO=}", env: {} },
  {
    input: "${FOO#()[]{\\}^$.\\*\\?|\\\\}",
    env: { FOO: "()[]{}^$.*?|\\x" },
    expected: "x",
    matched: ["FOO"],
  },
  { input: "${FOO%%\\**}", env: { FOO: "xx**" }, expected: "xx", matched: ["FOO"] },
  { input: "${FOO#*x*y}", env: { FOO: "xxyy" }, expected: "y", matched: ["FOO"] },
  { input: "${FOO#*}", env: { FOO: "xxyy" }, expected: "xxyy", matched: ["FOO"] },
  { input: "${FOO#$BAR}", env: { FOO: "xxyy", BAR: "x" }, expected: "xyy", matched: ["FOO", "BAR"] },
  { input: "${FOO##*x}", env: { FOO: "xxyy" }, expected: "yy", matched: ["FOO"] },
  { input: "${FOO#?\\?}", env: { FOO: "???y" }, expected: "?y", matched: ["FOO"] },
  {
    input: "${ABC:-.}${FOO%x}${ABC:-.}",
    env: { FOO: "xxyy" },
    expected: ".xxyy.",
    matched: ["FOO"],
    unmatched: ["ABC"],
  },
  { input: "${FOO%%\\**\\*}", env: { FOO: "a***yy*" }, expected: "a", matched: ["FOO"] },
  { input: "${FOO:#}", env: {} },
  { input: "${FOO:%%}", env: {} },
  {
    input: "${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}",
    env: { FOO: "/foo*/*/*.txt", NEEDLE: "\\*/" },
    expected: "/foo.*/*.txt - /foo..*.txt",
    matched: ["FOO", "NEEDLE"],
  },
  {
    input: "${FOO/$NEEDLE/$REPLACEMENT} - ${FOO//$NEEDLE/$REPLACEMENT}",
    env: { FOO: "/a/foo/b/c.txt", NEEDLE: "/?/", REPLACEMENT: "/" },
    expected: "/foo/b/c.txt - /foo/c.txt",
    matched: ["FOO", "NEEDLE", "REPLACEMENT"],
  },
  { input: "${FOO//\\//\\/}", env: { FOO: "/tmp/foo.txt" }, expected: "\\/tmp\\/foo.txt", matched: ["FOO"] },
  { input: "${FOO/$BAR/ww}", env: { FOO: "xxyy", BAR: "" }, expected: "wwxxyy", matched: ["FOO", "BAR"] },
  { input: "${FOO//ww}", env: { FOO: "xxyy" } },
  { input: "${FOO///}", env: { FOO: "xxyy" }, expected: "xxyy", matched: ["FOO"] },
  { input: "${FOO///}", env: {}, expected: "", unmatched: ["FOO"] },
];

test("shellExpand reports matched and unmatched variables", () => {
  for (const c of MATCH_CASES) {
    if (c.expected === undefined) {
      assert.throws(() => shellExpand(c.input, c.env), BerthError, c.input);
      continue;
    }
    const r = shellExpand(c.input, c.env);
    assert.equal(r.result, c.expected, c.input);
    assert.deepEqual([...r.matched].sort(), [...(c.matched ?? [])].sort(), `matched ${c.input}`);
    assert.deepEqual([...r.unmatched].sort(), [...(c.unmatched ?? [])].sort(), `unmatched ${c.input}`);
  }
});

test("shellExpand builds release names from platform args", () => {
  const release = "something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz";
  const base = { VERSION: "v1.2.3", TARGETOS: "linux" };
  assert.equal(
    expandWord(release, { ...base, TARGETARCH: "arm", TARGETVARIANT: "v7" }),
    "something-v1.2.3.linux-arm-v7.tar.gz",
  );
  assert.equal(
    expandWord(release, { ...base, TARGETARCH: "arm64", TARGETVARIANT: "" }),
    "something-v1.2.3.linux-arm64.tar.gz",
  );
  assert.equal(expandWord(release, { ...base, TARGETARCH: "arm64" }), "something-v1.2.3.linux-arm64.tar.gz");
});

test("shellExpand uses the message of ${VAR?message} and ${VAR:?message}", () => {
  assert.equal(expandWord("${VAR:?message here$ARG}", { VAR: "plain", ARG: "x" }), "plain");
  assert.throws(() => expandWord("${VAR:?message here$ARG}", { VAR: "", ARG: "x" }), /VAR: message herex/);
  assert.throws(() => expandWord("${VAR:?message here$ARG}", { ARG: "x" }), /VAR: message herex/);
  assert.equal(expandWord("${VAR?message here$ARG}", { VAR: "", ARG: "x" }), "");
  assert.throws(() => expandWord("${VAR?}", {}), /VAR: is not allowed to be unset/);
  assert.throws(() => expandWord("${VAR:?}", { VAR: "" }), /VAR: is not allowed to be empty/);
});

test("shellExpand errors name the input", () => {
  assert.throws(
    () => expandWord("he${PWD", ENV),
    (err: unknown) =>
      err instanceof BerthError && err.message === `failed to process "he\${PWD": syntax error: missing '}'`,
  );
  assert.throws(() => expandWord("${}", ENV), /syntax error: bad substitution/);
  assert.throws(() => expandWord("${X:=1}", ENV), /unsupported modifier \(:=\) in substitution/);
  assert.throws(() => expandWord("'abc", ENV), /matching single-quote/);
});

test("shellExpand honours the backtick escape token", () => {
  assert.equal(expandWord("a`$PWD", ENV, { escapeToken: "`" }), "a$PWD");
  assert.equal(expandWord("C:\\path", ENV, { escapeToken: "`" }), "C:\\path");
  assert.equal(expandWord('"a`"b"', ENV, { escapeToken: "`" }), 'a"b');
});

test("shellExpand keeps unset variables with skipUnsetEnv and quotes with rawQuotes", () => {
  assert.equal(expandWord("$A ${B} ${C:-d} $PWD", ENV, { skipUnsetEnv: true }), "$A ${B} ${C:-d} /home");
  assert.deepEqual(expandWords(`a "b c" 'd'`, ENV, { rawQuotes: true }), [`a`, `"b c"`, `'d'`]);
  assert.equal(expandWord(`"$PWD" 'x'`, ENV, { skipProcessQuotes: true }), `"/home" 'x'`);
});

test("shellExpand keeps heredoc markers as one word", () => {
  assert.deepEqual(expandWords("RUN <<  EOF  > foo", ENV), ["RUN", "<<  EOF", ">", "foo"]);
  assert.deepEqual(expandWords("a <b", ENV), ["a", "<b"]);
});

test("shellExpand splits only unquoted expansions into words", () => {
  const env = { V: "a  b" };
  assert.deepEqual(expandWords("x${V}y", env), ["xa", "by"]);
  assert.deepEqual(expandWords('x"${V}"y', env), ["xa  by"]);
  assert.deepEqual(expandWords("pre ${U:-d e} post", env), ["pre", "d", "e", "post"]);
  assert.deepEqual(expandWords("pre${U:-d}post", env), ["predpost"]);
});

test("shellExpand accepts a lookup function", () => {
  const r = shellExpand("$A-$B", (n) => (n === "A" ? "1" : undefined));
  assert.equal(r.result, "1-");
  assert.deepEqual([...r.matched], ["A"]);
  assert.deepEqual([...r.unmatched], ["B"]);
});

test("shellExpand ignores inherited object properties", () => {
  assert.equal(expandWord("${constructor:-none}", {}), "none");
});
