import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { busyboxRootfs } from "../fixtures/busybox.js";
import { run, TestDaemon } from "../harness/daemon.js";

/** Image commands through the berth CLI and the real docker CLI against one berthd. */
describe("images", () => {
  let d: TestDaemon;
  let rootfs: string;
  let work: string;

  before(async () => {
    d = await TestDaemon.start();
    work = path.join(d.dir, "work");
    await fs.mkdir(work);
    rootfs = path.join(work, "rootfs.tar");
    await fs.writeFile(rootfs, await busyboxRootfs());
  });
  after(async () => {
    await d?.cleanup();
  });

  const ok = (r: { code: number; stdout: string; stderr: string }) => {
    assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r.stdout;
  };

  test("berth import makes a one-layer image with --change applied", async () => {
    const id = ok(
      await d.berth([
        "import",
        "-c",
        'CMD ["/bin/sh"]',
        "-c",
        "ENV A=1",
        "-c",
        "WORKDIR /tmp",
        rootfs,
        "busybox:latest",
      ]),
    ).trim();
    assert.match(id, /^sha256:[a-f0-9]{64}$/);
    const cfg = JSON.parse(
      ok(await d.docker(["image", "inspect", "busybox", "--format", "{{json .Config}}"])),
    );
    assert.deepEqual(cfg.Cmd, ["/bin/sh"]);
    assert.deepEqual(cfg.Env, ["A=1"]);
    assert.equal(cfg.WorkingDir, "/tmp");
  });

  test("docker images and berth images list the same image", async () => {
    const viaDocker = ok(
      await d.docker(["images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}} {{.Size}}"]),
    );
    const viaBerth = ok(await d.berth(["images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}} {{.Size}}"]));
    assert.equal(viaBerth, viaDocker);
    assert.match(viaDocker, /^busybox:latest [a-f0-9]{12} [\d.]+MB\n$/);
    const table = ok(await d.docker(["images"]));
    assert.match(table, /^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE\n/);
  });

  test("docker tag adds a name; filters and -q work", async () => {
    ok(await d.docker(["tag", "busybox", "myrepo/app:1.0"]));
    const names = ok(await d.docker(["images", "--format", "{{.Repository}}:{{.Tag}}"]))
      .trim()
      .split("\n")
      .sort();
    assert.deepEqual(names, ["busybox:latest", "myrepo/app:1.0"]);
    const ids = ok(await d.docker(["images", "-q"]))
      .trim()
      .split("\n");
    assert.equal(ids.length, 2, "one row per tag");
    assert.equal(ids[0], ids[1], "one image, two tags");
    const filtered = ok(
      await d.docker(["images", "--filter", "reference=myrepo/*", "--format", "{{.Repository}}"]),
    );
    assert.equal(filtered, "myrepo/app\n");
    assert.equal(ok(await d.berth(["images", "myrepo/app", "--format", "{{.Tag}}"])), "1.0\n");
    assert.equal(ok(await d.docker(["images", "--filter", "dangling=true", "-q"])), "");
  });

  test("docker image inspect shows Docker's fields", async () => {
    const [img] = JSON.parse(ok(await d.docker(["image", "inspect", "myrepo/app:1.0"])));
    assert.match(img.Id, /^sha256:/);
    assert.deepEqual([...img.RepoTags].sort(), ["busybox:latest", "myrepo/app:1.0"]);
    assert.equal(img.Os, "linux");
    assert.equal(img.RootFS.Type, "layers");
    assert.equal(img.RootFS.Layers.length, 1);
    assert.ok(img.Size > 1_000_000);
    const notFound = await d.docker(["image", "inspect", "nosuch:image"]);
    assert.equal(notFound.code, 1);
    assert.match(notFound.stderr, /No such image: nosuch:image/);
  });

  test("docker history shows each step's size", async () => {
    const out = ok(await d.docker(["history", "busybox", "--format", "{{.ID}}|{{.Size}}|{{.Comment}}"]));
    assert.match(out, /^[a-f0-9]{12}\|[\d.]+MB\|Imported from -\n$/);
  });

  test("docker save, rmi and load round-trip the image with its tags", async () => {
    const archive = path.join(work, "saved.tar");
    const before = ok(await d.docker(["images", "-q", "--no-trunc"])).trim();
    ok(await d.docker(["save", "-o", archive, "busybox:latest", "myrepo/app:1.0"]));
    ok(await d.docker(["rmi", "busybox:latest", "myrepo/app:1.0"]));
    assert.equal(ok(await d.docker(["images", "-q"])), "");
    const loaded = ok(await d.docker(["load", "-i", archive]));
    assert.match(loaded, /Loaded image: busybox:latest/);
    assert.match(loaded, /Loaded image: myrepo\/app:1.0/);
    assert.equal(ok(await d.docker(["images", "-q", "--no-trunc"])).trim(), before);
  });

  test("skopeo reads berth's archive as docker-archive and oci-archive", async () => {
    const archive = path.join(work, "for-skopeo.tar");
    ok(await d.berth(["save", "-o", archive, "busybox"]));
    for (const transport of ["docker-archive", "oci-archive"]) {
      const info = JSON.parse(ok(await run("skopeo", ["inspect", `${transport}:${archive}`])));
      assert.equal(info.Os, "linux", transport);
      assert.equal(info.Layers.length, 1, transport);
    }
  });

  test("archives written by skopeo load into berth, plain and gzip", async () => {
    const src = path.join(work, "src.tar");
    ok(await d.berth(["save", "-o", src, "busybox"]));
    const oci = path.join(work, "skopeo-oci.tar");
    const dockerArchive = path.join(work, "skopeo-docker.tar");
    ok(await run("skopeo", ["copy", `docker-archive:${src}`, `oci-archive:${oci}:example.com/sk/oci:1`]));
    ok(await run("skopeo", ["copy", `docker-archive:${src}`, `docker-archive:${dockerArchive}:sk/docker:1`]));
    assert.match(ok(await d.berth(["load", "-i", oci])), /Loaded image: example.com\/sk\/oci:1/);
    ok(await run("gzip", ["-k", dockerArchive]));
    assert.match(ok(await d.docker(["load", "-i", `${dockerArchive}.gz`])), /Loaded image: sk\/docker:1/);
    const names = ok(await d.docker(["images", "--format", "{{.Repository}}:{{.Tag}}"]));
    assert.match(names, /example.com\/sk\/oci:1/);
    assert.match(names, /sk\/docker:1/);
    ok(await d.docker(["rmi", "example.com/sk/oci:1", "sk/docker:1"]));
  });

  test("rmi by ID of an image with several tags needs -f, as in Docker", async () => {
    const id = ok(await d.docker(["images", "-q", "busybox"])).trim();
    assert.match(id, /^[a-f0-9]{12}$/);
    const refused = await d.docker(["rmi", id]);
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /unable to delete .* \(must be forced\) - image is referenced in multiple repositories/,
    );
    const out = ok(await d.docker(["rmi", "-f", id]));
    assert.match(out, /Untagged: busybox:latest/);
    assert.match(out, /Deleted: sha256:/);
    assert.equal(ok(await d.docker(["images", "-q"])), "");
  });

  test("image prune removes dangling images; -a removes unused ones", async () => {
    ok(await d.berth(["import", rootfs])); // untagged: dangling
    ok(await d.berth(["import", "-m", "second", rootfs, "keep:me"]));
    assert.equal(
      ok(await d.docker(["images", "--filter", "dangling=true", "-q"]))
        .trim()
        .split("\n").length,
      1,
    );
    const pruned = ok(await d.docker(["image", "prune", "-f"]));
    assert.match(pruned, /deleted: sha256:/);
    assert.match(pruned, /Total reclaimed space: /);
    assert.equal(ok(await d.docker(["images", "--format", "{{.Repository}}"])), "keep\n");
    ok(await d.docker(["image", "prune", "-a", "-f"]));
    assert.equal(ok(await d.docker(["images", "-q"])), "");
    // Nothing is left behind: no blobs, no layer snapshots.
    assert.deepEqual(await fs.readdir(path.join(d.root, "content", "blobs", "sha256")), []);
  });

  test("docker import reads a gzip rootfs from stdin", async () => {
    const gz = await busyboxRootfs({ gzip: true });
    const id = ok(await d.docker(["import", "-", "fromstdin:1"], { input: gz })).trim();
    assert.match(id, /^sha256:/);
    assert.match(ok(await d.docker(["images", "--format", "{{.Repository}}:{{.Tag}}"])), /fromstdin:1/);
  });

  test("images survive a daemon restart", async () => {
    const before = ok(
      await d.docker(["images", "--no-trunc", "--format", "{{.ID}} {{.Repository}}:{{.Tag}}"]),
    );
    assert.equal(await d.stopProcess(), 0, "SIGTERM exits cleanly");
    await d.startProcess();
    assert.equal(
      ok(await d.docker(["images", "--no-trunc", "--format", "{{.ID}} {{.Repository}}:{{.Tag}}"])),
      before,
    );
  });
});
