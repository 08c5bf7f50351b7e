import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import http from "node:http";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { busyboxRootfs } from "../fixtures/busybox.js";
import { makeTar } from "../fixtures/tar.js";
import { type RunResult, run, TestDaemon } from "../harness/daemon.js";

/** top, diff, export, commit and cp through the real docker CLI against berthd. */
describe("container filesystem", () => {
  let d: TestDaemon;
  let work: string;

  before(async () => {
    d = await TestDaemon.start();
    work = path.join(d.dir, "work");
    await fs.mkdir(work);
    const r = await d.docker(["import", "-c", 'CMD ["sh"]', "-", "busybox:latest"], {
      input: await busyboxRootfs(),
    });
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    if (!d) return;
    const ids = (await d.docker(["ps", "-aq"])).stdout.split("\n").filter(Boolean);
    if (ids.length) await d.docker(["rm", "-f", ...ids]);
    await d.cleanup();
  });

  const ok = (r: RunResult) => {
    assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r.stdout;
  };
  const lines = (s: string) => s.split("\n").filter(Boolean);
  const idOf = async (name: string) => ok(await d.docker(["inspect", name, "--format", "{{.Id}}"])).trim();
  const rootfsMounted = async (name: string) => {
    const rootfs = path.join(d.execRoot, "containers", await idOf(name), "rootfs");
    return (await fs.readFile("/proc/self/mountinfo", "utf8")).includes(` ${rootfs} `);
  };
  async function waitFor(cond: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (await cond()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`timed out waiting for ${what}`);
  }
  const exists = async (name: string, p: string) =>
    (await d.docker(["exec", name, "sh", "-c", `test -e ${p}`])).code === 0;

  /** PUT /containers/{id}/archive with a tar made here: what a hostile client could send. */
  function putArchive(name: string, dir: string, body: Buffer): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          socketPath: d.socket,
          method: "PUT",
          path: `/containers/${name}/archive?path=${encodeURIComponent(dir)}`,
          headers: { "Content-Type": "application/x-tar", "Content-Length": body.length },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
          );
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }

  test("docker top lists the container's processes; a stopped container is refused", async () => {
    ok(await d.docker(["run", "-d", "--name", "top1", "busybox", "sleep", "1000"]));
    const pid = ok(await d.docker(["inspect", "top1", "--format", "{{.State.Pid}}"])).trim();
    const ef = lines(ok(await d.docker(["top", "top1"])));
    assert.match(ef[0]!, /^UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+CMD$/);
    assert.equal(ef.length, 2, ef.join("\n"));
    assert.match(ef[1]!, new RegExp(`^root\\s+${pid}\\s+\\d+\\s.*sleep 1000$`));
    const custom = lines(ok(await d.docker(["top", "top1", "-o", "pid,comm"])));
    assert.match(custom[0]!, /^PID\s+COMMAND$/);
    assert.match(custom[1]!, new RegExp(`^${pid}\\s+sleep$`));
    ok(await d.docker(["stop", "-t", "0", "top1"]));
    const stopped = await d.docker(["top", "top1"]);
    assert.notEqual(stopped.code, 0);
    assert.match(stopped.stderr, /container [a-f0-9]{64} is not running/);
  });

  test("docker diff reports added, modified and deleted paths; the runtime's mount points stay hidden", async () => {
    const script =
      "busybox touch /new; busybox rm /bin/cat; echo extra >> /etc/passwd; busybox mkdir -p /tmp/d/e";
    ok(await d.docker(["run", "--name", "diff1", "busybox", "sh", "-c", script]));
    const changes = lines(ok(await d.docker(["diff", "diff1"])));
    for (const c of ["C /bin", "D /bin/cat", "C /etc/passwd", "A /new", "C /tmp", "A /tmp/d", "A /tmp/d/e"]) {
      assert.ok(changes.includes(c), `${c} in:\n${changes.join("\n")}`);
    }
    assert.ok(changes.indexOf("C /bin") < changes.indexOf("D /bin/cat"), "walk order");
    for (const hidden of ["/proc", "/sys", "/dev", "/etc/hosts", "/etc/hostname", "/etc/resolv.conf"]) {
      assert.ok(!changes.some((c) => c.endsWith(` ${hidden}`)), `${hidden} hidden:\n${changes.join("\n")}`);
    }
    ok(await d.docker(["run", "--name", "clean1", "busybox", "true"]));
    assert.equal(ok(await d.docker(["diff", "clean1"])), "", "a container that changed nothing");
  });

  test("docker export writes the merged filesystem of a stopped and of a running container", async () => {
    const out = path.join(work, "diff1.tar");
    ok(await d.docker(["export", "-o", out, "diff1"]));
    const names = lines(ok(await run("tar", ["tf", out])));
    for (const n of ["bin/", "bin/busybox", "bin/sh", "new", "tmp/d/e/", "etc/passwd"]) {
      assert.ok(names.includes(n), `${n} in the export`);
    }
    assert.ok(!names.includes("bin/cat"), "deleted files are not exported");
    assert.ok(!names.some((n) => n.startsWith("/") || n.startsWith("./")), "names relative to the root");
    assert.equal(await rootfsMounted("diff1"), false, "the temporary mount is gone");

    ok(
      await d.docker(["run", "-d", "--name", "exp2", "busybox", "sh", "-c", "echo live > /live; sleep 1000"]),
    );
    await waitFor(() => exists("exp2", "/live"), "/live");
    const live = path.join(work, "exp2.tar");
    ok(await d.docker(["export", "-o", live, "exp2"]));
    assert.equal(ok(await run("tar", ["xOf", live, "live"])), "live\n");
  });

  test("docker commit makes an image of the changes, with the container's config, --change and history", async () => {
    const id = ok(
      await d.docker([
        "commit",
        "-m",
        "added new",
        "-a",
        "tester",
        "-c",
        "ENV COMMITTED=yes",
        "diff1",
        "committed:v1",
      ]),
    ).trim();
    assert.match(id, /^sha256:[a-f0-9]{64}$/);
    const check =
      "test -e /new && echo has-new; test -e /bin/cat || echo no-cat; echo $COMMITTED; busybox tail -n1 /etc/passwd";
    assert.equal(
      ok(await d.docker(["run", "--rm", "committed:v1", "sh", "-c", check])),
      "has-new\nno-cat\nyes\nextra\n",
    );
    const history = lines(
      ok(
        await d.docker([
          "history",
          "--no-trunc",
          "--format",
          "{{.ID}}|{{.CreatedBy}}|{{.Comment}}",
          "committed:v1",
        ]),
      ),
    );
    assert.equal(history.length, 2);
    assert.equal(
      history[0],
      `${id}|sh -c ${"busybox touch /new; busybox rm /bin/cat; echo extra >> /etc/passwd; busybox mkdir -p /tmp/d/e"}|added new`,
    );
    const img = JSON.parse(ok(await d.docker(["image", "inspect", "committed:v1"])))[0];
    const base = ok(await d.docker(["image", "inspect", "busybox", "--format", "{{.Id}}"])).trim();
    assert.equal(img.Parent, base);
    assert.equal(img.Author, "tester");
    assert.equal(img.Comment, "added new");
    assert.equal(img.RootFS.Layers.length, 2);
    assert.ok(img.Config.Env.includes("COMMITTED=yes"));
    assert.deepEqual(img.Config.Cmd.slice(0, 2), ["sh", "-c"]);
    ok(await d.docker(["run", "--name", "fromc", "committed:v1", "true"]));
    assert.equal(ok(await d.docker(["diff", "fromc"])), "", "the runtime's mount points were not committed");
  });

  test("docker commit of a running container pauses it and leaves it running", async () => {
    const id = ok(await d.docker(["commit", "exp2", "live:1"])).trim();
    assert.match(id, /^sha256:/);
    assert.equal(ok(await d.docker(["inspect", "exp2", "--format", "{{.State.Status}}"])), "running\n");
    assert.equal(ok(await d.docker(["run", "--rm", "live:1", "cat", "/live"])), "live\n");
    const empty = ok(await d.docker(["commit", "clean1", "empty:1"])).trim();
    const layers = ok(await d.docker(["image", "inspect", empty, "--format", "{{len .RootFS.Layers}}"]));
    assert.equal(layers, "1\n", "an unchanged container adds no layer");
  });

  test("docker cp copies files, directories and links out of and into a running container", async () => {
    const script =
      "busybox ln -s / /escape; echo inside > /etc/marker; busybox ln -s /etc/marker /mlink; " +
      "busybox mkdir -p /data/sub; echo deep > /data/sub/f; sleep 1000";
    ok(await d.docker(["run", "-d", "--name", "cp1", "busybox", "sh", "-c", script]));
    await waitFor(() => exists("cp1", "/data/sub/f"), "the container's files");
    ok(await d.docker(["cp", "cp1:/etc/marker", path.join(work, "marker")]));
    assert.equal(await fs.readFile(path.join(work, "marker"), "utf8"), "inside\n");
    ok(await d.docker(["cp", "cp1:/data", path.join(work, "datacopy")]));
    assert.equal(await fs.readFile(path.join(work, "datacopy/sub/f"), "utf8"), "deep\n");
    ok(await d.docker(["cp", "-L", "cp1:/mlink", path.join(work, "followed")]));
    assert.equal(await fs.readFile(path.join(work, "followed"), "utf8"), "inside\n");
    ok(await d.docker(["cp", "cp1:/mlink", path.join(work, "link")]));
    assert.equal(await fs.readlink(path.join(work, "link")), "/etc/marker");

    await fs.writeFile(path.join(work, "host.txt"), "from the host\n");
    await fs.mkdir(path.join(work, "tree/inner"), { recursive: true });
    await fs.writeFile(path.join(work, "tree/inner/x"), "x\n");
    ok(await d.docker(["cp", path.join(work, "host.txt"), "cp1:/data/"]));
    ok(await d.docker(["cp", path.join(work, "tree"), "cp1:/data/"]));
    assert.equal(
      ok(await d.docker(["exec", "cp1", "cat", "/data/host.txt", "/data/tree/inner/x"])),
      "from the host\nx\n",
    );

    const missing = await d.docker(["cp", "cp1:/nope", path.join(work, "nope")]);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /Could not find the file \/nope in container cp1/);
  });

  test("docker cp resolves symlinks inside the container: a link to / never reaches the host", async () => {
    const hostname = ok(await d.docker(["exec", "cp1", "cat", "/etc/hostname"]));
    ok(await d.docker(["cp", "cp1:/escape/etc/hostname", path.join(work, "hostname")]));
    assert.equal(await fs.readFile(path.join(work, "hostname"), "utf8"), hostname);
    assert.notEqual(hostname, await fs.readFile("/etc/hostname", "utf8").catch(() => ""));
    const tar = await d.docker(["cp", "cp1:/escape/etc/marker", "-"]);
    assert.equal(tar.code, 0, tar.stderr);
    assert.match(tar.stdout, /^marker\0/);
    assert.ok(tar.stdout.includes("inside\n"));

    const probe = `berth-escape-${randomBytes(4).toString("hex")}`;
    await fs.writeFile(path.join(work, probe), "probe\n");
    ok(await d.docker(["cp", path.join(work, probe), "cp1:/escape/tmp/"]));
    assert.equal(ok(await d.docker(["exec", "cp1", "cat", `/tmp/${probe}`])), "probe\n");
    await assert.rejects(fs.stat(`/tmp/${probe}`), /ENOENT/, "nothing was written on the host");

    // A hostile tar: a link to / and a file through it, then a name climbing out with "..".
    const evil = `berth-evil-${randomBytes(4).toString("hex")}`;
    const viaLink = await makeTar([
      { name: "up", type: "symlink", linkname: "/" },
      { name: `up/tmp/${evil}`, content: "evil\n" },
    ]);
    assert.equal((await putArchive("cp1", "/data", viaLink)).status, 200);
    assert.equal(ok(await d.docker(["exec", "cp1", "cat", `/tmp/${evil}`])), "evil\n");
    await assert.rejects(fs.stat(`/tmp/${evil}`), /ENOENT/);
    const climbing = await putArchive(
      "cp1",
      "/data",
      await makeTar([{ name: `../../../../tmp/${evil}2`, content: "x" }]),
    );
    assert.equal(climbing.status, 400, climbing.body);
    await assert.rejects(fs.stat(`/tmp/${evil}2`), /ENOENT/);
  });

  test("docker cp works on a stopped container and leaves nothing mounted", async () => {
    ok(await d.docker(["cp", "diff1:/new", path.join(work, "new-from-stopped")]));
    assert.equal((await fs.stat(path.join(work, "new-from-stopped"))).size, 0);
    ok(await d.docker(["cp", path.join(work, "host.txt"), "diff1:/tmp/"]));
    const back = await d.docker(["cp", "diff1:/tmp/host.txt", "-"]);
    assert.ok(back.stdout.includes("from the host\n"), back.stderr);
    assert.equal(await rootfsMounted("diff1"), false);
    assert.ok(lines(ok(await d.docker(["diff", "diff1"]))).includes("A /tmp/host.txt"));
  });
});
