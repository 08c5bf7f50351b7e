import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import bcrypt from "bcryptjs";
import { type RunningRegistry, startRegistryServer } from "../../src/registry/server/server.js";
import { busyboxRootfs } from "../fixtures/busybox.js";
import { writeOciLayout } from "../fixtures/oci-layout.js";
import { makeTar } from "../fixtures/tar.js";
import { type RunResult, run, TestDaemon } from "../harness/daemon.js";
import { sha256 } from "../harness/registry-http.js";

/**
 * berth's registry client and the docker CLI (through berthd) against `berth registry serve` with
 * htpasswd auth, with skopeo as the independent third party: what berth pushes, skopeo pulls
 * byte-identical; what skopeo pushes, berth pulls and runs.
 */
describe("berth client against berth registry serve", () => {
  let d: TestDaemon;
  let reg: RunningRegistry;
  let host: string;
  const env = { DOCKER_CONFIG: "" };

  const ok = (r: RunResult) => {
    assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r.stdout;
  };
  const skopeo = (args: string[]) =>
    run("/usr/bin/skopeo", ["--insecure-policy", ...args], { timeoutMs: 120_000 });

  before(async () => {
    d = await TestDaemon.start();
    env.DOCKER_CONFIG = path.join(d.dir, "docker-config");
    const htpasswd = path.join(d.dir, "htpasswd");
    await fs.writeFile(htpasswd, `alice:${bcrypt.hashSync("s3cret", 4)}\n`);
    reg = await startRegistryServer({ root: path.join(d.dir, "registry"), port: 0, htpasswd });
    host = reg.hostPort;
    const rootfs = path.join(d.dir, "rootfs.tar");
    await fs.writeFile(rootfs, await busyboxRootfs({ gzip: true }));
    ok(await d.berth(["import", "-c", 'CMD ["/bin/sh"]', rootfs, `${host}/rt/busybox:1`]));
    ok(await d.berth(["login", "-u", "alice", "--password-stdin", host], { env, input: "s3cret\n" }));
  });
  after(async () => {
    await reg?.close();
    await d?.cleanup();
  });

  test("berth push, then skopeo pulls blobs byte-identical to berth's own store", async () => {
    assert.match(ok(await d.berth(["push", `${host}/rt/busybox:1`], { env })), /digest: sha256:/);
    // dir: keeps the manifest as the registry serves it (oci: would convert a Docker manifest).
    const out = path.join(d.dir, "skopeo-out");
    ok(
      await skopeo([
        "copy",
        "--src-tls-verify=false",
        "--src-creds",
        "alice:s3cret",
        `docker://${host}/rt/busybox:1`,
        `dir:${out}`,
      ]),
    );
    const store = path.join(d.root, "content", "blobs", "sha256");
    const manifest = await fs.readFile(path.join(out, "manifest.json"));
    const m = JSON.parse(manifest.toString()) as { config: { digest: string }; layers: { digest: string }[] };
    assert.ok(manifest.equals(await fs.readFile(path.join(store, sha256(manifest).slice(7)))), "manifest");
    for (const { digest } of [m.config, ...m.layers]) {
      const mine = await fs.readFile(path.join(store, digest.slice(7)));
      const theirs = await fs.readFile(path.join(out, digest.slice(7)));
      assert.ok(mine.equals(theirs), `blob ${digest} differs`);
    }
  });

  test("docker push and docker pull through berthd, and the image runs", async () => {
    ok(await d.docker(["tag", `${host}/rt/busybox:1`, `${host}/rt/docker:2`], { env }));
    assert.match(ok(await d.docker(["push", `${host}/rt/docker:2`], { env })), /2: digest: sha256:/);
    ok(await d.docker(["rmi", `${host}/rt/docker:2`], { env }));
    assert.match(
      ok(await d.docker(["pull", `${host}/rt/docker:2`], { env })),
      /Downloaded newer image|Image is up to date/,
    );
    assert.equal(
      ok(await d.docker(["run", "--rm", `${host}/rt/docker:2`, "echo", "pulled"], { env })).trim(),
      "pulled",
    );
  });

  test("skopeo pushes an OCI image; berth pulls it by tag and by digest and runs it", async () => {
    const layout = await writeOciLayout(
      path.join(d.dir, "layout"),
      [await busyboxRootfs(), await makeTar([{ name: "etc/motd", content: "from skopeo\n" }])],
      "v1",
    );
    const ref = `${host}/rt/from-skopeo`;
    ok(
      await skopeo([
        "copy",
        "--dest-tls-verify=false",
        "--dest-creds",
        "alice:s3cret",
        // Keep the layout's own layers: skopeo would otherwise reuse berth's equivalent busybox layer.
        "--preserve-digests",
        `oci:${layout.dir}:v1`,
        `docker://${ref}:v1`,
      ]),
    );
    ok(await d.berth(["pull", "-q", `${ref}:v1`], { env }));
    assert.equal(
      ok(await d.berth(["run", "--rm", `${ref}:v1`, "cat", "/etc/motd"], { env })),
      "from skopeo\n",
    );
    ok(await d.berth(["pull", "-q", `${ref}@${layout.manifestDigest}`], { env }));
    const digests = ok(await d.berth(["images", "--digests", "--format", "{{.Digest}}", ref], { env }));
    assert.match(digests, new RegExp(layout.manifestDigest));
  });

  test("without credentials the registry refuses berth with an authentication error", async () => {
    const r = await d.berth(["pull", `${host}/rt/busybox:1`], {
      env: { DOCKER_CONFIG: path.join(d.dir, "empty") },
    });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /authentication required|unauthorized|access denied/i);
  });
});
