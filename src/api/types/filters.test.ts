import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BerthError } from "../../lib/errors.js";
import {
  boolFilter,
  encodeFilters,
  exactMatch,
  filtersFromPairs,
  filterValues,
  fuzzyMatch,
  hasFilter,
  matchKVList,
  parseFilters,
  validateFilters,
} from "./filters.js";

const isInvalid = (msg?: RegExp) => (err: unknown) =>
  err instanceof BerthError &&
  err.kind === "invalid-argument" &&
  (msg === undefined || msg.test(err.message));

describe("parseFilters", () => {
  it("parseFilters reads the slice form", () => {
    assert.deepEqual(parseFilters('{"dangling":["true"],"label":["a=b","c"]}'), {
      dangling: ["true"],
      label: ["a=b", "c"],
    });
  });

  it("parseFilters reads the map form and drops false entries", () => {
    assert.deepEqual(parseFilters('{"dangling":{"true":true},"label":{"a=b":true,"x":false}}'), {
      dangling: ["true"],
      label: ["a=b"],
    });
  });

  it("parseFilters treats empty, null and absent as no filters", () => {
    assert.deepEqual(parseFilters(undefined), {});
    assert.deepEqual(parseFilters(null), {});
    assert.deepEqual(parseFilters(""), {});
    assert.deepEqual(parseFilters("null"), {});
    assert.deepEqual(parseFilters("{}"), {});
  });

  it("parseFilters removes duplicate values", () => {
    assert.deepEqual(parseFilters('{"name":["a","a","b"]}'), { name: ["a", "b"] });
  });

  it("parseFilters keeps a key with no values (present but empty)", () => {
    const f = parseFilters('{"dangling":[]}');
    assert.equal(hasFilter(f, "dangling"), true);
    assert.deepEqual(filterValues(f, "dangling"), []);
  });

  it("parseFilters rejects malformed JSON and wrong shapes with invalid-argument", () => {
    assert.throws(() => parseFilters("{"), isInvalid(/^invalid filter/));
    assert.throws(() => parseFilters('["a"]'), isInvalid());
    assert.throws(() => parseFilters('{"a":"b"}'), isInvalid());
    assert.throws(() => parseFilters('{"a":[1]}'), isInvalid());
    assert.throws(() => parseFilters('{"a":{"b":"yes"}}'), isInvalid());
  });
});

describe("encodeFilters", () => {
  it("encodeFilters writes the Go client's map form and parses back", () => {
    const raw = encodeFilters({ type: ["container"], label: "a=b", empty: [], none: undefined });
    assert.equal(raw, '{"type":{"container":true},"label":{"a=b":true}}');
    assert.deepEqual(parseFilters(raw), { type: ["container"], label: ["a=b"] });
  });

  it("encodeFilters returns an empty string when there is nothing to send", () => {
    assert.equal(encodeFilters({}), "");
    assert.equal(encodeFilters({ a: [] }), "");
  });
});

describe("filtersFromPairs", () => {
  it("filtersFromPairs splits at the first '=' and groups by key", () => {
    assert.deepEqual(filtersFromPairs(["label=a=b", "label=c", "Type=container"]), {
      label: ["a=b", "c"],
      type: ["container"],
    });
  });

  it("filtersFromPairs rejects a pair without '='", () => {
    assert.throws(() => filtersFromPairs(["dangling"]), isInvalid(/bad format/));
  });
});

describe("matchers", () => {
  const f = parseFilters('{"name":["web"],"label":["app=x","tier"],"id":[]}');

  it("validateFilters names the first unknown key", () => {
    validateFilters(f, ["name", "label", "id"]);
    assert.throws(() => validateFilters(f, ["name"]), isInvalid(/^invalid filter 'label'$/));
  });

  it("exactMatch passes everything when the key is absent or empty", () => {
    assert.equal(exactMatch(f, "absent", "x"), true);
    assert.equal(exactMatch(f, "id", "x"), true);
    assert.equal(exactMatch(f, "name", "web"), true);
    assert.equal(exactMatch(f, "name", "web2"), false);
  });

  it("fuzzyMatch accepts a value that is a prefix of the source", () => {
    assert.equal(fuzzyMatch(f, "name", "web-1"), true);
    assert.equal(fuzzyMatch(f, "name", "we"), false);
    assert.equal(fuzzyMatch(f, "absent", "anything"), true);
  });

  it("matchKVList requires every label, with its value when one is given", () => {
    assert.equal(matchKVList(f, "label", { app: "x", tier: "front" }), true);
    assert.equal(matchKVList(f, "label", { app: "y", tier: "front" }), false);
    assert.equal(matchKVList(f, "label", { app: "x" }), false);
    assert.equal(matchKVList(f, "label", {}), false);
    assert.equal(matchKVList(f, "label", undefined), false);
    assert.equal(matchKVList(f, "absent", undefined), true);
  });

  it("boolFilter reads true/false/1/0 and rejects conflicts", () => {
    assert.equal(boolFilter(parseFilters('{"dangling":["true"]}'), "dangling", false), true);
    assert.equal(boolFilter(parseFilters('{"dangling":["0"]}'), "dangling", true), false);
    assert.equal(boolFilter(parseFilters("{}"), "dangling", true), true);
    assert.throws(
      () => boolFilter(parseFilters('{"dangling":["true","false"]}'), "dangling", false),
      isInvalid(/^invalid filter 'dangling=true,false'$/),
    );
    assert.throws(() => boolFilter(parseFilters('{"dangling":["maybe"]}'), "dangling", false), isInvalid());
    assert.throws(() => boolFilter(parseFilters('{"dangling":[]}'), "dangling", false), isInvalid());
  });
});
