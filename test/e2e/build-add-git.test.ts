import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createReadStream, promises as fs } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { busyboxRootfs } from "../fixtures/busybox.js";
import { type RunResult, TestDaemon } from "../harness/daemon.js";

/**
 * ADD of a Git repository, served over git's "dumb" HTTP protocol (static files) from 127.0.0.1:
 * a tag with a subdirectory, a branch that moves (the step misses and says why), --keep-git-dir.
 */
describe("build: ADD <git repository>", () => {
  let d: TestDaemon;
  let server: http.Server;
  let base: string;
  let work: string;
  let ctx: string;
  const git = (...args: string[]) =>
    execFileSync("git", ["-C", work, ...args], {
      encoding: "utf8",
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "t",
        GIT_AUTHOR_EMAIL: "t@x",
        GIT_COMMITTER_NAME: "t",
        GIT_COMMITTER_EMAIL: "t@x",
      },
    }).trim();
  /** Pushes the work tree to the served bare repository and refreshes its dumb-HTTP index. */
  const publish = (...refs: string[]) => {
    git("push", "-q", "--force", path.join(d.dir, "served", "repo.git"), ...refs);
    execFileSync("git", ["-C", path.join(d.dir, "served", "repo.git"), "update-server-info"]);
  };

  before(async () => {
    d = await TestDaemon.start();
    ok(await d.docker(["import", "-", "busybox:latest"], { input: await busyboxRootfs() }));
    work = path.join(d.dir, "work");
    await fs.mkdir(path.join(work, "site"), { recursive: true });
    git("init", "-q", "-b", "main");
    await fs.writeFile(path.join(work, "README"), "root file\n");
    await fs.writeFile(path.join(work, "site", "index.html"), "v1\n");
    git("add", ".");
    git("commit", "-q", "-m", "one");
    git("tag", "-a", "v1", "-m", "release one");
    execFileSync("git", ["init", "-q", "--bare", path.join(d.dir, "served", "repo.git")]);
    publish("main", "v1");
    const root = path.join(d.dir, "served");
    server = http.createServer((req, res) => {
      const file = path.join(
        root,
        path.normalize(decodeURIComponent(new URL(req.url!, "http://x").pathname)),
      );
      if (!file.startsWith(`${root}/`)) return res.writeHead(403).end();
      fs.stat(file).then(
        (st) => {
          if (!st.isFile()) return res.writeHead(404).end();
          res.writeHead(200, { "Content-Length": st.size });
          createReadStream(file).pipe(res);
        },
        () => res.writeHead(404).end(),
      );
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/repo.git`;
    ctx = path.join(d.dir, "ctx");
    await fs.mkdir(ctx, { recursive: true });
  });
  after(async () => {
    server?.close();
    server?.closeAllConnections();
    await d?.cleanup();
  });

  const ok = (r: RunResult) => {
    assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r.stdout;
  };
  const dockerfile = (text: string) => fs.writeFile(path.join(ctx, "Dockerfile"), text);
  const cat = (img: string, ...cmd: string[]) => d.berth(["run", "--rm", img, ...cmd]);

  test("a tag's subdirectory lands in the destination; .git is left out", async () => {
    await dockerfile(`FROM busybox\nADD ${base}#v1:site /srv/\n`);
    ok(await d.docker(["build", "-t", "git:tag", ctx]));
    assert.equal(ok(await cat("git:tag", "cat", "/srv/index.html")), "v1\n");
    assert.equal(
      ok(await cat("git:tag", "ls", "-a", "/srv"))
        .split("\n")
        .includes(".git"),
      false,
    );
    const again = ok(await d.docker(["build", "-t", "git:tag", ctx]));
    assert.match(again, /Using cache/);
  });

  test("a branch that moved misses the cache and says why; an unmoved one hits", async () => {
    await dockerfile(`FROM busybox\nADD ${base}#main /app\nRUN cat /app/site/index.html\n`);
    ok(await d.berth(["build", "--progress", "plain", "-t", "git:main", ctx]));
    const hit = ok(await d.berth(["build", "--progress", "plain", "-t", "git:main", ctx]));
    assert.doesNotMatch(hit, /git .* at [0-9a-f]{12}/, "no clone when the branch did not move");
    await fs.writeFile(path.join(work, "site", "index.html"), "v2\n");
    git("commit", "-q", "-am", "two");
    publish("main");
    const miss = ok(await d.berth(["build", "--progress", "plain", "-t", "git:main", ctx]));
    assert.match(
      miss,
      new RegExp(`git ${base.replace(/[.]/g, "\\.")} at ${git("rev-parse", "HEAD").slice(0, 12)}`),
    );
    assert.match(miss, /changed/);
    assert.equal(ok(await cat("git:main", "cat", "/app/site/index.html")), "v2\n");
  });

  test("--keep-git-dir keeps .git; an unknown ref fails clearly", async () => {
    await dockerfile(
      `# syntax=docker/dockerfile:1\nFROM busybox\nADD --keep-git-dir=true ${base}#v1 /repo\n`,
    );
    ok(await d.docker(["build", "-t", "git:keep", ctx]));
    assert.equal(ok(await cat("git:keep", "test", "-d", "/repo/.git")), "");
    await dockerfile(`FROM busybox\nADD ${base}#nosuch /repo\n`);
    const r = await d.docker(["build", "-t", "git:bad", ctx]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /no branch, tag or commit named "nosuch"/);
  });
});
