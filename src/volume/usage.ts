/**
 * Disk usage of a directory tree as Docker's `system df` reports it (moby pkg/directory.Size): the
 * sum of the apparent sizes of everything but directories, each inode counted once (hard links),
 * symlinks by their own size, never followed. Files that vanish during the walk are skipped.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { errnoCode } from "../lib/errors.js";

export async function directorySize(dir: string): Promise<number> {
  const seen = new Set<bigint>();
  let size = 0;
  const walk = async (d: string): Promise<void> => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = await fs.readdir(d, { withFileTypes: true });
    } catch (err) {
      const code = errnoCode(err);
      if (code === "ENOENT" || code === "ENOTDIR") return;
      throw err;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        await walk(p);
        continue;
      }
      let st: import("node:fs").BigIntStats;
      try {
        st = await fs.lstat(p, { bigint: true });
      } catch (err) {
        if (errnoCode(err) === "ENOENT") continue;
        throw err;
      }
      if (st.size === 0n || seen.has(st.ino)) continue;
      seen.add(st.ino);
      size += Number(st.size);
    }
  };
  await walk(dir);
  return size;
}

/** True when the directory has no entries (a missing directory counts as empty). */
export async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    const h = await fs.opendir(dir);
    try {
      return (await h.read()) === null;
    } finally {
      await h.close().catch(() => {});
    }
  } catch (err) {
    if (errnoCode(err) === "ENOENT") return true;
    throw err;
  }
}
