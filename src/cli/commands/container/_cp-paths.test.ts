import assert from "node:assert/strict";
import { test } from "node:test";
import {
  prepareArchiveCopy,
  rebaseEntryName,
  rebaseNameFor,
  resolveLocalPath,
  splitCpArg,
  splitPathDirEntry,
} from "./_cp-paths.js";

test("splitCpArg tells the container side from local paths", () => {
  assert.deepEqual(splitCpArg("web:/etc/hosts"), { container: "web", path: "/etc/hosts" });
  assert.deepEqual(splitCpArg("/abs:path"), { container: "", path: "/abs:path" });
  assert.deepEqual(splitCpArg("./rel:x"), { container: "", path: "./rel:x" });
  assert.deepEqual(splitCpArg("plain"), { container: "", path: "plain" });
  assert.deepEqual(splitCpArg("-"), { container: "", path: "-" });
});

test("resolveLocalPath keeps a trailing slash or dot", () => {
  assert.equal(resolveLocalPath("/cwd", "out"), "/cwd/out");
  assert.equal(resolveLocalPath("/cwd", "out/"), "/cwd/out/");
  assert.equal(resolveLocalPath("/cwd", "out/."), "/cwd/out/.");
  assert.equal(resolveLocalPath("/cwd", "../x"), "/x");
});

test("splitPathDirEntry", () => {
  assert.deepEqual(splitPathDirEntry("/a/b"), ["/a", "b"]);
  assert.deepEqual(splitPathDirEntry("/a/b/"), ["/a", "b"]);
  assert.deepEqual(splitPathDirEntry("/a/b/."), ["/a/b", "."]);
  assert.deepEqual(splitPathDirEntry("/"), ["/", "/"]);
});

test("prepareArchiveCopy follows docker's four cases", () => {
  const file = { path: "/etc/hosts", exists: true, isDir: false };
  const dir = { path: "/etc", exists: true, isDir: true };
  // Into an existing directory: extracted as is.
  assert.deepEqual(prepareArchiveCopy(file, { path: "/out", exists: true, isDir: true }), { dstDir: "/out" });
  // Onto an existing file: renamed to it.
  assert.deepEqual(prepareArchiveCopy(file, { path: "/out/h", exists: true, isDir: false }), {
    dstDir: "/out",
    rebase: { from: "hosts", to: "h" },
  });
  // A directory to a new name.
  assert.deepEqual(prepareArchiveCopy(dir, { path: "/out/new", exists: false, isDir: false }), {
    dstDir: "/out",
    rebase: { from: "etc", to: "new" },
  });
  // The contents of a directory ("dir/.") to a new name.
  assert.deepEqual(
    prepareArchiveCopy({ ...dir, path: "/etc/." }, { path: "/out/new", exists: false, isDir: false }),
    {
      dstDir: "/out",
      rebase: { from: ".", to: "new" },
    },
  );
  assert.throws(
    () => prepareArchiveCopy(dir, { path: "/out/f", exists: true, isDir: false }),
    /cannot copy directory/,
  );
  assert.throws(
    () => prepareArchiveCopy(file, { path: "/out/nodir/", exists: false, isDir: false }),
    /no such directory/,
  );
});

test("rebaseEntryName replaces the first occurrence, as docker's archive rebase does", () => {
  const rebase = { from: ".", to: "new" };
  assert.equal(rebaseEntryName("./", rebase), "new/");
  assert.equal(rebaseEntryName("./a.txt", rebase), "new/a.txt");
  assert.equal(rebaseEntryName("hosts", { from: "hosts", to: "h" }), "h");
  assert.equal(rebaseEntryName("etc/hosts", undefined), "etc/hosts");
});

test("rebaseNameFor names a followed link after the original", () => {
  assert.deepEqual(rebaseNameFor("/link", "/target"), { path: "/target", rebaseName: "link" });
  assert.deepEqual(rebaseNameFor("/link/", "/target"), { path: "/target/", rebaseName: "link" });
  assert.deepEqual(rebaseNameFor("/same", "/x/same"), { path: "/x/same", rebaseName: undefined });
});
