import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { busyboxRootfs } from "../fixtures/busybox.js";
import { DOCKER, run, TestDaemon } from "../harness/daemon.js";

/** `DOCKER_BUILDKIT=0 docker build` against berthd: steps, cache, build args, stages, failures. */
describe("build", () => {
  let d: TestDaemon;
  let ctx: string;

  before(async () => {
    d = await TestDaemon.start();
    const r = await d.docker(["import", "-", "busybox:latest"], { input: await busyboxRootfs() });
    assert.equal(r.code, 0, r.stderr);
    ctx = path.join(d.dir, "ctx");
    await fs.mkdir(path.join(ctx, "src"), { recursive: true });
    await fs.writeFile(path.join(ctx, "package.json"), '{"name":"app"}\n');
    await fs.writeFile(path.join(ctx, "src", "app.js"), "console.log(1)\n");
    await fs.writeFile(path.join(ctx, "secret.txt"), "do not send\n");
    await fs.writeFile(path.join(ctx, ".dockerignore"), "secret.txt\n");
    await fs.writeFile(
      path.join(ctx, "Dockerfile"),
      [
        "FROM busybox",
        "ARG VERSION=1",
        "ENV APP_HOME=/app",
        "WORKDIR $APP_HOME",
        "COPY package.json ./",
        'RUN echo "installing $VERSION" && echo "v$VERSION" > version.txt',
        "COPY src/ ./src/",
        "COPY . /ctx/",
        'CMD ["cat", "/app/version.txt"]',
        "",
      ].join("\n"),
    );
  });
  after(async () => {
    await d?.cleanup();
  });

  const ok = (r: { code: number; stdout: string; stderr: string }) => {
    assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r.stdout;
  };

  test("a multi-step build runs and its image runs", async () => {
    const out = ok(await d.docker(["build", "-t", "app:1", ctx]));
    assert.match(out, /Step 1\/9 : FROM busybox/);
    assert.match(out, /installing 1/);
    assert.match(out, /Successfully built [0-9a-f]{12}/);
    assert.match(out, /Successfully tagged app:1/);
    assert.equal(ok(await d.docker(["run", "--rm", "app:1"])), "v1\n");
    const cfg = JSON.parse(ok(await d.docker(["image", "inspect", "app:1", "--format", "{{json .Config}}"])));
    assert.ok(cfg.Env.includes("APP_HOME=/app"));
    assert.equal(cfg.WorkingDir, "/app");
    assert.equal(ok(await d.docker(["run", "--rm", "app:1", "cat", "/app/src/app.js"])), "console.log(1)\n");
  });

  test(".dockerignore keeps a file out of the image", async () => {
    const r = await d.docker(["run", "--rm", "app:1", "ls", "/ctx"]);
    const names = ok(r).split("\n");
    assert.ok(names.includes("package.json"));
    assert.ok(!names.includes("secret.txt"), ok(r));
  });

  test("a rebuild uses the cache for every step", async () => {
    const out = ok(await d.docker(["build", "-t", "app:1", ctx]));
    assert.equal(out.match(/Using cache/g)?.length, 8, out);
    assert.doesNotMatch(out, /Cache miss/);
    assert.doesNotMatch(out, /^installing/m);
    assert.match(ok(await d.docker(["build", "-q", ctx])), /^sha256:[0-9a-f]{64}\n$/);
  });

  test("the cache survives a daemon restart", async () => {
    await d.stopProcess();
    await d.startProcess();
    const out = ok(await d.docker(["build", "-t", "app:1", ctx]));
    assert.equal(out.match(/Using cache/g)?.length, 8, out);
  });

  test("changing one source file reruns from its COPY and names the file", async () => {
    await fs.writeFile(path.join(ctx, "src", "app.js"), "console.log(2)\n");
    const out = ok(await d.docker(["build", "-t", "app:2", ctx]));
    assert.equal(out.match(/Using cache/g)?.length, 5, out);
    assert.match(out, /Cache miss: COPY src\/ \.\/src\/ — src\/app\.js changed \(content\)/);
    assert.match(out, /Cache miss: COPY \. \/ctx\/ — previous step missed/);
    assert.doesNotMatch(out, /^installing/m);
    assert.equal(ok(await d.docker(["run", "--rm", "app:2", "cat", "/app/src/app.js"])), "console.log(2)\n");
  });

  test("a --build-arg change invalidates and says which ARG", async () => {
    const out = ok(await d.docker(["build", "--build-arg", "VERSION=2", "-t", "app:3", ctx]));
    assert.match(out, /ARG VERSION changed from 1 to 2/);
    assert.match(out, /installing 2/);
    assert.equal(ok(await d.docker(["run", "--rm", "app:3"])), "v2\n");
    const history = ok(await d.docker(["history", "--no-trunc", "--format", "{{.CreatedBy}}", "app:3"]));
    assert.match(history, /\|1 VERSION=2 \/bin\/sh -c echo/);
  });

  test("multi-stage with COPY --from and --target", async () => {
    const dir = path.join(d.dir, "multi");
    await fs.mkdir(dir);
    await fs.writeFile(
      path.join(dir, "Dockerfile"),
      [
        "FROM busybox AS builder",
        "RUN mkdir /out && echo built > /out/artifact",
        "FROM busybox AS other",
        "RUN echo never-built-for-final",
        "FROM busybox",
        "COPY --from=builder /out/artifact /artifact",
        "COPY --from=busybox /etc/group /group-from-image",
        'CMD ["cat", "/artifact"]',
        "",
      ].join("\n"),
    );
    const out = ok(await d.docker(["build", "-t", "multi:final", dir]));
    assert.doesNotMatch(out, /never-built-for-final/);
    assert.equal(ok(await d.docker(["run", "--rm", "multi:final"])), "built\n");
    assert.match(
      ok(await d.docker(["run", "--rm", "multi:final", "cat", "/group-from-image"])),
      /^root:x:0:/,
    );
    const t = ok(await d.docker(["build", "--target", "builder", "-t", "multi:builder", dir]));
    assert.match(t, /Step 2\/2 : RUN mkdir/);
    assert.equal(ok(await d.docker(["run", "--rm", "multi:builder", "cat", "/out/artifact"])), "built\n");
  });

  test("a failing RUN shows its output and code, tags nothing, leaves no containers", async () => {
    const dir = path.join(d.dir, "fail");
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, "Dockerfile"), "FROM busybox\nRUN echo about-to-fail && false\n");
    const r = await d.docker(["build", "-t", "broken:1", dir]);
    assert.notEqual(r.code, 0);
    assert.match(r.stdout + r.stderr, /about-to-fail/);
    assert.match(
      r.stderr,
      /The command '\/bin\/sh -c echo about-to-fail && false' returned a non-zero code: 1/,
    );
    assert.equal(ok(await d.docker(["images", "-q", "broken"])), "");
    assert.equal(ok(await d.docker(["ps", "-aq"])), "");
    const mounts = (await fs.readFile("/proc/self/mountinfo", "utf8"))
      .split("\n")
      .filter((l) => l.includes(d.dir) && l.includes("/build-"));
    assert.deepEqual(mounts, []);
  });

  test("COPY/ADD: ../ refused, outside symlinks stay links, ADD extracts tars, --chown and --chmod", async () => {
    const dir = path.join(d.dir, "copy");
    await fs.mkdir(path.join(dir, "sub"), { recursive: true });
    await fs.writeFile(path.join(dir, "a.txt"), "a\n");
    await fs.writeFile(path.join(dir, "b.txt"), "b\n");
    await fs.symlink("/etc/shadow", path.join(dir, "escape"));
    const tarball = await busyboxRootfs({ gzip: true });
    await fs.writeFile(path.join(dir, "sub", "root.tar.gz"), tarball);
    await fs.writeFile(
      path.join(dir, "Dockerfile"),
      [
        "FROM busybox",
        "COPY *.txt /glob/",
        "COPY escape /links/",
        "ADD sub/root.tar.gz /unpacked",
        "COPY --chown=nobody:nogroup --chmod=600 a.txt /owned",
        "",
      ].join("\n"),
    );
    ok(await d.docker(["build", "-t", "copy:1", dir]));
    const out = ok(
      await d.docker([
        "run",
        "--rm",
        "copy:1",
        "sh",
        "-c",
        "ls /glob; readlink /links/escape; ls /unpacked/bin/busybox; stat -c '%u:%g %a' /owned",
      ]),
    );
    assert.equal(out, "a.txt\nb.txt\n/etc/shadow\n/unpacked/bin/busybox\n65534:65534 600\n");
    await fs.writeFile(path.join(dir, "Dockerfile"), "FROM busybox\nCOPY ../x /x\n");
    const r = await d.docker(["build", dir]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /forbidden path outside the build context: \.\.\/x/);
  });

  test("berth build: -q, --iidfile, --build-arg, --label, and a Dockerfile on stdin", async () => {
    const iid = path.join(d.dir, "iid");
    const id = ok(
      await d.berth(["build", "-q", "-t", "cli:1", "-t", "cli:2", "--iidfile", iid, "--label", "k=v", ctx]),
    ).trim();
    assert.match(id, /^sha256:[0-9a-f]{64}$/);
    assert.equal(await fs.readFile(iid, "utf8"), id);
    const labels = ok(await d.docker(["image", "inspect", "cli:2", "--format", "{{json .Config.Labels}}"]));
    assert.deepEqual(JSON.parse(labels), { k: "v" });
    const out = ok(
      await d.berth(["build", "-t", "stdin:1", "--build-arg", "X=42", "-"], {
        input: "FROM busybox\nARG X\nRUN echo x=$X\n",
      }),
    );
    assert.match(out, /^x=42$/m);
    assert.match(out, /Successfully tagged stdin:1/);
  });

  test("a build whose client goes away stops and leaves no containers", async () => {
    const dir = path.join(d.dir, "cancel");
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, "Dockerfile"), "FROM busybox\nRUN sleep 60\n");
    const r = await run(DOCKER, ["build", dir], {
      timeoutMs: 3000,
      env: { ...process.env, DOCKER_HOST: d.host, DOCKER_BUILDKIT: "0" },
    });
    assert.notEqual(r.code, 0);
    let left = "";
    for (let i = 0; i < 50; i++) {
      left = ok(await d.docker(["ps", "-aq"]));
      if (left === "") break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.equal(left, "");
  });

  test("FROM an image that is not local fails clearly", async () => {
    const dir = path.join(d.dir, "missing");
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, "Dockerfile"), "FROM nosuch/image:1\n");
    const r = await d.docker(["build", dir]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /No such image: nosuch\/image:1/);
  });
});
