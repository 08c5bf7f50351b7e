/**
 * `docker diff` (GET /containers/{id}/changes): walks the container's overlay upper directory,
 * looks each entry up in the lower layers, and lets classifyChanges decide. Works whether or not
 * the container runs: the upper directory is on disk either way.
 */
import { type BigIntStats, promises as fs } from "node:fs";
import path from "node:path";
import { OVERLAY_OPAQUE_XATTR } from "../../image/archive/index.js";
import { readXattrTree } from "../../image/archive/xattrs.js";
import { errnoCode } from "../../lib/errors.js";
import { type CommandRunner, spawnRunner } from "../../lib/exec.js";
import type { Mount } from "../../snapshot/mount.js";
import {
  classifyChanges,
  type FileFacts,
  type FilesystemChange,
  type UpperEntry,
} from "./changes-classify.js";
import { type ContainerDeps, findContainer } from "./deps.js";

const OVERLAY_WHITEOUT_XATTR = "trusted.overlay.whiteout";

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** The lower directories of a snapshot's mounts, topmost first ([] for a snapshot without parents). */
export function lowerDirsOf(mounts: readonly Mount[]): string[] {
  for (const m of mounts) {
    if (m.type !== "overlay") continue;
    const opt = m.options.find((o) => o.startsWith("lowerdir="));
    if (opt) return opt.slice("lowerdir=".length).split(":");
  }
  return [];
}

function facts(st: BigIntStats): FileFacts {
  return { isDir: st.isDirectory(), size: Number(st.size), mode: Number(st.mode), mtimeNs: st.mtimeNs };
}

async function lstatBig(p: string): Promise<BigIntStats | undefined> {
  try {
    return await fs.lstat(p, { bigint: true });
  } catch (err) {
    const code = errnoCode(err);
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw err;
  }
}

async function lowerFacts(lowers: readonly string[], rel: string): Promise<FileFacts | undefined> {
  for (const dir of lowers) {
    const st = await lstatBig(path.join(dir, rel));
    if (st) return facts(st);
  }
  return undefined;
}

interface Walk {
  upper: string;
  lowers: readonly string[];
  xattrs: Map<string, Map<string, Buffer>>;
  out: UpperEntry[];
}

async function walk(w: Walk, rel: string): Promise<void> {
  const names = (await fs.readdir(rel === "" ? w.upper : path.join(w.upper, rel))).sort(byteOrder);
  for (const name of names) {
    const childRel = rel === "" ? name : `${rel}/${name}`;
    const abs = path.join(w.upper, childRel);
    const st = await lstatBig(abs);
    if (!st) continue;
    const attrs = w.xattrs.get(abs);
    const whiteout =
      (st.isCharacterDevice() && st.rdev === 0n) ||
      (st.isFile() && attrs?.has(OVERLAY_WHITEOUT_XATTR) === true);
    const entry: UpperEntry = {
      path: `/${childRel}`,
      ...facts(st),
      whiteout,
      opaque: st.isDirectory() && attrs?.get(OVERLAY_OPAQUE_XATTR)?.toString() === "y",
    };
    const lower = await lowerFacts(w.lowers, childRel);
    if (lower) entry.lower = lower;
    w.out.push(entry);
    if (st.isDirectory()) await walk(w, childRel);
  }
}

/** The upper directory's entries with their lower counterparts, in walk order. */
export async function upperEntries(
  upper: string,
  lowers: readonly string[],
  runner: CommandRunner = spawnRunner,
): Promise<UpperEntry[]> {
  // A running container may remove files while getfattr walks: take what it could read.
  const tolerant: CommandRunner = { run: (f, a, o) => runner.run(f, a, { ...o, allowFailure: true }) };
  const w: Walk = { upper, lowers, xattrs: await readXattrTree(tolerant, upper), out: [] };
  await walk(w, "");
  return w.out;
}

/** GET /containers/{id}/changes. */
export async function containerChanges(deps: ContainerDeps, ref: string): Promise<FilesystemChange[]> {
  const c = findContainer(deps, ref);
  const upper = deps.snapshots.upperDir(c.snapshotKey);
  const lowers = lowerDirsOf(await deps.snapshots.mounts(c.snapshotKey));
  return classifyChanges(await upperEntries(upper, lowers));
}
