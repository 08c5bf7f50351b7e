import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { isKind } from "../../lib/errors.js";
import { checkoutGit, parseGitSource, resolveGitCommit } from "./add-git.js";

describe("ADD <git repository>", () => {
  test("parseGitSource splits url#ref:subdir", () => {
    assert.deepEqual(parseGitSource("https://h/r.git"), { url: "https://h/r.git" });
    assert.deepEqual(parseGitSource("https://h/r.git#v1"), { url: "https://h/r.git", ref: "v1" });
    assert.deepEqual(parseGitSource("git@h:r.git#main:docs/site"), {
      url: "git@h:r.git",
      ref: "main",
      subdir: "docs/site",
    });
    assert.deepEqual(parseGitSource("https://h/r.git#:sub/"), { url: "https://h/r.git", subdir: "sub" });
    for (const bad of ["https://h/r.git#-x", "https://h/r.git#a b", "https://h/r.git#main:../etc", "-oops"]) {
      assert.throws(
        () => parseGitSource(bad),
        (e) => isKind(e, "invalid-argument"),
        bad,
      );
    }
  });

  describe("against a local repository", () => {
    let dir: string;
    let url: string;
    let first: string;
    const git = (...args: string[]) =>
      execFileSync("git", ["-C", path.join(dir, "repo"), ...args], {
        encoding: "utf8",
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: "t",
          GIT_AUTHOR_EMAIL: "t@x",
          GIT_COMMITTER_NAME: "t",
          GIT_COMMITTER_EMAIL: "t@x",
        },
      }).trim();

    before(async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), "berth-add-git-"));
      await fs.mkdir(path.join(dir, "repo", "sub"), { recursive: true });
      git("init", "-q", "-b", "main");
      await fs.writeFile(path.join(dir, "repo", "a.txt"), "one\n");
      await fs.writeFile(path.join(dir, "repo", "sub", "s.txt"), "sub\n");
      git("add", ".");
      git("commit", "-q", "-m", "one");
      git("tag", "-a", "v1", "-m", "release one");
      first = git("rev-parse", "HEAD");
      await fs.writeFile(path.join(dir, "repo", "a.txt"), "two\n");
      git("commit", "-q", "-am", "two");
      url = `file://${path.join(dir, "repo")}`;
    });
    after(async () => {
      await fs.rm(dir, { recursive: true, force: true });
    });

    test("a branch, an annotated tag (peeled) and a commit resolve to commits", async () => {
      assert.equal(await resolveGitCommit({ url, ref: "main" }), git("rev-parse", "HEAD"));
      assert.equal(await resolveGitCommit({ url }), git("rev-parse", "HEAD"));
      assert.equal(await resolveGitCommit({ url, ref: "v1" }), first);
      assert.equal(await resolveGitCommit({ url, ref: first }), first);
      await assert.rejects(resolveGitCommit({ url, ref: "nope" }), /no branch, tag or commit named "nope"/);
      await assert.rejects(
        resolveGitCommit({ url: `file://${dir}/missing` }),
        (e) => isKind(e, "invalid-argument") && /git ls-remote failed/.test(String(e)),
      );
    });

    test("checkout gives the tree at the commit, without .git unless kept, or a subdirectory", async () => {
      const a = await checkoutGit({ url }, first, path.join(dir, "co-a"), { keepGitDir: false });
      assert.equal(await fs.readFile(path.join(a, "a.txt"), "utf8"), "one\n");
      await assert.rejects(fs.stat(path.join(a, ".git")));
      const b = await checkoutGit({ url }, first, path.join(dir, "co-b"), { keepGitDir: true });
      assert.ok((await fs.stat(path.join(b, ".git"))).isDirectory());
      const s = await checkoutGit({ url, subdir: "sub" }, first, path.join(dir, "co-s"), {
        keepGitDir: false,
      });
      assert.deepEqual(await fs.readdir(s), ["s.txt"]);
      await assert.rejects(
        checkoutGit({ url, subdir: "nothere" }, first, path.join(dir, "co-n"), { keepGitDir: false }),
        /has no directory nothere/,
      );
    });
  });
});
