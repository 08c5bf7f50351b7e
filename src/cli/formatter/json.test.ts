import assert from "node:assert/strict";
import { test } from "node:test";
import { goJSON } from "./json.js";

test("goJSON writes compact JSON without HTML escaping", () => {
  assert.equal(goJSON({ a: "<b>&", n: 1.5, l: [1, null, true] }), '{"a":"<b>&","n":1.5,"l":[1,null,true]}');
  assert.equal(goJSON(undefined), "null");
  assert.equal(goJSON(null), "null");
  assert.equal(goJSON(1e21), "1e+21");
  assert.equal(goJSON(1e-7), "1e-7");
});

test("goJSON escapes line and paragraph separators and bad surrogates as Go does", () => {
  assert.equal(goJSON("a\u2028b\u2029"), '"a\\u2028b\\u2029"');
  assert.equal(goJSON("x\ud800"), '"x\\ufffd"');
  assert.equal(goJSON("tab\tnl\n\b\f\u0001"), '"tab\\tnl\\n\\b\\f\\u0001"');
});

test("goJSON keeps key order unless sortKeys is set", () => {
  assert.equal(goJSON({ b: 1, a: { d: 1, c: 2 } }), '{"b":1,"a":{"d":1,"c":2}}');
  assert.equal(goJSON({ b: 1, a: { d: 1, c: 2 } }, { sortKeys: true }), '{"a":{"c":2,"d":1},"b":1}');
  assert.equal(goJSON({ a: undefined, b: 1 }), '{"b":1}');
});

test("goJSON writes times as RFC 3339 like time.Time", () => {
  assert.equal(goJSON(new Date("2024-01-02T03:04:05.500Z")), '"2024-01-02T03:04:05.5Z"');
  assert.equal(goJSON(new Date("2024-01-02T03:04:05Z")), '"2024-01-02T03:04:05Z"');
});

test("goJSON rejects values Go cannot encode", () => {
  assert.throws(() => goJSON(Number.NaN), /json: unsupported value: NaN/);
  assert.throws(() => goJSON({ f: Number.POSITIVE_INFINITY }), /json: unsupported value: \+Inf/);
  assert.throws(() => goJSON(() => 1), /json: unsupported type: func\(\)/);
});
