import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { busyboxRootfs } from "../fixtures/busybox.js";
import { TestDaemon } from "../harness/daemon.js";

/**
 * A context sent as a tar is synced into the directory the last build of the same tags left
 * (<root>/builder/contexts): only what differs is written, and the build must see exactly the new
 * context: a same-size edit within the same mtime second, a deletion, no change at all.
 */
describe("build: kept contexts", () => {
  let d: TestDaemon;
  let ctx: string;
  let contexts: string;

  before(async () => {
    d = await TestDaemon.start();
    const r = await d.docker(["import", "-", "busybox:latest"], { input: await busyboxRootfs() });
    assert.equal(r.code, 0, r.stderr);
    contexts = path.join(d.root, "builder", "contexts");
    ctx = path.join(d.dir, "ctx");
    await fs.mkdir(path.join(ctx, "src"), { recursive: true });
    await fs.writeFile(path.join(ctx, "a.txt"), "AAAA\n");
    await fs.writeFile(path.join(ctx, "b.txt"), "bbbb\n");
    for (let i = 0; i < 50; i++)
      await fs.writeFile(path.join(ctx, "src", `f${i}.js`), `export default ${i};\n`);
    await fs.writeFile(
      path.join(ctx, "Dockerfile"),
      [
        "FROM busybox",
        "WORKDIR /app",
        "COPY . .",
        "RUN cat a.txt > /seen.txt",
        'CMD ["cat", "/seen.txt"]',
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
  const build = (tag: string) => d.docker(["build", "-t", tag, ctx]).then(ok);
  const berthBuild = (tag: string) =>
    d
      .berth(["build", "--progress=plain", "-t", tag, ctx], { env: { BERTH_BUILD_NO_LOCAL_CONTEXT: "1" } })
      .then(ok);
  /** The output of the step whose instruction starts with `instr`. */
  const step = (out: string, instr: string) =>
    out.split(/^Step \d+\/\d+ : /m).find((s) => s.startsWith(instr)) ??
    assert.fail(`no step ${instr}:\n${out}`);
  const slots = async () => (await fs.readdir(contexts)).sort();
  const slotFile = (name: string, rel: string) => path.join(contexts, name, "context", rel);

  let slot: string;

  test("a docker build keeps its synced context under builder/contexts", async () => {
    const out = await build("reuse:1");
    assert.match(out, /Successfully tagged reuse:1/);
    const names = await slots();
    assert.equal(names.length, 1);
    slot = names[0]!;
    assert.ok(await fs.stat(path.join(contexts, slot, "ready.json")));
    assert.equal(await fs.readFile(slotFile(slot, "a.txt"), "utf8"), "AAAA\n");
    assert.equal(ok(await d.docker(["run", "--rm", "reuse:1"])), "AAAA\n");
  });

  test("a same-size edit in the same mtime second is built, and unchanged files keep their inodes", async () => {
    const before = await fs.stat(path.join(ctx, "a.txt"));
    const keptIno = (await fs.stat(slotFile(slot, "b.txt"))).ino;
    await fs.writeFile(path.join(ctx, "a.txt"), "ZZZZ\n");
    await fs.utimes(path.join(ctx, "a.txt"), before.atime, before.mtime);
    const out = await build("reuse:1");
    assert.doesNotMatch(step(out, "COPY . ."), /Using cache/, out);
    assert.doesNotMatch(step(out, "RUN cat"), /Using cache/, out);
    assert.equal(ok(await d.docker(["run", "--rm", "reuse:1"])), "ZZZZ\n");
    assert.equal(ok(await d.docker(["run", "--rm", "reuse:1", "cat", "/app/a.txt"])), "ZZZZ\n");
    assert.deepEqual(await slots(), [slot]);
    assert.equal((await fs.stat(slotFile(slot, "b.txt"))).ino, keptIno);
  });

  test("a deleted file is gone from the image and from the kept context", async () => {
    await fs.rm(path.join(ctx, "b.txt"));
    const out = await build("reuse:1");
    assert.doesNotMatch(step(out, "COPY . ."), /Using cache/, out);
    const ls = ok(await d.docker(["run", "--rm", "reuse:1", "ls", "/app"])).split("\n");
    assert.ok(ls.includes("a.txt") && !ls.includes("b.txt"), ls.join(" "));
    await assert.rejects(fs.stat(slotFile(slot, "b.txt")));
  });

  test("a no-op rebuild uses the cache for every step", async () => {
    const out = await build("reuse:1");
    assert.equal(out.match(/Using cache/g)?.length, 4, out);
  });

  test("the kept context survives a restart; a half-synced slot is removed", async () => {
    const keptIno = (await fs.stat(slotFile(slot, "a.txt"))).ino;
    await d.stopProcess();
    await fs.mkdir(path.join(contexts, "half", "context"), { recursive: true }); // no ready.json
    await d.startProcess();
    assert.deepEqual(await slots(), [slot]);
    const out = await build("reuse:1");
    assert.equal(out.match(/Using cache/g)?.length, 4, out);
    assert.equal((await fs.stat(slotFile(slot, "a.txt"))).ino, keptIno);
  });

  test("the berth CLI's tar stream is synced too", async () => {
    await berthBuild("reuse:berth");
    assert.equal((await slots()).length, 2);
    await fs.writeFile(path.join(ctx, "a.txt"), "YYYY\n");
    const out = await berthBuild("reuse:berth");
    assert.doesNotMatch(step(out, "COPY . ."), /Using cache/, out);
    assert.equal(ok(await d.docker(["run", "--rm", "reuse:berth"])), "YYYY\n");
    const again = await berthBuild("reuse:berth");
    assert.equal(again.match(/Using cache/g)?.length, 4, again);
  });

  test("a context tar with ../ entries fails and leaves no kept context behind", async () => {
    const { makeTar } = await import("../fixtures/tar.js");
    const tar = await makeTar([
      { name: "Dockerfile", content: "FROM busybox\n" },
      { name: "../escape", content: "x" },
    ]);
    const r = await d.docker(["build", "-t", "evil:1", "-"], { input: tar });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /escapes the layer root/);
    assert.equal((await slots()).length, 2);
    const all = (await fs.readdir(d.dir, { recursive: true })).map((p) => path.basename(p));
    assert.ok(!all.includes("escape"));
  });

  test("a Dockerfile outside the context (-f ../x, sent as .dockerfile.<random>) keeps one slot", async () => {
    const df = path.join(d.dir, "outside.Dockerfile");
    await fs.writeFile(df, "FROM busybox\nCOPY . /ctx/\n");
    const before = (await slots()).length;
    ok(await d.docker(["build", "-f", df, "-t", "outside:1", ctx]));
    const out = ok(await d.docker(["build", "-f", df, "-t", "outside:1", ctx]));
    assert.equal(out.match(/Using cache/g)?.length, 1, out);
    assert.equal((await slots()).length, before + 1);
    assert.equal(ok(await d.docker(["run", "--rm", "outside:1", "cat", "/ctx/a.txt"])), "YYYY\n");
  });

  test("docker builder prune -af removes the kept contexts", async () => {
    const out = ok(await d.docker(["builder", "prune", "-af"]));
    assert.match(out, /Total reclaimed space/);
    assert.deepEqual(await slots(), []);
  });
});
