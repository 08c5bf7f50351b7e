import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { queryBool, queryBoolOr, queryInt, queryString } from "./query.js";

describe("query readers", () => {
  it("queryBool follows Docker's falsy words", () => {
    const q = new URLSearchParams("a=1&b=true&c=0&d=no&e=false&f=none&g=&h=yes");
    assert.deepEqual(
      ["a", "b", "c", "d", "e", "f", "g", "h", "missing"].map((k) => queryBool(q, k)),
      [true, true, false, false, false, false, false, true, false],
    );
  });

  it("queryBoolOr uses the default only when absent or empty", () => {
    const q = new URLSearchParams("a=0&b=");
    assert.equal(queryBoolOr(q, "a", true), false);
    assert.equal(queryBoolOr(q, "b", true), true);
    assert.equal(queryBoolOr(q, "c", true), true);
  });

  it("queryInt parses integers and rejects others", () => {
    const q = new URLSearchParams("n=42&m=-1&bad=4x");
    assert.equal(queryInt(q, "n", 0), 42);
    assert.equal(queryInt(q, "m", 0), -1);
    assert.equal(queryInt(q, "absent", 7), 7);
    assert.throws(() => queryInt(q, "bad", 0), /invalid value for bad/);
  });

  it("queryString returns undefined for empty values", () => {
    const q = new URLSearchParams("a=x&b=");
    assert.equal(queryString(q, "a"), "x");
    assert.equal(queryString(q, "b"), undefined);
  });
});
