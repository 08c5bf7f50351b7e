import assert from "node:assert/strict";
import { test } from "node:test";
import {
  containerAbsPath,
  containerBaseName,
  type ReadlinkInRoot,
  resolveContainerPath,
  resolveInRoot,
  splitContainerPath,
} from "./rootfs-path.js";

/** A container root as a map of symlinks (relative path -> target); everything else is not a link. */
function links(map: Record<string, string>): ReadlinkInRoot & { asked: string[] } {
  const asked: string[] = [];
  const fn = async (rel: string) => {
    asked.push(rel);
    return map[rel];
  };
  return Object.assign(fn, { asked });
}

test("resolveInRoot keeps plain paths and cleans them", async () => {
  const r = links({});
  assert.equal(await resolveInRoot("/etc//./passwd", r), "etc/passwd");
  assert.equal(await resolveInRoot("/", r), "");
  assert.equal(await resolveInRoot("", r), "");
  assert.equal(await resolveInRoot("etc/", r), "etc");
});

test("resolveInRoot stops .. at the root", async () => {
  const r = links({});
  assert.equal(await resolveInRoot("/../../etc/../../etc/hostname", r), "etc/hostname");
});

test("resolveInRoot follows an absolute symlink to the container's root, not the host's", async () => {
  const r = links({ escape: "/" });
  assert.equal(await resolveInRoot("/escape/etc/hostname", r), "etc/hostname");
  assert.equal(await resolveInRoot("/escape/../../../etc/passwd", r), "etc/passwd");
});

test("resolveInRoot follows relative symlinks from the link's directory", async () => {
  const r = links({ "usr/lib/x": "../../opt/y", "opt/y": "z" });
  assert.equal(await resolveInRoot("/usr/lib/x/file", r), "opt/z/file");
});

test("resolveInRoot clamps relative links that climb above the root", async () => {
  const r = links({ "a/up": "../../../../../../" });
  assert.equal(await resolveInRoot("/a/up/etc/shadow", r), "etc/shadow");
});

test("resolveInRoot follows the last link only when asked", async () => {
  const r = links({ "etc/pw": "/etc/passwd" });
  assert.equal(await resolveInRoot("/etc/pw", r), "etc/passwd");
  const r2 = links({ "etc/pw": "/etc/passwd" });
  assert.equal(await resolveInRoot("/etc/pw", r2, { followFinal: false }), "etc/pw");
  assert.deepEqual(r2.asked, ["etc"], "the last component is not even looked at");
});

test("resolveInRoot rejects symlink loops and NUL bytes", async () => {
  const r = links({ a: "b", b: "/a" });
  await assert.rejects(resolveInRoot("/a/x", r), /too many levels of symbolic links/);
  await assert.rejects(resolveInRoot("/etc\0/x", links({})), /NUL/);
});

test("containerAbsPath roots and cleans, keeping a trailing / or /.", () => {
  assert.equal(containerAbsPath("etc/passwd"), "/etc/passwd");
  assert.equal(containerAbsPath("/etc/"), "/etc/");
  assert.equal(containerAbsPath("/etc/."), "/etc/.");
  assert.equal(containerAbsPath("/a/../b//c"), "/b/c");
  assert.equal(containerAbsPath("/../.."), "/");
  assert.equal(containerAbsPath(""), "/");
});

test("splitContainerPath and containerBaseName follow Go's filepath", () => {
  assert.deepEqual(splitContainerPath("/etc/passwd"), { dir: "/etc/", base: "passwd" });
  assert.deepEqual(splitContainerPath("/etc/"), { dir: "/etc/", base: "" });
  assert.deepEqual(splitContainerPath("/etc/."), { dir: "/etc/", base: "." });
  assert.equal(containerBaseName("/etc/"), "etc");
  assert.equal(containerBaseName("/etc/."), ".");
  assert.equal(containerBaseName("/"), "/");
});

test("resolveContainerPath resolves the directory and keeps a final symlink as the link", async () => {
  const r = links({ escape: "/", "etc/pw": "/etc/passwd", d: "/etc" });
  assert.deepEqual(await resolveContainerPath("/escape/etc/hostname", r), {
    rel: "etc/hostname",
    abs: "/escape/etc/hostname",
  });
  assert.deepEqual(await resolveContainerPath("/etc/pw", r), { rel: "etc/pw", abs: "/etc/pw" });
  assert.deepEqual(await resolveContainerPath("/escape", r), { rel: "escape", abs: "/escape" });
  assert.deepEqual(await resolveContainerPath("/escape/", r), { rel: "", abs: "/escape/" });
  assert.deepEqual(await resolveContainerPath("/d/.", r), { rel: "etc", abs: "/d/." });
  assert.deepEqual(await resolveContainerPath("/", r), { rel: "", abs: "/" });
});
