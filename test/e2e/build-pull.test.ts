import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import bcrypt from "bcryptjs";
import { busyboxRootfs } from "../fixtures/busybox.js";
import { type RunResult, TestDaemon } from "../harness/daemon.js";
import { DistributionRegistry } from "../harness/registry.js";

/**
 * Builds that name images the store lacks pull them (as Docker's legacy builder does), --pull
 * refreshes them, credentials travel in X-Registry-Config; a Dockerfile outside the context or on
 * stdin; --platform. Against Debian's Distribution registry on 127.0.0.1, through both CLIs.
 */
describe("build: base images from a registry, external Dockerfiles, --platform", () => {
  let d: TestDaemon;
  let reg: DistributionRegistry;
  let authReg: DistributionRegistry;
  let regDir: string;
  let ctx: string;
  let base: string;
  let privateBase: string;

  before(async () => {
    regDir = await fs.mkdtemp(path.join(os.tmpdir(), "berth-test-build-pull-"));
    reg = await DistributionRegistry.start(path.join(regDir, "registry"));
    const htpasswd = path.join(regDir, "htpasswd");
    await fs.writeFile(htpasswd, `alice:${bcrypt.hashSync("s3cret", 4)}\n`);
    authReg = await DistributionRegistry.start(path.join(regDir, "registry-auth"), { htpasswd });
    d = await TestDaemon.start();
    base = `${reg.host}/base/busybox:1`;
    privateBase = `${authReg.host}/private/busybox:1`;
    const rootfs = path.join(d.dir, "rootfs.tar");
    await fs.writeFile(rootfs, await busyboxRootfs());
    ok(await d.berth(["import", "-c", 'CMD ["/bin/sh"]', rootfs, base]));
    ok(await d.berth(["push", base]));
    ok(await d.berth(["tag", base, privateBase]));
    ok(
      await d.docker(["login", "-u", "alice", "--password-stdin", authReg.host], {
        input: "s3cret\n",
      }),
    );
    ok(await d.docker(["push", privateBase]));
    ok(await d.berth(["rmi", base, privateBase]));
    ctx = path.join(d.dir, "ctx");
    await fs.mkdir(ctx, { recursive: true });
    await fs.writeFile(path.join(ctx, "hello.txt"), "hello\n");
  });
  after(async () => {
    await d?.cleanup();
    await reg?.stop();
    await authReg?.stop();
    if (regDir) await fs.rm(regDir, { recursive: true, force: true });
  });

  const ok = (r: RunResult) => {
    assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r.stdout;
  };
  const dockerfile = (text: string) => fs.writeFile(path.join(ctx, "Dockerfile"), text);
  const hasImage = async (ref: string) => (await d.berth(["image", "inspect", ref])).code === 0;

  test("docker build pulls a FROM image the store lacks, then uses the local one", async () => {
    await dockerfile(`FROM ${base}\nCOPY hello.txt /\nCMD ["cat", "/hello.txt"]\n`);
    assert.equal(await hasImage(base), false);
    const out = ok(await d.docker(["build", "-t", "pulled:1", ctx]));
    assert.match(out, /1: Pulling from base\/busybox/);
    assert.match(out, /Status: Downloaded newer image for 127\.0\.0\.1:\d+\/base\/busybox:1/);
    assert.equal(await hasImage(base), true);
    assert.equal(ok(await d.docker(["run", "--rm", "pulled:1"])), "hello\n");
    const again = ok(await d.docker(["build", "-t", "pulled:1", ctx]));
    assert.doesNotMatch(again, /Pulling from/);
    assert.match(again, /Using cache/);
  });

  test("--pull pulls even a local image; both CLIs", async () => {
    const viaDocker = ok(await d.docker(["build", "--pull", "-t", "pulled:2", ctx]));
    assert.match(viaDocker, /Pulling from base\/busybox/);
    assert.match(viaDocker, /Status: Image is up to date/);
    const viaBerth = ok(await d.berth(["build", "--pull", "--progress", "plain", "-t", "pulled:3", ctx]));
    assert.match(viaBerth, /Pulling from base\/busybox/);
  });

  test("COPY --from an image the store lacks pulls it", async () => {
    ok(await d.berth(["rmi", "pulled:1", "pulled:2", "pulled:3", base]));
    await dockerfile(`FROM scratch\nCOPY --from=${base} /bin/busybox /busybox\n`);
    ok(await d.berth(["build", "--progress", "plain", "-t", "copied:1", ctx]));
    assert.equal(await hasImage(base), true);
  });

  test("credentials from docker login reach a pull inside a build (X-Registry-Config)", async () => {
    await dockerfile(`FROM ${privateBase}\nRUN echo private > /p.txt\n`);
    ok(await d.docker(["build", "-t", "private:1", ctx]));
    ok(await d.berth(["rmi", "private:1", privateBase]));
    // The berth CLI reads the same config.json.
    const env = { DOCKER_CONFIG: path.join(d.dir, "docker-config") };
    ok(await d.berth(["build", "--progress", "plain", "-t", "private:2", ctx], { env }));
    ok(await d.berth(["rmi", "private:2", privateBase]));
    // Without them: the registry's refusal, and nothing tagged.
    const anon = await d.berth(["build", "--progress", "plain", "-t", "private:3", ctx], {
      env: { DOCKER_CONFIG: path.join(d.dir, "empty-config") },
    });
    assert.notEqual(anon.code, 0);
    assert.match(anon.stderr, /unauthorized|authentication required|denied/i);
    assert.equal(await hasImage("private:3"), false);
  });

  test("a FROM image no registry has: a clear error, nothing tagged", async () => {
    await dockerfile(`FROM ${reg.host}/no/such:image\nRUN true\n`);
    const r = await d.docker(["build", "-t", "missing:1", ctx]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /not found|manifest unknown/i);
    assert.equal(await hasImage("missing:1"), false);
    const unreachable = await d.berth(["build", "-t", "missing:2", "-f", "-", ctx], {
      input: "FROM 127.0.0.1:9/nothing:here\n",
    });
    assert.notEqual(unreachable.code, 0);
    assert.match(unreachable.stderr, /127\.0\.0\.1:9/);
  });

  test("a Dockerfile outside the context (-f ../x) and on stdin (-f -), both CLIs", async () => {
    await fs.rm(path.join(ctx, "Dockerfile"), { force: true });
    const outside = path.join(d.dir, "elsewhere.Dockerfile");
    await fs.writeFile(outside, `FROM ${base}\nCOPY hello.txt /outside.txt\n`);
    const cat = (img: string, file: string) => d.berth(["run", "--rm", img, "cat", file]);
    const viaDocker = ok(await d.docker(["build", "-f", outside, "-t", "ext:docker", ctx]));
    // Warnings name it as the user knows it, not by the tar's random name.
    assert.match(viaDocker, /\[Warning\] Dockerfile:1: RootUserInFinalStage/);
    assert.doesNotMatch(viaDocker, /\.dockerfile\./);
    assert.equal(ok(await cat("ext:docker", "/outside.txt")), "hello\n");
    ok(await d.berth(["build", "-q", "-f", outside, "-t", "ext:local", ctx]));
    assert.equal(ok(await cat("ext:local", "/outside.txt")), "hello\n");
    ok(
      await d.berth(["build", "-q", "-f", outside, "-t", "ext:tar", ctx], {
        env: { BERTH_BUILD_NO_LOCAL_CONTEXT: "1" },
      }),
    );
    assert.equal(ok(await cat("ext:tar", "/outside.txt")), "hello\n");
    const stdinFile = `FROM ${base}\nCOPY hello.txt /stdin.txt\n`;
    ok(await d.berth(["build", "-q", "-f", "-", "-t", "ext:stdin", ctx], { input: stdinFile }));
    assert.equal(ok(await cat("ext:stdin", "/stdin.txt")), "hello\n");
    ok(await d.docker(["build", "-q", "-f", "-", "-t", "ext:dstdin", ctx], { input: stdinFile }));
    assert.equal(ok(await cat("ext:dstdin", "/stdin.txt")), "hello\n");
    const missing = await d.berth(["build", "-f", path.join(d.dir, "nope"), ctx]);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /Dockerfile.*ENOENT|no such file/i);
  });

  test("--platform sets TARGETPLATFORM and a scratch image's architecture; a bad one is refused", async () => {
    await dockerfile('FROM scratch\nARG TARGETPLATFORM\nLABEL target="$TARGETPLATFORM"\nCOPY hello.txt /\n');
    ok(await d.docker(["build", "--platform", "linux/arm64", "-t", "plat:arm", ctx]));
    const inspect = (ref: string, f: string) => d.berth(["image", "inspect", "--format", f, ref]);
    assert.equal(ok(await inspect("plat:arm", "{{.Architecture}}")), "arm64\n");
    assert.equal(ok(await inspect("plat:arm", '{{index .Config.Labels "target"}}')), "linux/arm64\n");
    ok(await d.berth(["build", "-q", "--platform", "linux/amd64", "-t", "plat:amd", ctx]));
    assert.equal(ok(await inspect("plat:amd", "{{.Architecture}}")), "amd64\n");
    const bad = await d.berth(["build", "--platform", "not/a/real/platform", ctx]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /invalid --platform/);
  });
});
