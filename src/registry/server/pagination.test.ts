import assert from "node:assert/strict";
import { test } from "node:test";
import { RegistryError } from "./errors.js";
import { nextLink, PAGE_MAX, paginate, parsePageQuery } from "./pagination.js";

const TAGS = ["v2", "B", "a", "v10", "latest"];

test("paginate sorts ASCIIbetically and returns everything without n", () => {
  assert.deepEqual(paginate(TAGS, {}), { items: ["B", "a", "latest", "v10", "v2"] });
});

test("paginate pages with n and last and names the next page", () => {
  assert.deepEqual(paginate(TAGS, { n: 2 }), { items: ["B", "a"], next: "a" });
  assert.deepEqual(paginate(TAGS, { n: 2, last: "a" }), { items: ["latest", "v10"], next: "v10" });
  assert.deepEqual(paginate(TAGS, { n: 2, last: "v10" }), { items: ["v2"] });
  assert.deepEqual(paginate(TAGS, { n: 3, last: "latest" }), { items: ["v10", "v2"] });
  assert.deepEqual(paginate(TAGS, { last: "b" }), { items: ["latest", "v10", "v2"] });
  // last need not be an existing entry
  assert.deepEqual(paginate(TAGS, { n: 1, last: "m" }), { items: ["v10"], next: "v10" });
});

test("paginate gives an empty page without next for n=0", () => {
  assert.deepEqual(paginate(TAGS, { n: 0 }), { items: [] });
});

test("paginate caps a page at PAGE_MAX", () => {
  const many = Array.from({ length: PAGE_MAX + 5 }, (_, i) => `t${String(i).padStart(5, "0")}`);
  const p = paginate(many, { n: PAGE_MAX + 100 });
  assert.equal(p.items.length, PAGE_MAX);
  assert.equal(p.next, many[PAGE_MAX - 1]);
});

test("parsePageQuery reads n and last and refuses a bad n", () => {
  assert.deepEqual(parsePageQuery(new URLSearchParams("n=5&last=x")), { n: 5, last: "x" });
  assert.deepEqual(parsePageQuery(new URLSearchParams("")), {});
  for (const bad of ["-1", "x", "1.5"]) {
    assert.throws(
      () => parsePageQuery(new URLSearchParams({ n: bad })),
      (e: unknown) => e instanceof RegistryError && e.status === 400,
    );
  }
});

test("nextLink is an RFC 5988 link with rel=next", () => {
  assert.equal(nextLink("/v2/a/b/tags/list", 2, "v1.0"), '</v2/a/b/tags/list?n=2&last=v1.0>; rel="next"');
});
