import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { busyboxRootfs } from "../fixtures/busybox.js";
import { TestDaemon } from "../harness/daemon.js";

/**
 * A COPY of a directory that ran before on the same parent starts from its previous layer and
 * writes only what changed: the rebuilt image must equal a build from scratch.
 */
describe("build: incremental COPY", () => {
  let d: TestDaemon;
  let ctx: string;

  before(async () => {
    d = await TestDaemon.start();
    const r = await d.docker(["import", "-", "busybox:latest"], { input: await busyboxRootfs() });
    assert.equal(r.code, 0, r.stderr);
    ctx = path.join(d.dir, "ctx");
    await fs.mkdir(path.join(ctx, "src", "sub"), { recursive: true });
    for (let i = 0; i < 20; i++)
      await fs.writeFile(path.join(ctx, "src", `f${i}.js`), `export default ${i};\n`);
    await fs.writeFile(path.join(ctx, "src", "sub", "keep.txt"), "keep\n");
    await fs.writeFile(path.join(ctx, "src", "shadow.txt"), "from the context\n");
    await fs.symlink("f1.js", path.join(ctx, "src", "link.js"));
    await fs.writeFile(path.join(ctx, ".dockerignore"), "ignored.txt\n");
    await fs.writeFile(
      path.join(ctx, "Dockerfile"),
      [
        "FROM busybox",
        "WORKDIR /app",
        "RUN mkdir -p src && echo 'from the parent' > src/shadow.txt && echo base > base.txt",
        "COPY . .",
        'CMD ["cat", "/app/src/f0.js"]',
        "",
      ].join("\n"),
    );
  });
  after(async () => {
    await d?.cleanup();
  });

  const ok = (r: { code: number; stdout: string; stderr: string }) => {
    assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r.stdout;
  };
  /** Every path under /app with its type and content checksum (mtimes aside). */
  const listing = async (image: string) =>
    ok(
      await d.docker([
        "run",
        "--rm",
        image,
        "sh",
        "-c",
        'cd /app && find . | sort | while read p; do if [ -L "$p" ]; then echo "$p -> $(readlink "$p")"; elif [ -f "$p" ]; then echo "$p $(stat -c %a "$p") $(md5sum < "$p")"; else echo "$p/ $(stat -c %a "$p")"; fi; done',
      ]),
    );

  test("a changed, an added and a deleted file: the rebuilt image equals a build from scratch", async () => {
    ok(await d.berth(["build", "--progress=plain", "-t", "inc:1", ctx]));
    await fs.writeFile(path.join(ctx, "src", "f0.js"), "export default 'changed';\n");
    await fs.chmod(path.join(ctx, "src", "f2.js"), 0o755);
    await fs.writeFile(path.join(ctx, "src", "sub", "new.js"), "new\n");
    await fs.rm(path.join(ctx, "src", "f3.js"));
    await fs.rm(path.join(ctx, "src", "shadow.txt"));
    await fs.rm(path.join(ctx, "src", "link.js"));
    await fs.symlink("f4.js", path.join(ctx, "src", "link.js"));
    await fs.writeFile(path.join(ctx, "ignored.txt"), "never copied\n");
    const out = ok(await d.berth(["build", "--progress=plain", "-t", "inc:2", ctx]));
    assert.match(out, /Patched the layer of [0-9a-f]{12}: 3 changed, 1 added, 2 removed/);
    assert.equal(ok(await d.docker(["run", "--rm", "inc:2"])), "export default 'changed';\n");
    const got = await listing("inc:2");
    // The parent's file shows again once the context's copy is gone; the deleted file is gone.
    assert.equal(
      ok(await d.docker(["run", "--rm", "inc:2", "cat", "/app/src/shadow.txt"])),
      "from the parent\n",
    );
    assert.doesNotMatch(got, /f3\.js/);
    assert.match(got, /\.\/src\/sub\/new\.js /);
    assert.match(got, /\.\/src\/sub\/keep\.txt /);
    assert.match(got, /\.\/src\/f2\.js 755 /);
    assert.match(got, /\.\/src\/link\.js -> f4\.js/);
    assert.doesNotMatch(got, /ignored/);
    ok(await d.berth(["build", "--progress=plain", "--no-cache", "-t", "inc:fresh", ctx]));
    assert.equal(got, await listing("inc:fresh"));
    // The first image is untouched (its layer shares files with the new one).
    assert.equal(ok(await d.docker(["run", "--rm", "inc:1"])), "export default 0;\n");
    assert.match(ok(await d.docker(["run", "--rm", "inc:1", "ls", "/app/src"])), /f3\.js/);
  });

  test("the patched image has its history, and survives save, rmi and load", async () => {
    const hist = ok(await d.docker(["history", "--no-trunc", "--format", "{{.CreatedBy}}", "inc:2"]));
    assert.match(hist, /COPY dir:[0-9a-f]+ in \. /);
    const before = await listing("inc:2");
    const tar = path.join(d.dir, "inc.tar");
    ok(await d.docker(["save", "-o", tar, "inc:2"]));
    ok(await d.docker(["rmi", "inc:2", "inc:fresh", "inc:1"]));
    assert.match(ok(await d.docker(["load", "-i", tar])), /inc:2/);
    assert.equal(await listing("inc:2"), before);
  });

  test("a new directory in the context falls back to copying everything", async () => {
    ok(await d.berth(["build", "--progress=plain", "-t", "inc:3", ctx]));
    await fs.mkdir(path.join(ctx, "src", "newdir"));
    await fs.writeFile(path.join(ctx, "src", "newdir", "x.js"), "x\n");
    const out = ok(await d.berth(["build", "--progress=plain", "-t", "inc:4", ctx]));
    assert.doesNotMatch(out, /Patched the layer/);
    assert.equal(ok(await d.docker(["run", "--rm", "inc:4", "cat", "/app/src/newdir/x.js"])), "x\n");
  });
});
