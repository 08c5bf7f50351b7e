import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { RecordingRunner } from "../lib/exec.js";
import { isMountPoint, mountAll, mountCommand, unmount, unmountAll } from "./mount.js";

describe("mount", () => {
  let root: string;
  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), "berth-mount-"));
  });
  after(async () => {
    await unmountAll(root, { detach: true });
    await fs.rm(root, { recursive: true, force: true });
  });

  test("mountCommand builds mount(8) arguments for overlay and bind mounts", () => {
    assert.deepEqual(
      mountCommand({ type: "overlay", source: "overlay", options: ["lowerdir=/a:/b", "upperdir=/u"] }, "/t"),
      { args: ["-t", "overlay", "-o", "lowerdir=/a:/b,upperdir=/u", "--", "overlay", "/t"] },
    );
    assert.deepEqual(mountCommand({ type: "bind", source: "/s", options: ["ro"] }, "/t"), {
      args: ["-o", "ro,rbind", "--", "/s", "/t"],
    });
    assert.deepEqual(mountCommand({ type: "tmpfs", source: "tmpfs", options: [] }, "/t"), {
      args: ["-t", "tmpfs", "--", "tmpfs", "/t"],
    });
  });

  test("mountCommand makes overlay options longer than a page relative to their common directory", () => {
    const lowers = Array.from({ length: 200 }, (_, i) => `/var/lib/berth/snapshots/${i + 1}/fs`);
    const { args, cwd } = mountCommand(
      {
        type: "overlay",
        source: "overlay",
        options: ["index=off", "workdir=/var/lib/berth/snapshots/900/work", `lowerdir=${lowers.join(":")}`],
      },
      "/t",
    );
    assert.equal(cwd, "/var/lib/berth/snapshots");
    const options = args[3] ?? "";
    assert.ok(options.startsWith("index=off,workdir=900/work,lowerdir=1/fs:2/fs:"));
    assert.ok(options.length < 4000);
  });

  test("mountAll mounts stacked mounts and undoes them when one fails", async () => {
    const src = path.join(root, "src");
    const target = path.join(root, "target");
    await fs.mkdir(path.join(src, "sub"), { recursive: true });
    await fs.writeFile(path.join(src, "hello"), "hi");
    await fs.mkdir(target);
    await mountAll(
      [
        { type: "bind", source: src, options: ["ro"] },
        { type: "tmpfs", source: "tmpfs", target: "sub", options: ["size=1m"] },
      ],
      target,
    );
    try {
      assert.equal(await fs.readFile(path.join(target, "hello"), "utf8"), "hi");
      assert.ok(await isMountPoint(path.join(target, "sub")));
      await assert.rejects(fs.writeFile(path.join(target, "x"), "x"), { code: "EROFS" });
    } finally {
      await unmountAll(target);
    }
    assert.ok(!(await isMountPoint(target)));
    assert.ok(!(await isMountPoint(path.join(target, "sub"))));

    await assert.rejects(
      mountAll(
        [
          { type: "bind", source: src, options: [] },
          { type: "bind", source: path.join(root, "missing"), target: "sub", options: [] },
        ],
        target,
      ),
      /mounting on/,
    );
    assert.ok(!(await isMountPoint(target)), "the first mount was undone");
  });

  test("unmount of a target with nothing mounted does nothing", async () => {
    const runner = new RecordingRunner();
    await unmount(path.join(root, "nothing-here"), { runner });
    assert.deepEqual(runner.calls, []);
  });
});
