import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import bcrypt from "bcryptjs";
import { busyboxRootfs } from "../fixtures/busybox.js";
import { FakeRegistry } from "../fixtures/fake-registry.js";
import { makeTar } from "../fixtures/tar.js";
import { BERTH, type RunResult, TestDaemon } from "../harness/daemon.js";
import { DistributionRegistry } from "../harness/registry.js";

/**
 * The registry client against Debian's Distribution registry (plain and with htpasswd auth) and
 * against a registry that misbehaves on purpose; through the docker CLI and the berth CLI.
 */
describe("registry client", () => {
  let d: TestDaemon;
  let reg: DistributionRegistry;
  let authReg: DistributionRegistry;
  let fake: FakeRegistry;
  let repo: string;
  let regDir: string | undefined;
  const UNREACHABLE = "127.0.0.1:9";
  const creds = { DOCKER_CONFIG: "" };

  before(async () => {
    regDir = await fs.mkdtemp(path.join(os.tmpdir(), "berth-test-registries-"));
    reg = await DistributionRegistry.start(path.join(regDir, "registry"));
    const htpasswd = path.join(regDir, "htpasswd");
    await fs.writeFile(htpasswd, `alice:${bcrypt.hashSync("s3cret", 4)}\n`);
    authReg = await DistributionRegistry.start(path.join(regDir, "registry-auth"), { htpasswd });
    d = await TestDaemon.start({
      config: {
        // A short stall limit keeps the dripping-registry test quick.
        "berth-registry-timeouts": { stall: 1 },
        // Nothing listens on 127.0.0.1:9; its mirror is the plain registry.
        "registry-mirrors": { [UNREACHABLE]: [`http://${reg.host}`] },
      },
    });
    creds.DOCKER_CONFIG = path.join(d.dir, "docker-config");
    fake = await FakeRegistry.start();
    repo = `${reg.host}/test/busybox`;
    const rootfs = path.join(d.dir, "rootfs.tar");
    await fs.writeFile(rootfs, await busyboxRootfs({ gzip: true }));
    ok(await d.berth(["import", "-c", 'CMD ["/bin/sh"]', rootfs, `${repo}:1`]));
  });
  after(async () => {
    await fake?.stop();
    await reg?.stop();
    await authReg?.stop();
    await d?.cleanup();
    if (regDir) await fs.rm(regDir, { recursive: true, force: true });
  });

  const ok = (r: RunResult) => {
    assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r.stdout;
  };
  const fails = (r: RunResult, re: RegExp) => {
    assert.notEqual(r.code, 0, `expected a failure\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    assert.match(r.stderr, re);
  };
  const berth = (args: string[], input?: string) =>
    d.berth(args, { env: creds, ...(input ? { input } : {}) });
  const imageList = async () =>
    ok(
      await d.berth([
        "images",
        "-a",
        "--no-trunc",
        "--format",
        "{{.Repository}}:{{.Tag}}@{{.Digest}} {{.ID}}",
      ]),
    );

  test("docker push, rmi, docker pull: the image comes back and runs", async () => {
    const pushed = ok(await d.docker(["push", `${repo}:1`]));
    assert.match(pushed, /The push refers to repository \[127\.0\.0\.1:\d+\/test\/busybox\]/);
    assert.match(pushed, /: Pushed\n/);
    assert.match(pushed, /1: digest: sha256:[a-f0-9]{64} size: \d+/);
    ok(await d.docker(["rmi", `${repo}:1`]));
    const pulled = ok(await d.docker(["pull", `${repo}:1`]));
    assert.match(pulled, /1: Pulling from test\/busybox/);
    assert.match(pulled, /: Pull complete/);
    assert.match(pulled, /Digest: sha256:[a-f0-9]{64}/);
    assert.match(pulled, new RegExp(`Status: Downloaded newer image for ${repo.replace(/\./g, "\\.")}:1`));
    assert.equal(
      ok(await d.docker(["run", "--rm", `${repo}:1`, "echo", "pulled-by-docker"])),
      "pulled-by-docker\n",
    );
    const again = ok(await d.docker(["pull", `${repo}:1`]));
    assert.match(again, /Status: Image is up to date/);
  });

  test("berth push and berth pull round-trip, -q, by digest", async () => {
    ok(await berth(["tag", `${repo}:1`, `${repo}:2`]));
    const pushed = ok(await berth(["push", `${repo}:2`]));
    const digest = /2: digest: (sha256:[a-f0-9]{64})/.exec(pushed)?.[1];
    assert.ok(digest, pushed);
    ok(await berth(["rmi", `${repo}:2`]));
    assert.equal(ok(await berth(["pull", "-q", `${repo}:2`])), `${repo}:2\n`);
    assert.equal(
      ok(await berth(["run", "--rm", `${repo}:2`, "echo", "pulled-by-berth"])),
      "pulled-by-berth\n",
    );
    ok(await berth(["rmi", `${repo}:2`]));
    ok(await berth(["rmi", `${repo}:1`]));
    const byDigest = ok(await berth(["pull", `${repo}@${digest}`]));
    assert.match(byDigest, new RegExp(`Digest: ${digest}`));
    assert.match(await imageList(), new RegExp(`${repo.replace(/\./g, "\\.")}:<none>@${digest}`));
  });

  test("pull -a fetches every tag; push -a pushes every tag", async () => {
    ok(await berth(["pull", `${repo}:2`]));
    ok(await berth(["tag", `${repo}:2`, `${repo}:3`]));
    const pushed = ok(await berth(["push", "-a", repo]));
    assert.match(pushed, /2: digest: /);
    assert.match(pushed, /3: digest: /);
    assert.match(pushed, /Layer already exists/);
    ok(await berth(["rmi", `${repo}:2`, `${repo}:3`]));
    ok(await d.docker(["pull", "-a", repo]));
    const tags = ok(await d.berth(["images", "--format", "{{.Tag}}", repo]))
      .split("\n")
      .filter(Boolean)
      .sort();
    assert.deepEqual(tags, ["1", "2", "3"]);
  });

  test("two pulls of the same new image at once both succeed", async () => {
    const target = `${reg.host}/twice/data:1`;
    const tarFile = path.join(d.dir, "twice.tar");
    // Big enough that both pulls are extracting the layer at the same time.
    await fs.writeFile(tarFile, await makeTar([{ name: "twice.bin", content: randomBytes(24 << 20) }]));
    ok(await berth(["import", tarFile, target]));
    ok(await berth(["push", target]));
    ok(await berth(["rmi", target]));
    const [a, b] = await Promise.all([berth(["pull", target]), d.docker(["pull", target])]);
    ok(a);
    ok(b);
    assert.match(ok(await berth(["image", "inspect", "--format", "{{.RootFS.Layers}}", target])), /sha256:/);
    ok(await berth(["rmi", target]));
  });

  test("registry-mirrors: a pull from a registry that is down is served by its mirror", async () => {
    const r = await berth(["pull", `${UNREACHABLE}/test/busybox:1`]);
    assert.match(ok(r), new RegExp(`Status: Downloaded newer image for ${UNREACHABLE}/test/busybox:1`));
    ok(await berth(["rmi", `${UNREACHABLE}/test/busybox:1`]));
    // Without a mirror the same registry-down pull fails plainly.
    fails(await berth(["pull", "127.0.0.1:10/test/nomirror:1"]), /cannot reach registry 127\.0\.0\.1:10/);
  });

  test("a blob known from another repository is mounted, not uploaded", async () => {
    ok(await berth(["tag", `${repo}:2`, `${reg.host}/other/bb:1`]));
    const pushed = ok(await berth(["push", `${reg.host}/other/bb:1`]));
    assert.match(pushed, /Mounted from test\/busybox/);
  });

  test("run pulls an image that is not local, as docker does", async () => {
    ok(await berth(["rmi", `${repo}:3`]));
    const r = await berth(["run", "--rm", `${repo}:3`, "echo", "auto-pulled"]);
    assert.equal(ok(r), "auto-pulled\n");
    assert.match(r.stderr, /Unable to find image '127\.0\.0\.1:\d+\/test\/busybox:3' locally/);
  });

  test("htpasswd registry: refused without credentials, login, push, pull, logout", async () => {
    const target = `${authReg.host}/private/bb:1`;
    ok(await berth(["tag", `${repo}:1`, target]));
    fails(await berth(["push", target]), /authentication required/);
    const configFile = path.join(creds.DOCKER_CONFIG, "config.json");
    fails(
      await berth(["login", "-u", "alice", "--password-stdin", authReg.host], "wrong\n"),
      /incorrect username or password/,
    );
    assert.equal(existsSync(configFile), false, "a failed login stores nothing");
    fails(
      await d.docker(["login", "-u", "alice", "--password-stdin", authReg.host], { input: "nope\n" }),
      /incorrect username or password/,
    );
    assert.match(
      ok(await berth(["login", "-u", "alice", "--password-stdin", authReg.host], "s3cret\n")),
      /Login Succeeded/,
    );
    const stored = JSON.parse(await fs.readFile(configFile, "utf8"));
    assert.equal(stored.auths[authReg.host].auth, Buffer.from("alice:s3cret").toString("base64"));
    assert.match(ok(await berth(["push", target])), /1: digest: sha256:/);
    ok(await berth(["rmi", target]));
    // The docker CLI reads the same config.json and sends X-Registry-Auth.
    assert.match(ok(await d.docker(["pull", target])), /Status: Downloaded newer image for/);
    ok(await berth(["rmi", target]));
    assert.match(ok(await berth(["logout", authReg.host])), /Removing login credentials/);
    const before = await imageList();
    fails(await berth(["pull", target]), /pull access denied|authentication required/);
    assert.equal(await imageList(), before);
  });

  test("credsStore: login, push and logout go through docker-credential-<name>", async () => {
    const bin = path.join(d.dir, "helper-bin");
    const secrets = path.join(d.dir, "helper-secrets.json");
    const config = path.join(d.dir, "helper-config");
    await fs.mkdir(bin, { recursive: true });
    await fs.mkdir(config, { recursive: true });
    // A helper speaking the credential-helper protocol, keeping one secret in a file.
    await fs.writeFile(
      path.join(bin, "docker-credential-berthtest"),
      `#!/bin/sh\ncase "$1" in\n  store) cat > ${secrets} ;;\n  get) cat > /dev/null; if [ -f ${secrets} ]; then cat ${secrets}; else echo "credentials not found in native keychain"; exit 1; fi ;;\n  erase) cat > /dev/null; rm -f ${secrets} ;;\nesac\n`,
      { mode: 0o755 },
    );
    await fs.writeFile(
      path.join(config, "config.json"),
      JSON.stringify({ credsStore: "berthtest", keep: 1 }),
    );
    const env = { DOCKER_CONFIG: config, PATH: `${bin}:${process.env.PATH}` };
    const target = `${authReg.host}/helper/bb:1`;
    ok(await d.berth(["tag", `${repo}:1`, target]));
    ok(await d.berth(["login", "-u", "alice", "--password-stdin", authReg.host], { env, input: "s3cret\n" }));
    const stored = JSON.parse(await fs.readFile(secrets, "utf8"));
    assert.deepEqual(stored, { ServerURL: authReg.host, Username: "alice", Secret: "s3cret" });
    const cfg = JSON.parse(await fs.readFile(path.join(config, "config.json"), "utf8"));
    assert.deepEqual(cfg.auths, { [authReg.host]: {} }, "no secret in config.json");
    assert.equal(cfg.keep, 1, "other keys are kept");
    assert.match(ok(await d.berth(["push", target], { env })), /1: digest: sha256:/);
    ok(await d.berth(["logout", authReg.host], { env }));
    assert.equal(existsSync(secrets), false);
    fails(await d.berth(["push", target], { env }), /authentication required/);
  });

  test("berth push to `berth registry serve`, rmi, pull back and run", async () => {
    const child = spawn(
      process.execPath,
      [BERTH, "registry", "serve", "--addr", "127.0.0.1:0", "--root", path.join(d.dir, "berth-registry")],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    try {
      let out = "";
      const host = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`berth registry serve did not start: ${out}`)),
          20_000,
        );
        child.stdout.on("data", (b: Buffer) => {
          out += b.toString();
          const m = /listening on http:\/\/(\S+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        child.once("exit", (code) => reject(new Error(`berth registry serve exited ${code}: ${out}`)));
      });
      const target = `${host}/own/busybox:1`;
      ok(await berth(["tag", `${repo}:1`, target]));
      assert.match(ok(await berth(["push", target])), /1: digest: sha256:/);
      ok(await berth(["rmi", target]));
      assert.match(ok(await d.docker(["pull", target])), /Status: Downloaded newer image for/);
      assert.equal(
        ok(await berth(["run", "--rm", target, "echo", "from-berth-registry"])),
        "from-berth-registry\n",
      );
    } finally {
      const exited = new Promise((r) => child.once("exit", r));
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    }
  });

  const digestHex = (b: Buffer) => createHash("sha256").update(b).digest("hex");

  /** Pulls from the fake registry and expects a clean failure that changed nothing. */
  async function failsCleanly(name: string, re: RegExp): Promise<void> {
    const before = await imageList();
    const blobs = await fs.readdir(path.join(d.root, "content", "blobs", "sha256"));
    const snapshotsDir = path.join(d.root, "snapshots", "snapshots");
    const snapshotsBefore = (await fs.readdir(snapshotsDir)).sort();
    fails(await berth(["pull", `${fake.host}/${name}:1`]), re);
    assert.equal(await imageList(), before, "the image index is unchanged");
    assert.deepEqual(
      (await fs.readdir(snapshotsDir)).sort(),
      snapshotsBefore,
      "no snapshot and no ingest directory was left",
    );
    const after = await fs.readdir(path.join(d.root, "content", "blobs", "sha256"));
    assert.equal(after.includes(fake.layerDigest.slice(7)), false, "the layer was not stored");
    assert.equal(after.includes(digestHex(fake.gzLayer)), false, "the gzip layer was not stored");
    assert.ok(after.length <= blobs.length + 1, "at most the (verified) config blob was added");
    ok(await d.berth(["version"]));
  }

  test("bad input: a blob that does not match its digest is refused and nothing stored", async () => {
    await failsCleanly("bad/digest", /digest mismatch/);
  });

  test("bad input: a gzip layer that unpacks cleanly while downloading but fails its digest leaves nothing", async () => {
    await failsCleanly("bad/gzipdigest", /digest mismatch/);
  });

  test("bad input: a manifest naming a blob the registry lacks", async () => {
    await failsCleanly("missing/blob", /not found: the manifest names a blob the registry does not have/);
  });

  test("bad input: malformed and oversized manifests", async () => {
    await failsCleanly("malformed/json", /invalid image manifest|invalid/i);
    await failsCleanly("huge/manifest", /too large/);
  });

  test("bad input: a redirect loop and a 401 loop end with clear errors", async () => {
    await failsCleanly("redirect/loop", /redirect loop/);
    await failsCleanly("auth/loop", /authentication required/);
  });

  test("bad input: a registry that drips bytes hits the stall limit", async () => {
    const started = Date.now();
    await failsCleanly("slow/drip", /stalled/);
    assert.ok(Date.now() - started < 30_000);
  });

  test("a layer cut off mid-way is resumed with a Range request", async () => {
    ok(await berth(["pull", `${fake.host}/drop/once:1`]));
    const ranged = fake.seen.filter((r) => r.path.endsWith(fake.layerDigest) && r.range);
    assert.ok(ranged.length >= 1, JSON.stringify(fake.seen));
    assert.match(ranged[0]!.range!, /^bytes=[1-9]\d*-$/);
    assert.match(ok(await d.berth(["images", "--format", "{{.Repository}}"])), /\/drop\/once/);
  });

  test("a pull that failed after repeated drops is completed by the next pull, after a berthd restart", async () => {
    ok(await berth(["rmi", `${fake.host}/drop/once:1`]));
    ok(await berth(["image", "prune", "-a", "-f"]));
    fails(
      await berth(["pull", `${fake.host}/drop/many:1`]),
      /aborted|socket hang up|ECONNRESET|premature|terminated/i,
    );
    // What the first pull got survives the daemon going away.
    await d.stopProcess();
    await d.startProcess();
    const seenBefore = fake.seen.length;
    ok(await berth(["pull", `${fake.host}/drop/many:1`]));
    const resumed = fake.seen.slice(seenBefore).find((r) => r.path.endsWith(fake.layerDigest));
    assert.match(
      resumed?.range ?? "",
      /^bytes=[1-9]\d*-$/,
      "the second pull continued where the first stopped",
    );
  });
});
