import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import tar from "tar-stream";
import { busyboxRootfs } from "../fixtures/busybox.js";
import { TestDaemon } from "../harness/daemon.js";

type Result = { code: number; stdout: string; stderr: string };

/** RUN --mount, --network, heredocs, ONBUILD, ADD (tars, URLs), COPY flags, --check/--explain, prune. */
describe("build: RUN mounts, heredocs, ONBUILD, ADD, checks", () => {
  let d: TestDaemon;

  before(async () => {
    d = await TestDaemon.start();
    const r = await d.docker(["import", "-", "busybox:latest"], { input: await busyboxRootfs() });
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    await d?.cleanup();
  });

  const ok = (r: Result) => {
    assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r.stdout;
  };
  const fails = (r: Result) => {
    assert.notEqual(r.code, 0, `expected a failure\nstdout: ${r.stdout}`);
    return r.stdout + r.stderr;
  };
  const project = async (name: string, files: Record<string, string | Buffer>) => {
    const dir = path.join(d.dir, name);
    for (const [rel, data] of Object.entries(files)) {
      await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
      await fs.writeFile(path.join(dir, rel), data);
    }
    return dir;
  };
  const sh = async (image: string, script: string) =>
    ok(await d.docker(["run", "--rm", image, "sh", "-c", script]));

  test("RUN --mount=type=cache persists between builds and stays out of the image", async () => {
    const dir = await project("cache", {
      Dockerfile: [
        "FROM busybox",
        "ARG N",
        "RUN --mount=type=cache,target=/var/cache/app,uid=1000,mode=0700 \\",
        "    echo run >> /var/cache/app/log && echo runs=$(wc -l < /var/cache/app/log) && stat -c 'owner=%u mode=%a' /var/cache/app",
        "",
      ].join("\n"),
    });
    assert.match(
      ok(await d.berth(["build", "--progress=plain", "--build-arg", "N=1", "-t", "cache:1", dir])),
      /runs=1/,
    );
    const second = ok(
      await d.berth(["build", "--progress=plain", "--build-arg", "N=2", "-t", "cache:2", dir]),
    );
    assert.match(second, /runs=2/);
    assert.match(second, /owner=1000 mode=700/);
    // Not even the mount point: /var/cache did not exist in busybox.
    assert.match(await sh("cache:2", "ls -A /var/cache 2>&1 || true"), /No such file or directory/);
    const hist = ok(await d.docker(["history", "--no-trunc", "--format", "{{.Size}}", "cache:2"]));
    assert.equal(hist.split("\n")[0], "0B", hist);
  });

  test("secrets (file and env), tmpfs, binds from the context and a stage; --network=none", async () => {
    const dir = await project("mounts", {
      "secret.txt": "hunter2",
      "src/a.txt": "from-context",
      "src/skip.log": "ignored",
      ".dockerignore": "secret.txt\nsrc/*.log\n",
      Dockerfile: [
        "FROM busybox AS tools",
        "RUN mkdir /tools && echo tool > /tools/t",
        "FROM busybox",
        "RUN --mount=type=secret,id=pw --mount=type=secret,id=tok,env=TOKEN \\",
        "    echo pw=$(cat /run/secrets/pw) tok=$TOKEN",
        "RUN --mount=type=tmpfs,target=/scratch echo x > /scratch/f && ls /scratch",
        "RUN --mount=type=bind,source=src,target=/src ls /src && cat /src/a.txt",
        "RUN --mount=type=bind,from=tools,source=/tools,target=/t,rw echo changed > /t/t && cat /t/t",
        "RUN --mount=type=bind,from=tools,source=/tools,target=/t cat /t/t",
        "RUN --network=none ls /sys/class/net",
        "",
      ].join("\n"),
    });
    const secretFile = path.join(d.dir, "pw.txt");
    await fs.writeFile(secretFile, "s3cret");
    const out = ok(
      await d.berth(
        [
          "build",
          "--progress=plain",
          "--secret",
          `id=pw,src=${secretFile}`,
          "--secret",
          "id=tok,env=MY_TOKEN",
          "-t",
          "mounts:1",
          dir,
        ],
        {
          env: { MY_TOKEN: "t0k" },
        },
      ),
    );
    assert.match(out, /pw=s3cret tok=t0k/);
    assert.match(out, /^a\.txt$/m);
    assert.doesNotMatch(out, /skip\.log/);
    assert.match(out, /from-context/);
    assert.match(out, /^changed$/m);
    assert.match(out, /^tool$/m);
    assert.match(out, /Step 9\/9 : RUN --network=none[^\n]*\n(?: --->[^\n]*\n)*lo\n ---> Removed/);
    const inside = await sh("mounts:1", "ls -A /run/secrets /scratch /src /t 2>&1; true");
    assert.doesNotMatch(inside, /pw|a\.txt|^f$|^t$/m);
    const history = ok(await d.docker(["history", "--no-trunc", "--format", "{{.CreatedBy}}", "mounts:1"]));
    assert.doesNotMatch(history, /s3cret|t0k/);
    // Optional secrets that were not given are simply absent.
    assert.match(ok(await d.berth(["build", "--progress=plain", "--no-cache", dir])), /^pw= tok=$/m);
    const req = await project("required", {
      Dockerfile: "FROM busybox\nRUN --mount=type=secret,id=npm,required true\n",
    });
    assert.match(fails(await d.berth(["build", req])), /secret npm is required but was not provided/);
  });

  test("heredocs: RUN with one and several, COPY with expansion and a quoted delimiter", async () => {
    const dir = await project("heredoc", {
      Dockerfile: [
        "FROM busybox",
        "ENV WHO=world",
        "RUN <<EOF",
        "echo one > /one",
        "echo two >> /one",
        "EOF",
        "RUN cat <<A > /a && cat <<-'B' > /b",
        "hello $WHO",
        "A",
        "\tliteral $WHO",
        "\tB",
        "RUN <<EOF",
        "#!/bin/busybox sh",
        "echo from-script > /script-out",
        "EOF",
        "COPY <<EOF <<'RAW' /etc/conf/",
        "greeting=$WHO",
        "EOF",
        "raw=$WHO",
        "RAW",
        "COPY <<EOF /single.txt",
        "single",
        "EOF",
        "",
      ].join("\n"),
    });
    ok(await d.docker(["build", "-t", "heredoc:1", dir]));
    const out = await sh("heredoc:1", "cat /one /a /b /script-out /etc/conf/EOF /etc/conf/RAW /single.txt");
    assert.equal(out, "one\ntwo\nhello world\nliteral $WHO\nfrom-script\ngreeting=world\nraw=$WHO\nsingle\n");
  });

  test("ONBUILD triggers are recorded and run by a build FROM the image", async () => {
    const base = await project("onbuild-base", {
      Dockerfile: "FROM busybox\nONBUILD COPY app.txt /app/\nONBUILD RUN echo triggered > /app/t\n",
    });
    ok(await d.docker(["build", "-t", "onbase:1", base]));
    const onbuild = ok(
      await d.docker(["image", "inspect", "onbase:1", "--format", "{{json .Config.OnBuild}}"]),
    );
    assert.deepEqual(JSON.parse(onbuild), ["COPY app.txt /app/", "RUN echo triggered > /app/t"]);
    const child = await project("onbuild-child", { Dockerfile: "FROM onbase:1\n", "app.txt": "app\n" });
    const out = ok(await d.docker(["build", "-t", "onchild:1", child]));
    assert.match(out, /# Executing 2 build triggers/);
    assert.equal(await sh("onchild:1", "cat /app/app.txt /app/t"), "app\ntriggered\n");
    const inherited = ok(
      await d.docker(["image", "inspect", "onchild:1", "--format", "{{json .Config.OnBuild}}"]),
    );
    assert.ok(["null", "[]"].includes(inherited.trim()), inherited);
  });

  test("ADD: a tar with ../ entries fails and writes nothing; URLs with --checksum and Last-Modified", async () => {
    const pack = tar.pack();
    pack.entry({ name: "ok.txt" }, "fine\n");
    pack.entry({ name: "../../../escaped-by-add" }, "bad\n");
    pack.finalize();
    const chunks: Buffer[] = [];
    for await (const c of pack) chunks.push(c as Buffer);
    const evil = await project("add-evil", {
      "evil.tar": Buffer.concat(chunks),
      Dockerfile: "FROM busybox\nADD evil.tar /x/\n",
    });
    const msg = fails(await d.docker(["build", "-t", "evil:1", evil]));
    assert.match(msg, /ADD evil\.tar: the archive cannot be extracted: .*escapes the layer root/);
    assert.equal(ok(await d.docker(["images", "-q", "evil"])), "");
    for (const p of [
      path.join(d.dir, "escaped-by-add"),
      path.join(d.root, "escaped-by-add"),
      "/escaped-by-add",
    ]) {
      await assert.rejects(fs.stat(p), `${p} must not exist`);
    }

    const body = "downloaded\n";
    const sum = createHash("sha256").update(body).digest("hex");
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { "Last-Modified": "Wed, 21 Oct 2015 07:28:00 GMT", "Content-Length": body.length });
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/files/data.txt`;
      const dir = await project("add-url", {
        Dockerfile: `FROM busybox\nADD --checksum=sha256:${sum} ${url} /dl/\n`,
      });
      ok(await d.docker(["build", "-t", "addurl:1", dir]));
      assert.equal(
        await sh("addurl:1", "cat /dl/data.txt; stat -c '%a %Y' /dl/data.txt"),
        `${body}600 1445412480\n`,
      );
      await fs.writeFile(
        path.join(dir, "Dockerfile"),
        `FROM busybox\nADD --checksum=sha256:${"0".repeat(64)} ${url} /dl/\n`,
      );
      assert.match(
        fails(await d.docker(["build", dir])),
        /checksum mismatch: expected sha256:0{64}, got sha256:[0-9a-f]{64}/,
      );
      await fs.writeFile(
        path.join(dir, "Dockerfile"),
        "FROM busybox\nADD https://example.invalid/x.git /x\n",
      );
      // A Git source is resolved with git ls-remote: an unreachable one is a clear error.
      assert.match(
        fails(await d.docker(["build", dir])),
        /ADD https:\/\/example\.invalid\/x\.git: git ls-remote failed: .*example\.invalid/,
      );
    } finally {
      server.close();
    }
  });

  test("COPY --parents, --exclude, --link", async () => {
    const dir = await project("copyflags", {
      "a/x/one.txt": "1",
      "a/y/two.txt": "2",
      "a/y/skip.md": "no",
      Dockerfile: [
        "FROM busybox",
        "COPY --parents a/x/one.txt a/y/two.txt /p/",
        "COPY --exclude=**/*.md --link a /e/",
        "",
      ].join("\n"),
    });
    ok(await d.docker(["build", "-t", "copyflags:1", dir]));
    assert.equal(
      await sh("copyflags:1", "find /p /e -type f | sort"),
      "/e/x/one.txt\n/e/y/two.txt\n/p/a/x/one.txt\n/p/a/y/two.txt\n",
    );
  });

  test("--check warns with lines and fixes and exits non-zero; --explain prints the decision table", async () => {
    const dir = await project("checks", {
      "package.json": "{}",
      Dockerfile: [
        "FROM busybox",
        "ENV API_TOKEN=abc",
        "COPY . /app",
        "RUN apt-get update && apt-get install -y curl",
        "RUN cd /app && npm install",
        "ENTRYPOINT node /app/server.js",
        "",
      ].join("\n"),
    });
    const r = await d.berth(["build", "--check", dir]);
    const out = fails(r);
    assert.match(out, /Dockerfile:2: SecretsUsedInArgOrEnv/);
    assert.match(out, /Dockerfile:3: CopyAllBeforeDependencyInstall/);
    assert.match(out, /Dockerfile:4: AptListsNotRemoved/);
    assert.match(out, /RootUserInFinalStage/);
    assert.match(out, /JSONArgsRecommended/);
    assert.match(out, /fix: /);
    assert.equal(
      ok(await d.docker(["images", "-q"]))
        .split("\n")
        .filter(Boolean).length > 0,
      true,
    );
    const clean = await project("checks-clean", { Dockerfile: 'FROM busybox\nUSER nobody\nCMD ["true"]\n' });
    assert.match(ok(await d.berth(["build", "--check", clean])), /no warnings found/);

    ok(await d.berth(["build", "--progress=plain", clean]));
    const table = ok(await d.berth(["build", "--progress=plain", "--explain", clean]));
    assert.match(table, /Cache decisions:\nSTEP\s+INSTRUCTION\s+RESULT\s+KEY\s+INPUTS\s+REASON\n/);
    assert.match(table, /^2\/3\s+USER nobody\s+cached\s+[0-9a-f]{12}\s+parent=[0-9a-f]{12}/m);
  });

  test("berth CLI: local context and tar stream agree; <Dockerfile>.dockerignore with exceptions", async () => {
    const dir = await project("ignore", {
      "app/Dockerfile": 'FROM busybox\nCOPY . /ctx/\nCMD ["sh", "-c", "cd /ctx && find . -type f | sort"]\n',
      "app/Dockerfile.dockerignore": "logs\n!logs/keep.log\n*.tmp\n",
      ".dockerignore": "src\n",
      "src/a.js": "a",
      "logs/x.log": "x",
      "logs/keep.log": "k",
      "junk.tmp": "j",
    });
    const expected =
      "./.dockerignore\n./app/Dockerfile\n./app/Dockerfile.dockerignore\n./logs/keep.log\n./src/a.js\n";
    for (const env of [{}, { BERTH_BUILD_NO_LOCAL_CONTEXT: "1" }] as Record<string, string>[]) {
      const tag = `ignore:${Object.keys(env).length}`;
      ok(
        await d.berth(
          ["build", "--progress=plain", "-f", path.join(dir, "app", "Dockerfile"), "-t", tag, dir],
          { env },
        ),
      );
      assert.equal(ok(await d.docker(["run", "--rm", tag])), expected, JSON.stringify(env));
    }
  });

  test("FROM a missing stage and a cyclic COPY --from fail with the line", async () => {
    const dir = await project("badstages", {
      Dockerfile: "FROM busybox AS a\nCOPY --from=b /x /x\nFROM busybox AS b\nCOPY --from=a /y /y\n",
    });
    assert.match(fails(await d.docker(["build", dir])), /circular dependency detected on stage: a/);
    await fs.writeFile(path.join(dir, "Dockerfile"), "FROM busybox AS a\nFROM nostage\n");
    assert.match(fails(await d.docker(["build", dir])), /No such image: nostage/);
  });

  test("builder prune removes the cache (docker CLI and berth); later builds miss", async () => {
    const dir = await project("prune", {
      Dockerfile: "FROM busybox\nRUN --mount=type=cache,target=/c echo x > /c/f && echo built\n",
    });
    ok(await d.docker(["build", "-t", "prune:1", dir]));
    assert.match(ok(await d.docker(["build", dir])), /Using cache/);
    const report = ok(await d.docker(["builder", "prune", "-af"]));
    assert.match(report, /Total:?\s|reclaimed/i);
    assert.doesNotMatch(ok(await d.docker(["build", dir])), /Using cache/);
    // The rebuild made the cache directory again; berth's own prune removes it.
    assert.equal((await fs.readdir(path.join(d.root, "builder", "cache-mounts"))).length, 1);
    const berthOut = ok(await d.berth(["builder", "prune", "-a", "-f"]));
    assert.match(berthOut, /Total reclaimed space: /);
    assert.deepEqual(await fs.readdir(path.join(d.root, "builder", "cache-mounts")), []);
    assert.equal(ok(await d.docker(["run", "--rm", "prune:1", "echo", "still-runs"])), "still-runs\n");
    // docker system prune includes the build cache; the intermediate images of a tagged image stay.
    ok(await d.docker(["build", "-t", "prune:2", dir]));
    assert.match(ok(await d.docker(["image", "prune", "-f"])), /Total reclaimed space/);
    assert.match(ok(await d.docker(["build", dir])), /Using cache/);
    ok(await d.docker(["system", "prune", "-f"]));
    assert.deepEqual(await fs.readdir(path.join(d.root, "builder", "cache-mounts")), []);
  });

  test("a failing RUN with mounts leaves no mounts or containers behind", async () => {
    const dir = await project("failmounts", {
      "f.txt": "x",
      Dockerfile:
        "FROM busybox\nRUN --mount=type=cache,target=/c --mount=type=bind,target=/b --mount=type=tmpfs,target=/t echo boom && exit 3\n",
    });
    const r = await d.berth(["build", "--progress=plain", "-t", "failm:1", dir]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stdout, /boom/);
    assert.equal(ok(await d.docker(["ps", "-aq"])), "");
    assert.equal(ok(await d.docker(["images", "-q", "failm"])), "");
    const mounts = (await fs.readFile("/proc/mounts", "utf8"))
      .split("\n")
      .filter((l) => l.includes(d.root) && /\/tmp\/|build-/.test(l));
    assert.deepEqual(mounts, []);
  });
});
