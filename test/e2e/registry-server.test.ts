import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { busyboxRootfs } from "../fixtures/busybox.js";
import { type LayoutImage, writeOciLayout } from "../fixtures/oci-layout.js";
import { makeTar } from "../fixtures/tar.js";
import { BERTH, run } from "../harness/daemon.js";
import { type Served, serve, stop } from "../harness/registry-serve.js";
import { req, sha256 } from "../harness/registry-http.js";

const SKOPEO = "/usr/bin/skopeo";
// Written by Apache's `htpasswd -nbB -C 5 alice s3cret` and `htpasswd -nbm carol x` (MD5: never matches).
const HTPASSWD =
  "alice:$2y$05$n4JPomMxHdMBHFGj7i1lyeJWo4awS4gdu2.xd.Oo2ae8MgZI0L7hW\ncarol:$apr1$xXdLXaGw$lnG.uzBznd1ugK4wBlZve1\n";

function skopeo(args: string[]) {
  return run(SKOPEO, ["--insecure-policy", ...args], { timeoutMs: 120_000 });
}

const ok = (r: { code: number; stdout: string; stderr: string }) => {
  assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout;
};

async function blobsOf(layoutDir: string): Promise<Map<string, Buffer>> {
  const dir = path.join(layoutDir, "blobs", "sha256");
  const out = new Map<string, Buffer>();
  for (const name of await fs.readdir(dir)) out.set(name, await fs.readFile(path.join(dir, name)));
  return out;
}

