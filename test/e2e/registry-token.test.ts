import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { busyboxRootfs } from "../fixtures/busybox.js";
import { makeCa } from "../fixtures/tls.js";
import { TOKEN_ISSUER, TOKEN_SERVICE, TokenServer } from "../fixtures/token-server.js";
import { type RunResult, TestDaemon } from "../harness/daemon.js";
import { DistributionRegistry } from "../harness/registry.js";

/**
 * Bearer-token auth as Docker Hub does it: Debian's Distribution registry with `auth: token`, a
 * token server that signs JWTs, and berthd following the WWW-Authenticate challenge (realm,
 * service, scope), with credentials from docker login or anonymously.
 */
describe("registry client: bearer tokens", () => {
  let dir: string;
  let tokens: TokenServer;
  let reg: DistributionRegistry;
  let d: TestDaemon;
  let ref: string;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "berth-test-token-"));
    const signer = await makeCa(dir, "token-signer");
    tokens = await TokenServer.start(signer);
    reg = await DistributionRegistry.start(path.join(dir, "registry"), {
      token: {
        realm: tokens.realm,
        service: TOKEN_SERVICE,
        issuer: TOKEN_ISSUER,
        rootCertBundle: signer.cert,
      },
    });
    d = await TestDaemon.start();
    ref = `${reg.host}/team/busybox:1`;
    const rootfs = path.join(d.dir, "rootfs.tar");
    await fs.writeFile(rootfs, await busyboxRootfs());
    ok(await d.berth(["import", "-c", 'CMD ["/bin/sh"]', rootfs, ref]));
  });
  after(async () => {
    await d?.cleanup();
    await reg?.stop();
    await tokens?.stop();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  const ok = (r: RunResult) => {
    assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r.stdout;
  };
  const anonymous = { DOCKER_CONFIG: "/nonexistent-berth-test-config" };

  test("an anonymous push is refused with the registry's reason", async () => {
    const r = await d.berth(["push", ref], { env: anonymous });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /denied|unauthorized|authentication required/i);
    assert.ok(tokens.seen.some((s) => s.user === undefined && s.scopes.some((x) => x.includes("push"))));
  });

  test("docker login gets a token with the password; docker push then works", async () => {
    const bad = await d.docker(["login", "-u", "alice", "--password-stdin", reg.host], { input: "wrong\n" });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /unauthorized|incorrect|401/i);
    assert.match(
      ok(await d.docker(["login", "-u", "alice", "--password-stdin", reg.host], { input: "s3cret\n" })),
      /Login Succeeded/,
    );
    assert.match(ok(await d.docker(["push", ref])), /1: digest: sha256:[0-9a-f]{64}/);
    const pushed = tokens.seen.filter((s) => s.user === "alice");
    assert.ok(
      pushed.some((s) => s.scopes.includes("repository:team/busybox:pull,push")),
      JSON.stringify(tokens.seen),
    );
  });

  test("an anonymous pull gets a pull-only token and works, through both CLIs", async () => {
    ok(await d.berth(["rmi", ref]));
    ok(await d.berth(["pull", ref], { env: anonymous }));
    ok(await d.berth(["rmi", ref]));
    ok(await d.docker(["pull", ref], { env: anonymous }));
    assert.equal(ok(await d.berth(["run", "--rm", ref, "echo", "token-pulled"])), "token-pulled\n");
    assert.ok(
      tokens.seen.some((s) => s.user === undefined && s.scopes.includes("repository:team/busybox:pull")),
    );
  });
});
