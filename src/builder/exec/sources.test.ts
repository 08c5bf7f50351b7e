import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { resolveInRoot } from "./copy-files.js";
import { cleanSource, findSources, sourceManifest } from "./sources.js";

test("cleanSource refuses paths outside the context", () => {
  assert.equal(cleanSource("./src/", false), "src");
  assert.equal(cleanSource("/abs/x", false), "abs/x");
  assert.throws(() => cleanSource("../x", false), /forbidden path outside the build context: \.\.\/x/);
  assert.throws(() => cleanSource("a/../../x", false), /forbidden path/);
});

test("findSources expands globs, honours excludes, and lists symlinks without following them", async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "berth-sources-"));
  try {
    await fs.writeFile(path.join(dir, "a.js"), "a");
    await fs.writeFile(path.join(dir, "b.js"), "b");
    await fs.writeFile(path.join(dir, "c.txt"), "c");
    await fs.symlink("/etc/passwd", path.join(dir, "link"));
    const found = await findSources(dir, ["*.js", "link"], { exclude: (rel) => rel === "b.js" });
    assert.deepEqual(
      found.map((f) => f.rel),
      ["a.js", "link"],
    );
    const m = await sourceManifest(found);
    assert.equal(m.link?.type, "symlink");
    assert.equal(m.link?.digest, "/etc/passwd");
    assert.equal(m["a.js"]?.type, "file");
    await assert.rejects(findSources(dir, ["nope"]), /file not found in build context/);
    assert.equal(await resolveInRoot(dir, "/link"), path.join(dir, "etc/passwd"));
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});
