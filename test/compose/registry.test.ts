import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import bcrypt from "bcryptjs";
import { busyboxRootfs } from "../fixtures/busybox.js";
import { type RunResult, TestDaemon } from "../harness/daemon.js";
import { DistributionRegistry } from "../harness/registry.js";
import { ok, writeTree } from "./_helpers.js";

/**
 * Compose against a registry that wants a login (Debian's Distribution registry with htpasswd):
 * `compose pull`, `compose push` and `compose build --pull` use the credentials `docker login`
 * stored, as Docker Compose does.
 */
describe("compose: images from and to a registry with auth", () => {
  let d: TestDaemon;
  let regDir: string;
  let reg: DistributionRegistry;
  let dir: string;
  let env: Record<string, string>;
  let base: string;

  before(async () => {
    regDir = await fs.mkdtemp(path.join(os.tmpdir(), "berth-test-compose-reg-"));
    const htpasswd = path.join(regDir, "htpasswd");
    await fs.writeFile(htpasswd, `alice:${bcrypt.hashSync("s3cret", 4)}\n`);
    reg = await DistributionRegistry.start(path.join(regDir, "registry"), { htpasswd });
    d = await TestDaemon.start();
    env = { DOCKER_CONFIG: path.join(d.dir, "docker-config") };
    base = `${reg.host}/private/busybox:1`;
    const rootfs = path.join(d.dir, "rootfs.tar");
    await fs.writeFile(rootfs, await busyboxRootfs());
    ok(await d.berth(["import", "-c", 'CMD ["/bin/sh"]', rootfs, base]));
    ok(await d.berth(["login", "-u", "alice", "--password-stdin", reg.host], { input: "s3cret\n", env }));
    ok(await d.berth(["push", base], { env }));
    ok(await d.berth(["rmi", base]));
    dir = await writeTree(path.join(d.dir, "proj"), {
      "compose.yaml": [
        "services:",
        "  pulled:",
        `    image: ${base}`,
        "  built:",
        `    image: ${reg.host}/private/app:1`,
        "    build:",
        "      context: ./app",
        "",
      ].join("\n"),
      "app/Dockerfile": `FROM ${base}\nRUN echo built > /built.txt\n`,
    });
  });
  after(async () => {
    await d?.cleanup();
    await reg?.stop();
    if (regDir) await fs.rm(regDir, { recursive: true, force: true });
  });

  const compose = (args: string[], e = env): Promise<RunResult> =>
    d.berth(["compose", "-f", path.join(dir, "compose.yaml"), "-p", "reg", ...args], { env: e });

  test("compose pull uses the stored login; without one the registry's refusal is shown", async () => {
    const anon = await compose(["pull", "pulled"], { DOCKER_CONFIG: path.join(d.dir, "nobody") });
    assert.notEqual(anon.code, 0);
    assert.match(anon.stderr, /pulling it failed: .*(unauthorized|authentication required)/i);
    ok(await compose(["pull", "pulled"]));
    ok(await d.berth(["image", "inspect", base]));
  });

  test("compose build --pull pulls the base with the login; compose push pushes the built image", async () => {
    ok(await d.berth(["rmi", base]));
    ok(await compose(["build", "--pull", "built"]));
    ok(await d.berth(["image", "inspect", base])); // pulled by the build, with alice's login
    ok(await compose(["push", "built"]));
    ok(await d.berth(["rmi", `${reg.host}/private/app:1`]));
    ok(await d.berth(["pull", `${reg.host}/private/app:1`], { env }));
    assert.equal(
      ok(await d.berth(["run", "--rm", `${reg.host}/private/app:1`, "cat", "/built.txt"])),
      "built\n",
    );
  });
});
