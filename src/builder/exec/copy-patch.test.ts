import assert from "node:assert/strict";
import { test } from "node:test";
import type { SourceEntry, SourceManifest } from "../cache/cache-key.js";
import { planCopyPatch, subPath } from "./copy-patch.js";

const file = (digest: string, mode = 0o644): SourceEntry => ({ type: "file", mode, uid: 0, gid: 0, digest });
const dir = (mode = 0o755): SourceEntry => ({ type: "dir", mode, uid: 0, gid: 0, digest: "" });

function context(n: number, extra: SourceManifest = {}): SourceManifest {
  const m: SourceManifest = { ".": dir(), src: dir(), "src/sub": dir() };
  for (let i = 0; i < n; i++) m[`src/f${i}.js`] = file(`d${i}`);
  return { ...m, ...extra };
}

test("subPath maps a source path under its root", () => {
  assert.equal(subPath(".", "src/a.js"), "src/a.js");
  assert.equal(subPath("src", "src/a.js"), "a.js");
  assert.equal(subPath("src", "src"), "");
  assert.equal(subPath("src", "srcx/a.js"), undefined);
});

test("a changed, an added and a removed file make a plan", () => {
  const prev = context(10, { "src/gone.js": file("g") });
  const next = context(10, { "src/f3.js": file("new"), "src/sub/new.js": file("n") });
  assert.deepEqual(planCopyPatch(prev, next, "."), {
    removed: ["src/gone.js"],
    changed: ["src/f3.js"],
    added: ["src/sub/new.js"],
  });
});

test("a mode change alone counts as changed; unchanged manifests give an empty plan", () => {
  const prev = context(10);
  assert.deepEqual(planCopyPatch(prev, context(10, { "src/f1.js": file("d1", 0o755) }), "."), {
    removed: [],
    changed: ["src/f1.js"],
    added: [],
  });
  assert.deepEqual(planCopyPatch(prev, context(10), "."), { removed: [], changed: [], added: [] });
});

test("what a patch cannot reproduce gives no plan", () => {
  const prev = context(10);
  // A new directory, a directory whose mode changed, a type change, a file in a new directory.
  assert.equal(planCopyPatch(prev, context(10, { "src/newdir": dir() }), "."), undefined);
  assert.equal(planCopyPatch(prev, context(10, { "src/sub": dir(0o700) }), "."), undefined);
  assert.equal(planCopyPatch(prev, context(10, { "src/f2.js": dir() }), "."), undefined);
  assert.equal(planCopyPatch(prev, context(10, { "x/y.js": file("y") }), "."), undefined);
  // A path outside the root.
  assert.equal(planCopyPatch({ src: dir() }, { src: dir(), other: file("o") }, "src"), undefined);
  // Most entries changed: copying everything is as cheap.
  const all: SourceManifest = context(10);
  for (let i = 0; i < 10; i++) all[`src/f${i}.js`] = file(`changed${i}`);
  assert.equal(planCopyPatch(prev, all, "."), undefined);
});

test("a directory source's own entry is not part of the plan", () => {
  const prev: SourceManifest = {
    src: dir(),
    "src/a.js": file("a"),
    "src/b.js": file("b"),
    "src/c.js": file("c"),
  };
  const next: SourceManifest = {
    src: dir(0o700),
    "src/a.js": file("a2"),
    "src/b.js": file("b"),
    "src/c.js": file("c"),
  };
  assert.deepEqual(planCopyPatch(prev, next, "src"), { removed: [], changed: ["src/a.js"], added: [] });
});