/** `skopeo` copies images into and out of `berth registry serve`, run as the CLI. */
describe("berth registry serve with skopeo", () => {
  let dir: string;
  let image: LayoutImage;
  let reg: Served | undefined;
  let authReg: Served | undefined;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "berth-registry-"));
    const noise = randomBytes(2 * 1024 * 1024); // incompressible: a 2 MiB layer
    image = await writeOciLayout(
      path.join(dir, "src"),
      [
        await busyboxRootfs(),
        await makeTar([{ name: "data.bin", content: noise }]),
        await makeTar([{ name: "hello.txt", content: "hi\n" }]),
      ],
      "v1",
    );
    await fs.writeFile(path.join(dir, "auth.json"), '{"auths":{}}');
    reg = await serve(["--root", path.join(dir, "root")]);
  });
  after(async () => {
    await stop(reg);
    await stop(authReg);
    await fs.rm(dir, { recursive: true, force: true });
  });

  test("an OCI image copied in and back out has byte-identical blobs", async () => {
    const ref = `docker://${reg!.hostPort}/test/busybox:v1`;
    ok(await skopeo(["copy", "--dest-tls-verify=false", "--preserve-digests", `oci:${image.dir}:v1`, ref]));
    const out = path.join(dir, "out");
    ok(await skopeo(["copy", "--src-tls-verify=false", ref, `oci:${out}:v1`]));
    const want = await blobsOf(image.dir);
    const got = await blobsOf(out);
    assert.deepEqual([...got.keys()].sort(), [...want.keys()].sort());
    for (const [d, bytes] of want) assert.ok(got.get(d)!.equals(bytes), `blob ${d} differs`);
    const inspect = JSON.parse(ok(await skopeo(["inspect", "--tls-verify=false", ref])));
    assert.equal(inspect.Digest, image.manifestDigest);
    assert.equal(inspect.Layers.length, 3);
  });

  test("a Docker v2 schema 2 image keeps its media type and digest through the registry", async () => {
    const archive = path.join(dir, "docker.tar");
    ok(await skopeo(["copy", `oci:${image.dir}:v1`, `docker-archive:${archive}:test/docker:v1`]));
    const ref = `docker://${reg!.hostPort}/test/docker:v1`;
    ok(await skopeo(["copy", "--dest-tls-verify=false", `docker-archive:${archive}`, ref]));
    const m = await req(`http://${reg!.hostPort}/v2/test/docker/manifests/v1`);
    assert.equal(m.status, 200);
    assert.equal(m.headers.get("content-type"), "application/vnd.docker.distribution.manifest.v2+json");
    const raw = ok(await skopeo(["inspect", "--raw", "--tls-verify=false", ref]));
    assert.equal(raw, m.body.toString());
    // The layers were already in test/busybox: the copy could mount them instead of uploading.
    const out = path.join(dir, "out-docker");
    ok(await skopeo(["copy", "--src-tls-verify=false", ref, `dir:${out}`]));
    const manifest = JSON.parse(await fs.readFile(path.join(out, "manifest.json"), "utf8"));
    for (const l of manifest.layers as { digest: string }[]) {
      const bytes = await fs.readFile(path.join(out, l.digest.slice(7)));
      const mine = (await blobsOf(image.dir)).get(l.digest.slice(7));
      if (mine) assert.ok(bytes.equals(mine));
    }
  });

  test("skopeo lists tags; deleting by digest removes the image; gc --grace 0s frees only its own blobs", async () => {
    const ref = `${reg!.hostPort}/test/busybox`;
    ok(
      await skopeo([
        "copy",
        "--dest-tls-verify=false",
        "--preserve-digests",
        `oci:${image.dir}:v1`,
        `docker://${ref}:v2`,
      ]),
    );
    const tags = JSON.parse(ok(await skopeo(["list-tags", "--tls-verify=false", `docker://${ref}`])));
    assert.deepEqual(tags.Tags, ["v1", "v2"]);
    // A second image sharing the busybox layer, with a layer of its own.
    const extra = await writeOciLayout(
      path.join(dir, "extra"),
      [await busyboxRootfs(), await makeTar([{ name: "extra.txt", content: "only here\n" }])],
      "v1",
    );
    const extraRef = `docker://${reg!.hostPort}/test/extra:v1`;
    ok(
      await skopeo([
        "copy",
        "--dest-tls-verify=false",
        "--preserve-digests",
        `oci:${extra.dir}:v1`,
        extraRef,
      ]),
    );
    ok(await skopeo(["delete", "--tls-verify=false", extraRef]));
    // Deleting by digest drops every tag of the manifest: test/busybox has none left after this.
    ok(await skopeo(["delete", "--tls-verify=false", `docker://${ref}:v1`]));
    const left = JSON.parse(ok(await skopeo(["list-tags", "--tls-verify=false", `docker://${ref}`])));
    assert.deepEqual(left.Tags, []);

    const root = path.join(dir, "root");
    const kept = ok(await run(process.execPath, [BERTH, "registry", "gc", "--root", root]));
    assert.match(kept, /deleted 0 untagged manifests, 0 blobs/);
    const gc = ok(await run(process.execPath, [BERTH, "registry", "gc", "--root", root, "--grace", "0s"]));
    const deleted = new Set([...gc.matchAll(/^deleted (sha256:[0-9a-f]{64})$/gm)].map((m) => m[1]));
    // The OCI manifest of test/busybox, and test/extra's manifest, config and own layer, go.
    const d = (b: Buffer) => sha256(b);
    const want = [image.manifestDigest, extra.manifestDigest, d(extra.config), d(extra.layers[1]!)];
    assert.deepEqual([...deleted].sort(), want.sort(), gc);
    // The shared busybox layer stays for test/docker, which still pulls whole.
    const out = path.join(dir, "out-after-gc");
    ok(
      await skopeo([
        "copy",
        "--src-tls-verify=false",
        `docker://${reg!.hostPort}/test/docker:v1`,
        `oci:${out}:v1`,
      ]),
    );
    assert.equal(
      (await req(`http://${reg!.hostPort}/v2/test/busybox/manifests/${image.manifestDigest}`)).status,
      404,
    );
  });

  test("with --htpasswd, pushes need credentials: 401 without, accepted with", async () => {
    const htpasswd = path.join(dir, "htpasswd");
    await fs.writeFile(htpasswd, HTPASSWD);
    authReg = await serve([
      "--root",
      path.join(dir, "auth-root"),
      "--htpasswd",
      htpasswd,
      "--realm",
      "test realm",
    ]);
    const base = `http://${authReg.hostPort}`;
    assert.match(authReg.stderr(), /warning: htpasswd .*: line 2: user "carol": unsupported hash scheme/);
    const anon = await req(`${base}/v2/`);
    assert.equal(anon.status, 401);
    assert.deepEqual(anon.codes, ["UNAUTHORIZED"]);
    assert.equal(anon.headers.get("www-authenticate"), 'Basic realm="test realm", charset="UTF-8"');
    const basic = (u: string, p: string) => ({
      Authorization: `Basic ${Buffer.from(`${u}:${p}`).toString("base64")}`,
    });
    assert.equal((await req(`${base}/v2/`, { headers: basic("alice", "wrong") })).status, 401);
    assert.equal((await req(`${base}/v2/`, { headers: basic("alice", "s3cret") })).status, 200);

    const ref = `docker://${authReg.hostPort}/private/busybox:v1`;
    const authfile = path.join(dir, "auth.json");
    const denied = await skopeo([
      "copy",
      "--dest-tls-verify=false",
      "--dest-authfile",
      authfile,
      `oci:${image.dir}:v1`,
      ref,
    ]);
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /unauthorized|authentication required/i);
    assert.deepEqual(await fs.readdir(path.join(dir, "auth-root", "repositories")), []);
    ok(
      await skopeo([
        "copy",
        "--dest-tls-verify=false",
        "--dest-authfile",
        authfile,
        "--dest-creds",
        "alice:s3cret",
        `oci:${image.dir}:v1`,
        ref,
      ]),
    );
    const tags = await skopeo([
      "list-tags",
      "--tls-verify=false",
      "--creds",
      "alice:s3cret",
      ref.replace(/:v1$/, ""),
    ]);
    assert.deepEqual(JSON.parse(ok(tags)).Tags, ["v1"]);
  });

  test("serve --gc-interval collects unreferenced blobs while serving", async () => {
    const gcReg = await serve([
      "--root",
      path.join(dir, "gc-root"),
      "--gc-interval",
      "100ms",
      "--gc-grace",
      "0s",
    ]);
    try {
      const base = `http://${gcReg.hostPort}`;
      const data = Buffer.from("nobody references me");
      const put = await req(`${base}/v2/lonely/blobs/uploads/?digest=${sha256(data)}`, {
        method: "POST",
        body: data,
      });
      assert.equal(put.status, 201);
      let status = 200;
      for (let i = 0; i < 100 && status === 200; i++) {
        await new Promise((r) => setTimeout(r, 50));
        status = (await req(`${base}/v2/lonely/blobs/${sha256(data)}`)).status;
      }
      assert.equal(status, 404);
      assert.deepEqual(await fs.readdir(path.join(dir, "gc-root", "blobs", "sha256")), []);
      // The report line follows the deletion; the pipe may deliver it a moment later.
      for (let i = 0; i < 40 && !/gc: deleted 1 blobs/.test(gcReg.stderr()); i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.match(gcReg.stderr(), /gc: deleted 1 blobs/);
    } finally {
      assert.equal(await stop(gcReg), 0);
    }
  });

  test("SIGTERM stops the server cleanly", async () => {
    const code = await stop(reg);
    reg = undefined;
    assert.equal(code, 0);
  });

  test("berth registry --help prints usage; bad flags are usage errors", async () => {
    const help = await run(process.execPath, [BERTH, "registry", "--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage:\s+berth registry COMMAND/);
    assert.match(help.stdout, /serve/);
    const serveHelp = await run(process.execPath, [BERTH, "registry", "serve", "--help"]);
    assert.match(serveHelp.stdout, /--htpasswd file/);
    const bad = await run(process.execPath, [BERTH, "registry", "serve", "--bogus"]);
    assert.equal(bad.code, 125);
    assert.match(bad.stderr, /unknown flag: --bogus/);
    const addr = await run(process.execPath, [
      BERTH,
      "registry",
      "serve",
      "--addr",
      "nope",
      "--root",
      path.join(dir, "x"),
    ]);
    assert.equal(addr.code, 1);
    assert.match(addr.stderr, /invalid address "nope"/);
  });
});
