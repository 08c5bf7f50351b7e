/**
 * The layer tar of an upper directory that differs from an earlier layer's tree only at known
 * paths, made from the earlier layer's tar (as `layerDiff` wrote it) instead of walking and reading
 * the whole tree again: entries of untouched paths are copied byte for byte, the touched paths and
 * their ancestor directories (whose mtimes changed) are written from the directory. The result is
 * the tar `layerDiff(upperDir)` would give, so the diffID is the same.
 *
 *   const tar = await patchLayerDiff(previousTar, upperDir, ["app/src/a.js"]);  // undefined: walk
 */
import { promises as fs, type Stats } from "node:fs";
import path from "node:path";
import { type CommandRunner, spawnRunner } from "../../lib/exec.js";
import { entryOf, type WalkState } from "./diff.js";
import { cleanEntryPath, parentOf } from "./entry-path.js";
import { BLOCK, decodeHeaderBlock, END_OF_ARCHIVE, paddingOf, parsePaxRecords } from "./tar-header.js";
import { WHITEOUT_OPAQUE, WHITEOUT_PREFIX } from "./whiteout.js";
import { parseGetfattrDump } from "./xattrs.js";

/** One entry of a tar in memory: its bytes (extension headers included) and the path it is for. */
interface RawEntry {
  start: number;
  end: number;
  /** The path whose place in the walk the entry takes (a whiteout's is the path it hides). */
  key: string;
}

/** The walk order of layerDiff: components in byte order, a directory before its contents. */
export function walkOrder(a: string, b: string): number {
  const pa = a === "" ? [] : a.split("/");
  const pb = b === "" ? [] : b.split("/");
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const c = Buffer.compare(Buffer.from(pa[i]!), Buffer.from(pb[i]!));
    if (c !== 0) return c;
  }
  return pa.length - pb.length;
}

/** The entries of an uncompressed tar; undefined when it holds what a patch cannot handle. */
function scan(tar: Buffer): RawEntry[] | undefined {
  const out: RawEntry[] = [];
  let pos = 0;
  let start = 0;
  let longName: string | undefined;
  let paxPath: string | undefined;
  while (pos + BLOCK <= tar.length) {
    const raw = decodeHeaderBlock(tar.subarray(pos, pos + BLOCK));
    if (!raw) return out;
    const bodyEnd = pos + BLOCK + raw.size;
    const next = bodyEnd + paddingOf(raw.size);
    if (next > tar.length) return undefined;
    const body = tar.subarray(pos + BLOCK, bodyEnd);
    if (raw.typeflag === "x") {
      paxPath = parsePaxRecords(body).get("path")?.toString("utf8") ?? paxPath;
    } else if (raw.typeflag === "L") {
      longName = body.toString("utf8").replace(/\0+$/, "");
    } else if (raw.typeflag === "g" || raw.typeflag === "K" || raw.typeflag === "1") return undefined;
    else {
      const name = cleanEntryPath(paxPath ?? longName ?? raw.name);
      const base = name.slice(name.lastIndexOf("/") + 1);
      let key = name;
      if (base === WHITEOUT_OPAQUE) key = parentOf(name);
      else if (base.startsWith(WHITEOUT_PREFIX))
        key = path.posix.join(parentOf(name), base.slice(WHITEOUT_PREFIX.length));
      const prev = out.at(-1);
      // Not in layerDiff's order (another writer): the merge below would misplace entries.
      if (prev && walkOrder(prev.key, key) > 0) return undefined;
      if (prev && prev.key === key && base !== WHITEOUT_OPAQUE) return undefined;
      out.push({ start, end: next, key });
      start = next;
      longName = undefined;
      paxPath = undefined;
    }
    pos = next;
  }
  return undefined;
}

const isBelow = (p: string, dir: string) => p.startsWith(`${dir}/`);

/**
 * The new layer tar, or undefined when `previous` is not one `layerDiff` wrote (then walk the
 * tree). `touched`: paths relative to the layer root that were removed, replaced or added since.
 */
export async function patchLayerDiff(
  previous: Buffer,
  upperDir: string,
  touched: readonly string[],
  runner: CommandRunner = spawnRunner,
): Promise<Buffer | undefined> {
  const entries = scan(previous);
  if (!entries) return undefined;
  const root = path.resolve(upperDir);
  const redo = new Set<string>();
  for (const t of touched) for (let p = t; p !== "" && !redo.has(p); p = parentOf(p)) redo.add(p);
  const gone = (key: string) => redo.has(key) || touched.some((t) => isBelow(key, t));

  const present: { rel: string; st: Stats }[] = [];
  for (const rel of [...redo].sort(walkOrder)) {
    const st = await fs.lstat(path.join(root, rel)).catch(() => undefined);
    if (st) present.push({ rel, st });
  }
  const xattrs =
    present.length === 0
      ? new Map<string, Map<string, Buffer>>()
      : parseGetfattrDump(
          (
            await runner.run("getfattr", [
              "-h",
              "-d",
              "-m",
              "-",
              "-e",
              "hex",
              "--absolute-names",
              "--",
              ...present.map((p) => path.join(root, p.rel)),
            ])
          ).stdout,
        );
  const state: WalkState = { root, xattrs, links: new Map() };
  const fresh: { key: string; bytes: Buffer }[] = [];
  for (const { rel, st } of present) {
    // A written file has no other links; one that has might need a hardlink entry: walk instead.
    if (st.isFile() && st.nlink > 1) return undefined;
    const parts: Buffer[] = [];
    for await (const b of entryOf(state, rel, st)) parts.push(b);
    fresh.push({ key: rel, bytes: Buffer.concat(parts) });
  }

  const out: Buffer[] = [];
  let f = 0;
  for (const e of entries) {
    if (gone(e.key)) continue;
    while (f < fresh.length && walkOrder(fresh[f]!.key, e.key) < 0) out.push(fresh[f++]!.bytes);
    out.push(previous.subarray(e.start, e.end));
  }
  while (f < fresh.length) out.push(fresh[f++]!.bytes);
  out.push(END_OF_ARCHIVE);
  return Buffer.concat(out);
}
