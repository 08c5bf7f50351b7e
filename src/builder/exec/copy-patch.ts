/**
 * Incremental COPY of a directory: when the same COPY ran before on the same parent, its layer is
 * the starting point (the backend clones it with hard links) and only what changed in the source
 * is written. `planCopyPatch` (pure) compares the previous and the new source manifests;
 * `applyCopyPatch` edits the cloned layer directory (an overlay upper dir, never mounted while
 * edited). Anything the patch cannot reproduce exactly (a new or changed directory, a type change,
 * a symlink or non-directory on the destination path, something of the parent's where a new file
 * goes) makes it give up, and the step copies everything as usual.
 *
 *   const plan = planCopyPatch(previous.sources, manifest, ".");  // { removed, changed, added }
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import type { SourceEntry, SourceManifest } from "../cache/cache-key.js";
import { type CopyOptions, copyEntry } from "./copy-files.js";

export interface CopyPatchPlan {
  /** Source paths (relative to the context) gone since the previous build: removed from the layer. */
  removed: string[];
  /** Files and symlinks whose data or metadata changed: written again. */
  changed: string[];
  /** New files and symlinks in directories the previous build had: written. */
  added: string[];
}

const same = (a: SourceEntry, b: SourceEntry) =>
  a.type === b.type && a.mode === b.mode && a.uid === b.uid && a.gid === b.gid && a.digest === b.digest;

/** Where a source path lands under the destination directory (the source root's own entry is ""). */
export function subPath(root: string, rel: string): string | undefined {
  if (rel === root) return "";
  if (root === ".") return rel;
  return rel.startsWith(`${root}/`) ? rel.slice(root.length + 1) : undefined;
}

/**
 * What to change in the previous layer to get the new one, or undefined when a patch cannot give
 * the same result as a full copy (or would not save much: more than half the entries changed).
 */
export function planCopyPatch(
  prev: SourceManifest,
  next: SourceManifest,
  root: string,
): CopyPatchPlan | undefined {
  const plan: CopyPatchPlan = { removed: [], changed: [], added: [] };
  for (const [rel, n] of Object.entries(next)) {
    const sub = subPath(root, rel);
    if (sub === undefined) return undefined;
    if (sub === "") continue;
    const p = prev[rel];
    if (!p) {
      if (n.type === "dir") return undefined;
      const parent = path.posix.dirname(rel);
      if (parent !== root && (root !== "." || parent !== ".") && prev[parent]?.type !== "dir")
        return undefined;
      plan.added.push(rel);
    } else if (p.type !== n.type) return undefined;
    else if (!same(p, n)) {
      if (n.type === "dir") return undefined;
      plan.changed.push(rel);
    }
  }
  for (const rel of Object.keys(prev)) {
    if (next[rel]) continue;
    if (subPath(root, rel) === undefined) return undefined;
    plan.removed.push(rel);
  }
  const touched = plan.removed.length + plan.changed.length + plan.added.length;
  return touched * 2 > Object.keys(next).length ? undefined : plan;
}

async function lstat(p: string) {
  return fs.lstat(p).catch(() => undefined);
}

/**
 * Applies `plan` to `layer` (a clone of the previous COPY's upper dir; `lowers` are the parent's
 * layer dirs) for a directory source `root` (at `rootAbs`) copied into the container directory
 * `dest`. Returns the paths it touched (relative to the layer root), or undefined, having changed
 * nothing that matters, when it cannot be done exactly.
 */
export async function applyCopyPatch(
  layer: string,
  lowers: readonly string[],
  dest: string,
  root: string,
  rootAbs: string,
  plan: CopyPatchPlan,
  opts: CopyOptions,
): Promise<string[] | undefined> {
  // The destination must be a plain directory path in every layer (no symlink to resolve).
  const parts = dest.split("/").filter((s) => s !== "" && s !== ".");
  if (parts.includes("..")) return undefined;
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join("/");
    for (const dir of [layer, ...lowers]) {
      const st = await lstat(path.join(dir, prefix));
      if (st && !st.isDirectory()) return undefined;
    }
  }
  const destDir = path.join(layer, ...parts);
  if (!(await lstat(destDir))?.isDirectory()) return undefined;
  const target = (rel: string) => path.join(destDir, subPath(root, rel)!);
  const source = (rel: string) => path.join(rootAbs, subPath(root, rel)!);
  // Checks first, then changes: giving up must leave nothing half-done that would be kept.
  for (const rel of plan.changed) {
    const st = await lstat(target(rel));
    if (!st || st.isDirectory()) return undefined;
  }
  for (const rel of plan.added) {
    if (!(await lstat(path.dirname(target(rel))))?.isDirectory()) return undefined;
    const sub = path.join(...parts, subPath(root, rel)!);
    for (const dir of [layer, ...lowers]) if (await lstat(path.join(dir, sub))) return undefined;
  }
  for (const rel of plan.removed) await fs.rm(target(rel), { recursive: true, force: true });
  await Promise.all(
    [...plan.changed, ...plan.added].map((rel) => copyEntry(source(rel), rel, target(rel), opts)),
  );
  return [...plan.removed, ...plan.changed, ...plan.added].map((rel) =>
    path.posix.join(...parts, subPath(root, rel)!),
  );
}
