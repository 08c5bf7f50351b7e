import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { busyboxRootfs } from "../fixtures/busybox.js";
import { rootfsWithData } from "../fixtures/rootfs-with-data.js";
import { type RunResult, TestDaemon } from "../harness/daemon.js";

/** One raw Engine API request over the daemon's socket: the status and the parsed body. */
function api(socket: string, method: string, p: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: socket, method, path: p }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
      });
    });
    req.on("error", reject);
    req.end();
  });
}

/** Volumes, binds and anonymous volumes through the real docker CLI against berthd. */
describe("volumes", () => {
  let d: TestDaemon;
  let hostDir: string;
  before(async () => {
    d = await TestDaemon.start();
    hostDir = await fs.mkdtemp(path.join(os.tmpdir(), "berth-vol-host-"));
    const r = await d.docker(["import", "-", "busybox:latest"], { input: await busyboxRootfs() });
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    if (d) {
      const ids = (await d.docker(["ps", "-aq"])).stdout.split("\n").filter(Boolean);
      if (ids.length) await d.docker(["rm", "-f", "-v", ...ids]);
      const vols = (await d.docker(["volume", "ls", "-q"])).stdout.split("\n").filter(Boolean);
      if (vols.length) await d.docker(["volume", "rm", "-f", ...vols]);
      await d.cleanup();
    }
    if (hostDir) await fs.rm(hostDir, { recursive: true, force: true });
  });

  const ok = (r: RunResult) => {
    assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r.stdout;
  };
  const volumeNames = async () =>
    ok(await d.docker(["volume", "ls", "-q"]))
      .split("\n")
      .filter(Boolean);

  test("data in a named volume outlives the container; inspect shows the mount", async () => {
    assert.equal(ok(await d.docker(["volume", "create", "--label", "team=a", "keep"])), "keep\n");
    ok(
      await d.docker([
        "run",
        "--name",
        "writer",
        "-v",
        "keep:/data",
        "busybox",
        "sh",
        "-c",
        "echo kept > /data/f",
      ]),
    );
    const mounts = JSON.parse(ok(await d.docker(["inspect", "writer", "--format", "{{json .Mounts}}"])));
    assert.equal(mounts.length, 1);
    assert.equal(mounts[0].Type, "volume");
    assert.equal(mounts[0].Name, "keep");
    assert.equal(mounts[0].Destination, "/data");
    assert.equal(mounts[0].Driver, "local");
    assert.equal(mounts[0].RW, true);
    assert.equal(mounts[0].Source, path.join(d.root, "volumes", "keep", "_data"));
    ok(await d.docker(["rm", "writer"]));
    assert.equal(
      ok(await d.docker(["run", "--rm", "-v", "keep:/data", "busybox", "cat", "/data/f"])),
      "kept\n",
    );

    const [info] = JSON.parse(ok(await d.docker(["volume", "inspect", "keep"])));
    assert.equal(info.Name, "keep");
    assert.equal(info.Driver, "local");
    assert.equal(info.Scope, "local");
    assert.deepEqual(info.Labels, { team: "a" });
    assert.equal(info.Mountpoint, path.join(d.root, "volumes", "keep", "_data"));
    assert.match(info.CreatedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(ok(await d.docker(["volume", "ls"])), /^DRIVER\s+VOLUME NAME\nlocal\s+keep\n/);
    assert.equal(ok(await d.docker(["volume", "ls", "-q", "--filter", "label=team=a"])), "keep\n");
    assert.equal(ok(await d.docker(["volume", "ls", "-q", "--filter", "label=team=b"])), "");
    assert.equal(ok(await d.docker(["volume", "ls", "-q", "--filter", "name=ee"])), "keep\n");
    const missing = await d.docker(["volume", "inspect", "nosuchvol"]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /get nosuchvol: no such volume/);
  });

  test(":ro and --mount readonly are enforced", async () => {
    const ro = await d.docker([
      "run",
      "--rm",
      "-v",
      "keep:/data:ro",
      "busybox",
      "sh",
      "-c",
      "echo x > /data/g",
    ]);
    assert.equal(ro.code, 1);
    assert.match(ro.stderr, /Read-only file system/);
    const mount = await d.docker([
      "run",
      "--rm",
      "--mount",
      "type=volume,src=keep,dst=/data,readonly",
      "busybox",
      "touch",
      "/data/h",
    ]);
    assert.equal(mount.code, 1);
    assert.match(mount.stderr, /Read-only file system/);
  });

  test("the tutorial's backup and a restore into a fresh volume", async () => {
    ok(await d.docker(["volume", "create", "src-data"]));
    ok(
      await d.docker([
        "run",
        "--rm",
        "-v",
        "src-data:/data",
        "busybox",
        "sh",
        "-c",
        "mkdir -p /data/sub && echo one > /data/a && echo two > /data/sub/b",
      ]),
    );
    ok(
      await d.docker([
        "run",
        "--rm",
        "-v",
        "src-data:/data",
        "-v",
        `${hostDir}:/backup`,
        "busybox",
        "tar",
        "czf",
        "/backup/x.tgz",
        "-C",
        "/data",
        ".",
      ]),
    );
    assert.ok((await fs.stat(path.join(hostDir, "x.tgz"))).size > 0);
    ok(await d.docker(["volume", "create", "restored"]));
    ok(
      await d.docker([
        "run",
        "--rm",
        "-v",
        "restored:/data",
        "-v",
        `${hostDir}:/backup:ro`,
        "busybox",
        "tar",
        "xzf",
        "/backup/x.tgz",
        "-C",
        "/data",
      ]),
    );
    assert.equal(
      ok(await d.docker(["run", "--rm", "-v", "restored:/r", "busybox", "cat", "/r/a", "/r/sub/b"])),
      "one\ntwo\n",
    );
  });

  test("bind mounts work both ways; -v creates a missing host dir, --mount refuses it", async () => {
    await fs.writeFile(path.join(hostDir, "from-host"), "hello from host\n");
    assert.equal(
      ok(
        await d.docker([
          "run",
          "--rm",
          "-v",
          `${hostDir}:/h`,
          "busybox",
          "sh",
          "-c",
          "cat /h/from-host; echo hello from ctr > /h/from-ctr",
        ]),
      ),
      "hello from host\n",
    );
    assert.equal(await fs.readFile(path.join(hostDir, "from-ctr"), "utf8"), "hello from ctr\n");
    const bindRo = await d.docker(["run", "--rm", "-v", `${hostDir}:/h:ro`, "busybox", "touch", "/h/x"]);
    assert.equal(bindRo.code, 1);
    assert.match(bindRo.stderr, /Read-only file system/);
    ok(
      await d.docker([
        "run",
        "--rm",
        "--mount",
        `type=bind,src=${hostDir},dst=/m`,
        "busybox",
        "cat",
        "/m/from-ctr",
      ]),
    );

    const missing = path.join(hostDir, "missing");
    const refused = await d.docker([
      "run",
      "--rm",
      "--mount",
      `type=bind,src=${missing},dst=/x`,
      "busybox",
      "true",
    ]);
    assert.equal(refused.code, 125);
    assert.match(
      refused.stderr,
      new RegExp(`invalid mount config for type "bind": bind source path does not exist: ${missing}`),
    );
    const created = path.join(hostDir, "created");
    ok(await d.docker(["run", "--rm", "-v", `${created}:/x`, "busybox", "true"]));
    assert.ok((await fs.stat(created)).isDirectory());
  });

  test("anonymous volumes: kept by rm, removed by rm -v and by --rm", async () => {
    ok(
      await d.docker([
        "run",
        "--name",
        "anon1",
        "-v",
        "/scratch",
        "busybox",
        "sh",
        "-c",
        "echo a > /scratch/a",
      ]),
    );
    const name = ok(
      await d.docker(["inspect", "anon1", "--format", "{{range .Mounts}}{{.Name}}{{end}}"]),
    ).trim();
    assert.match(name, /^[a-f0-9]{64}$/);
    const [vol] = JSON.parse(ok(await d.docker(["volume", "inspect", name])));
    assert.deepEqual(vol.Labels, { "com.docker.volume.anonymous": "" });
    ok(await d.docker(["rm", "-v", "anon1"]));
    assert.ok(!(await volumeNames()).includes(name), "rm -v removed the anonymous volume");

    ok(await d.docker(["run", "--name", "anon2", "-v", "/scratch", "busybox", "true"]));
    const kept = ok(
      await d.docker(["inspect", "anon2", "--format", "{{range .Mounts}}{{.Name}}{{end}}"]),
    ).trim();
    ok(await d.docker(["rm", "anon2"]));
    assert.ok((await volumeNames()).includes(kept), "rm without -v keeps it");
    const pruned = ok(await d.docker(["volume", "prune", "-f"]));
    assert.match(pruned, new RegExp(`Deleted Volumes:\\n${kept}\\n`));
    assert.ok((await volumeNames()).includes("keep"), "prune without -a keeps named volumes");

    const before = await volumeNames();
    ok(await d.docker(["run", "--rm", "-v", "/scratch", "-v", "keep:/k", "busybox", "true"]));
    assert.deepEqual(await volumeNames(), before, "--rm removed its anonymous volume, kept the named one");
  });

  test("an image VOLUME's content is copied into a new named volume and into anonymous ones", async () => {
    ok(
      await d.docker(["import", "--change", "VOLUME /data", "-", "seeded:latest"], {
        input: await rootfsWithData(),
      }),
    );
    ok(await d.docker(["run", "--rm", "-v", "seedvol:/data", "seeded", "true"]));
    assert.equal(
      ok(
        await d.docker([
          "run",
          "--rm",
          "-v",
          "seedvol:/v",
          "busybox",
          "stat",
          "-c",
          "%u:%g %a %n",
          "/v",
          "/v/seed",
        ]),
      ),
      "1000:1000 750 /v\n1000:1000 640 /v/seed\n",
    );
    assert.equal(
      ok(await d.docker(["run", "--rm", "-v", "seedvol:/v", "busybox", "cat", "/v/seed"])),
      "seeded\n",
    );
    assert.equal(ok(await d.docker(["run", "--rm", "seeded", "cat", "/data/seed"])), "seeded\n");
    ok(
      await d.docker([
        "run",
        "--rm",
        "--mount",
        "type=volume,src=nocopy,dst=/data,volume-nocopy",
        "seeded",
        "true",
      ]),
    );
    assert.equal(ok(await d.docker(["run", "--rm", "-v", "nocopy:/v", "busybox", "ls", "-A", "/v"])), "");
  });

  test("--volumes-from shares the mounts, :ro makes them read-only", async () => {
    ok(await d.docker(["create", "--name", "datactr", "-v", "keep:/data", "busybox", "true"]));
    assert.equal(
      ok(await d.docker(["run", "--rm", "--volumes-from", "datactr", "busybox", "cat", "/data/f"])),
      "kept\n",
    );
    const ro = await d.docker(["run", "--rm", "--volumes-from", "datactr:ro", "busybox", "touch", "/data/z"]);
    assert.equal(ro.code, 1);
    assert.match(ro.stderr, /Read-only file system/);
    ok(await d.docker(["rm", "datactr"]));
  });

  test("a volume in use cannot be removed (409); force does not change that", async () => {
    const id = ok(await d.docker(["create", "--name", "user", "-v", "keep:/data", "busybox", "true"])).trim();
    const r = await d.docker(["volume", "rm", "keep"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`remove keep: volume is in use - \\[${id}\\]`));
    const raw = await api(d.socket, "DELETE", "/v1.41/volumes/keep?force=1");
    assert.equal(raw.status, 409);
    assert.deepEqual(raw.body, { message: `remove keep: volume is in use - [${id}]` });
    assert.equal(
      ok(await d.docker(["volume", "ls", "-q", "--filter", "dangling=false"])).includes("keep\n"),
      true,
    );
    ok(await d.docker(["rm", "user"]));
    assert.equal((await api(d.socket, "DELETE", "/volumes/nosuchvol?force=1")).status, 204);
    assert.equal((await api(d.socket, "DELETE", "/volumes/nosuchvol")).status, 404);
  });

  test("invalid volume names are refused with Docker's message", async () => {
    for (const bad of ["../x", "/etc"]) {
      const r = await d.docker(["volume", "create", bad]);
      assert.equal(r.code, 1, bad);
      assert.match(
        r.stderr,
        new RegExp(
          `create ${bad.replace(/[.]/g, "\\.")}: "${bad.replace(/[.]/g, "\\.")}" includes invalid characters for a local volume name, only "\\[a-zA-Z0-9\\]\\[a-zA-Z0-9_.-\\]" are allowed`,
        ),
      );
    }
    const opt = await d.docker(["volume", "create", "-o", "bogus=1", "badopts"]);
    assert.equal(opt.code, 1);
    assert.match(opt.stderr, /invalid option: "bogus"/);
    assert.ok(!(await volumeNames()).includes("badopts"));
  });

  test("a tmpfs-backed local volume is mounted while in use", async () => {
    ok(
      await d.docker([
        "volume",
        "create",
        "-o",
        "type=tmpfs",
        "-o",
        "device=tmpfs",
        "-o",
        "o=size=4m",
        "tmpvol",
      ]),
    );
    const out = ok(
      await d.docker(["run", "--rm", "-v", "tmpvol:/t", "busybox", "sh", "-c", "df -k /t | tail -1"]),
    );
    assert.match(out, /^tmpfs\s+4096\s/);
    const mounted = (await fs.readFile("/proc/self/mountinfo", "utf8")).includes("/volumes/tmpvol/_data");
    assert.equal(mounted, false, "unmounted once the last container exited");
    ok(await d.docker(["volume", "rm", "tmpvol"]));
  });

  test("docker system df -v lists the volumes with their sizes", async () => {
    ok(await d.docker(["volume", "create", "sized"]));
    ok(await d.docker(["run", "--rm", "-v", "sized:/s", "busybox", "sh", "-c", "printf 12345 > /s/five"]));
    const summary = ok(await d.docker(["system", "df"]));
    assert.match(summary, /^TYPE\s+TOTAL\s+ACTIVE\s+SIZE\s+RECLAIMABLE\n/);
    assert.match(summary, /\nLocal Volumes\s+\d+\s+0\s+/);
    const verbose = ok(await d.docker(["system", "df", "-v"]));
    assert.match(verbose, /Local Volumes space usage:\n\nVOLUME NAME\s+LINKS\s+SIZE\n/);
    assert.match(verbose, /\nsized\s+0\s+5B\n/);
    assert.match(verbose, /\nkeep\s+0\s+5B\n/);
    assert.match(verbose, /Images space usage:/);
  });

  test("volume prune -a removes every unused volume, label filters narrow it", async () => {
    ok(await d.docker(["volume", "create", "--label", "prune=no", "protected"]));
    ok(await d.docker(["volume", "prune", "-a", "-f", "--filter", "label!=prune=no"]));
    assert.deepEqual(await volumeNames(), ["protected"]);
    const out = ok(await d.docker(["volume", "prune", "-a", "-f"]));
    assert.match(out, /Deleted Volumes:\nprotected\n/);
    assert.deepEqual(await volumeNames(), []);
  });
});
