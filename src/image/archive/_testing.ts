/**
 * Test helpers for the archive tests (private to this folder): tars built with tar-stream's pack,
 * temp roots that are always unmounted and removed, and a comparable description of a tree.
 */
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { spawnRunner } from "../../lib/exec.js";
import { readXattrTree } from "./xattrs.js";

export { makeTar, type TestEntry } from "../../../test/fixtures/tar.js";

export async function collect(stream: Readable | AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

export async function* chunked(data: Buffer, size = 777): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

export async function tempRoot(prefix: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `berth-${prefix}-`));
}

/** Unmounts everything below root (lazily, so a failed test cannot wedge it) and removes it. */
export async function removeRoot(root: string): Promise<void> {
  const info = await fs.readFile("/proc/self/mountinfo", "utf8");
  const points = info
    .split("\n")
    .map((l) => l.split(" ")[4] ?? "")
    .filter((p) => p === root || p.startsWith(`${root}/`))
    .sort((a, b) => b.length - a.length);
  for (const p of points) await spawnRunner.run("umount", ["-l", p], { allowFailure: true });
  await fs.rm(root, { recursive: true, force: true });
}

export async function mountOverlay(target: string, lowers: string[], upper?: string, work?: string) {
  const opts = [`lowerdir=${lowers.join(":")}`];
  if (upper && work) opts.push(`upperdir=${upper}`, `workdir=${work}`, "index=off", "redirect_dir=off");
  await fs.mkdir(target, { recursive: true });
  await spawnRunner.run("mount", ["-t", "overlay", "-o", opts.join(","), "overlay", target]);
}

export async function umount(target: string): Promise<void> {
  await spawnRunner.run("umount", [target]);
}

/**
 * One line per path below root (root itself left out): type, mode, owner, mtime in seconds,
 * content digest or link target or device numbers, and xattrs (trusted.overlay.* left out).
 */
export async function describeTree(root: string): Promise<Record<string, string>> {
  const xattrs = await readXattrTree(spawnRunner, root);
  const out: Record<string, string> = {};
  const walk = async (rel: string) => {
    const dir = rel ? path.join(root, rel) : root;
    for (const name of (await fs.readdir(dir)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const abs = path.join(root, r);
      const st = await fs.lstat(abs);
      const mode = (st.mode & 0o7777).toString(8).padStart(4, "0");
      let what: string;
      if (st.isDirectory()) what = "dir";
      else if (st.isFile()) {
        const sum = createHash("sha256")
          .update(await fs.readFile(abs))
          .digest("hex")
          .slice(0, 12);
        what = `file ${st.size} ${sum}`;
      } else if (st.isSymbolicLink()) what = `symlink -> ${await fs.readlink(abs)}`;
      else if (st.isCharacterDevice()) what = `char ${st.rdev}`;
      else if (st.isBlockDevice()) what = `block ${st.rdev}`;
      else if (st.isFIFO()) what = "fifo";
      else what = "other";
      const attrs = [...(xattrs.get(abs) ?? [])]
        .filter(([k]) => !k.startsWith("trusted.overlay."))
        .map(([k, v]) => `${k}=${v.toString("hex")}`)
        .sort();
      const mtime = ` t=${Math.floor(st.mtimeMs / 1000)}`;
      out[r] = `${what} ${mode} ${st.uid}:${st.gid}${mtime}${attrs.length ? ` ${attrs.join(" ")}` : ""}`;
      if (st.isDirectory()) await walk(r);
    }
  };
  await walk("");
  return out;
}
