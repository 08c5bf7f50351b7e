import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { send, TransportError } from "../../src/registry/client/transport.js";
import { loadHostCerts } from "../../src/registry/client/host-certs.js";
import { busyboxRootfs } from "../fixtures/busybox.js";
import { makeCa, makeCert, type Pem } from "../fixtures/tls.js";
import { type RunResult, TestDaemon } from "../harness/daemon.js";
import { type Served, serve, stop } from "../harness/registry-serve.js";

const TIMEOUTS = { connectMs: 5000, headerMs: 5000, stallMs: 5000 };

/**
 * Registries over HTTPS: `berth registry serve --tls-cert/--tls-key` (and --tls-client-ca), berthd
 * pushing and pulling through it, certs.d client certificates (Docker's layout, read per session),
 * and CA verification of the transport.
 */
describe("registries over TLS", () => {
  let d: TestDaemon;
  let dir: string;
  let certsD: string;
  let ca: Pem;
  let server: Pem;
  let client: Pem;
  let tlsReg: Served | undefined;
  let mtlsReg: Served | undefined;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "berth-test-tls-"));
    ca = await makeCa(dir, "berth-test-ca");
    server = await makeCert(dir, "server", ca, { ip: "127.0.0.1" });
    client = await makeCert(dir, "client", ca);
    certsD = path.join(dir, "daemon-certs.d");
    await fs.mkdir(certsD, { recursive: true });
    // The daemon reads certs.d from here instead of /etc/docker/certs.d.
    d = await TestDaemon.start({ config: { "berth-certs-dirs": [certsD] } });
    const tlsArgs = ["--tls-cert", server.cert, "--tls-key", server.key];
    tlsReg = await serve(["--root", path.join(d.dir, "reg-tls"), ...tlsArgs]);
    mtlsReg = await serve(["--root", path.join(d.dir, "reg-mtls"), ...tlsArgs, "--tls-client-ca", ca.cert]);
    const rootfs = path.join(d.dir, "rootfs.tar");
    await fs.writeFile(rootfs, await busyboxRootfs());
    ok(await d.berth(["import", "-c", 'CMD ["/bin/sh"]', rootfs, "local/busybox:1"]));
  });
  after(async () => {
    await stop(tlsReg);
    await stop(mtlsReg);
    await d?.cleanup();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  const ok = (r: RunResult) => {
    assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r.stdout;
  };

  test("docker push and berth pull through an HTTPS registry (it speaks no plain HTTP)", async () => {
    const ref = `${tlsReg!.hostPort}/tls/busybox:1`;
    ok(await d.docker(["tag", "local/busybox:1", ref]));
    assert.match(ok(await d.docker(["push", ref])), /1: digest: sha256:[0-9a-f]{64}/);
    ok(await d.berth(["rmi", ref]));
    ok(await d.berth(["pull", ref]));
    assert.equal(ok(await d.berth(["run", "--rm", ref, "echo", "over-tls"])), "over-tls\n");
  });

  test("a registry that wants client certificates: refused without, served with certs.d's", async () => {
    const host = mtlsReg!.hostPort;
    const ref = `${host}/mtls/busybox:1`;
    ok(await d.berth(["tag", "local/busybox:1", ref]));
    const refused = await d.berth(["push", ref]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /cannot reach registry 127\.0\.0\.1:\d+/);
    // Docker's layout, picked up without a restart.
    const hostDir = path.join(certsD, host);
    await fs.mkdir(hostDir, { recursive: true });
    await fs.copyFile(client.cert, path.join(hostDir, "client.cert"));
    const halfDone = await d.berth(["push", ref]);
    assert.notEqual(halfDone.code, 0);
    assert.match(halfDone.stderr, /missing key client\.key/);
    await fs.copyFile(client.key, path.join(hostDir, "client.key"));
    await fs.copyFile(ca.cert, path.join(hostDir, "ca.crt"));
    ok(await d.berth(["push", ref]));
    ok(await d.berth(["rmi", ref]));
    ok(await d.berth(["pull", ref]));
  });

  test("the transport verifies the server against the system CAs plus certs.d's", async () => {
    const url = new URL(`https://${tlsReg!.hostPort}/v2/`);
    const get = (tls?: ReturnType<typeof loadHostCerts>) =>
      send({ method: "GET", url, headers: {}, ...(tls ? { tls } : {}) }, TIMEOUTS);
    await assert.rejects(get(), (err) => err instanceof TransportError && /certificate/i.test(err.message));
    const caOnly = path.join(dir, "certs.d");
    await fs.mkdir(path.join(caOnly, tlsReg!.hostPort), { recursive: true });
    await fs.copyFile(ca.cert, path.join(caOnly, tlsReg!.hostPort, "ca.crt"));
    const tls = loadHostCerts([caOnly], tlsReg!.hostPort);
    assert.equal(tls?.ca.length, 1);
    const res = await get(tls);
    res.resume();
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers["docker-distribution-api-version"], "registry/2.0");
  });
});
