/**
 * Turns an overlay upper directory (the changes of one snapshot) into a layer tar, in Docker's
 * conventions: a 0:0 character device becomes an empty ".wh.<name>" file, a directory with
 * trusted.overlay.opaque=y is followed by a ".wh..wh..opq" entry, files sharing an inode become
 * hardlink entries to the first name.
 *
 * The output is deterministic: entries in byte order of their names, directories before their
 * contents, mtimes in whole seconds, no atime/ctime, no user or group names, and overlay's own
 * xattrs (trusted.overlay.*) left out. The same tree gives the same diffID.
 */

import { constants, promises as fs, type Stats } from "node:fs";
import path from "node:path";
import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type Digest, DigestingStream } from "../../lib/digest.js";
import { invalidArgument } from "../../lib/errors.js";
import { type CommandRunner, spawnRunner } from "../../lib/exec.js";
import { joinRel, parentOf } from "./entry-path.js";
import { fileBody, headerFromStat } from "./tar-file-entry.js";
import { END_OF_ARCHIVE, encodeHeader, paddingOf } from "./tar-header.js";
import {
  OVERLAY_OPAQUE_XATTR,
  OVERLAY_WHITEOUT_XATTR,
  OVERLAY_XATTR_PREFIX,
  WHITEOUT_OPAQUE,
  WHITEOUT_PREFIX,
} from "./whiteout.js";
import { readXattrTree } from "./xattrs.js";

export interface LayerDiffOptions {
  /** Runs getfattr (one call for the whole tree). */
  runner?: CommandRunner;
}

export interface LayerDiffResult {
  /** Bytes of the uncompressed tar written. */
  size: number;
  /** sha256 of the uncompressed tar: the layer's diffID. */
  diffId: Digest;
}

/** Linux dev_t -> major/minor, as glibc's gnu_dev_major/gnu_dev_minor. */
export function deviceNumbers(rdev: number): { major: number; minor: number } {
  const d = BigInt(rdev);
  const major = ((d & 0xfff00n) >> 8n) | ((d & 0xfffff00000000000n) >> 32n);
  const minor = (d & 0xffn) | ((d & 0xffffff00000n) >> 12n);
  return { major: Number(major), minor: Number(minor) };
}

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

export interface WalkState {
  root: string;
  xattrs: Map<string, Map<string, Buffer>>;
  /** dev:ino -> first name, for files with more than one link. */
  links: Map<string, string>;
}

function layerXattrs(all: Map<string, Buffer> | undefined): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const [name, value] of [...(all ?? [])].sort(([a], [b]) => byteOrder(a, b))) {
    if (!name.startsWith(OVERLAY_XATTR_PREFIX)) out.set(name, value);
  }
  return out;
}

export async function* entryOf(s: WalkState, rel: string, st: Stats, body?: Buffer): AsyncGenerator<Buffer> {
  const abs = path.join(s.root, rel);
  const attrs = s.xattrs.get(abs);
  const whiteout =
    (st.isCharacterDevice() && st.rdev === 0) || (st.isFile() && attrs?.has(OVERLAY_WHITEOUT_XATTR));
  if (whiteout) {
    const name = joinRel(parentOf(rel), WHITEOUT_PREFIX + path.posix.basename(rel));
    yield encodeHeader({ ...headerFromStat(name, st), mode: 0o600 });
    return;
  }
  const h = headerFromStat(rel, st);
  h.xattrs = layerXattrs(attrs);
  if (st.isDirectory()) {
    yield encodeHeader({ ...h, name: `${rel}/`, type: "dir" });
    if (attrs?.get(OVERLAY_OPAQUE_XATTR)?.toString() === "y") {
      yield encodeHeader({ ...headerFromStat(`${rel}/${WHITEOUT_OPAQUE}`, st), mode: st.mode & 0o777 });
    }
  } else if (st.isFile()) {
    const key = `${st.dev}:${st.ino}`;
    const first = st.nlink > 1 ? s.links.get(key) : undefined;
    if (first !== undefined) {
      yield encodeHeader({ ...h, type: "hardlink", linkname: first, xattrs: new Map() });
      return;
    }
    if (st.nlink > 1) s.links.set(key, rel);
    yield encodeHeader({ ...h, size: st.size });
    if (body && body.length === st.size) {
      yield body;
      const pad = paddingOf(st.size);
      if (pad) yield Buffer.alloc(pad);
    } else yield* fileBody(abs, st.size, { padIfShrunk: false, name: `layer diff: ${rel}` });
  } else if (st.isSymbolicLink()) {
    yield encodeHeader({ ...h, type: "symlink", linkname: await fs.readlink(abs) });
  } else if (st.isCharacterDevice() || st.isBlockDevice()) {
    const { major, minor } = deviceNumbers(st.rdev);
    const type = st.isCharacterDevice() ? "char" : "block";
    yield encodeHeader({ ...h, type, devmajor: major, devminor: minor });
  } else if (st.isFIFO()) {
    yield encodeHeader({ ...h, type: "fifo" });
  }
  // sockets are not part of a layer (Docker skips them too)
}

/** Entries looked at together: their lstat and small bodies are read in parallel. */
const BATCH = 64;
/** Files up to this size are read ahead whole (at most BATCH of them at once). */
const SMALL = 64 * 1024;

async function readSmall(abs: string, st: Stats): Promise<Buffer | undefined> {
  // Files with other links are read too: in a layer cloned with hard links from an earlier one
  // (an incremental COPY) every file has them, and entryOf ignores the body of a hardlink entry.
  if (!st.isFile() || st.size > SMALL) return undefined;
  const fh = await fs.open(abs, constants.O_RDONLY | constants.O_NOFOLLOW).catch(() => undefined);
  if (!fh) return undefined;
  try {
    return await fh.readFile();
  } finally {
    await fh.close();
  }
}

async function* walk(s: WalkState, relDir: string): AsyncGenerator<Buffer> {
  const names = (await fs.readdir(relDir === "" ? s.root : path.join(s.root, relDir))).sort(byteOrder);
  for (let i = 0; i < names.length; i += BATCH) {
    const rels = names.slice(i, i + BATCH).map((name) => joinRel(relDir, name));
    const stats = await Promise.all(rels.map((rel) => fs.lstat(path.join(s.root, rel))));
    const bodies = await Promise.all(rels.map((rel, k) => readSmall(path.join(s.root, rel), stats[k]!)));
    for (const [k, rel] of rels.entries()) {
      const st = stats[k]!;
      yield* entryOf(s, rel, st, bodies[k]);
      if (st.isDirectory()) yield* walk(s, rel);
    }
  }
}

async function* diffTar(upperDir: string, runner: CommandRunner): AsyncGenerator<Buffer> {
  const root = path.resolve(upperDir);
  const st = await fs.lstat(root);
  if (!st.isDirectory()) throw invalidArgument(`layer diff: ${root} is not a directory`);
  const state: WalkState = { root, xattrs: await readXattrTree(runner, root), links: new Map() };
  yield* walk(state, "");
  yield END_OF_ARCHIVE;
}

/** The layer tar (uncompressed) of an overlay upper directory, as a stream. */
export function layerDiff(upperDir: string, opts: LayerDiffOptions = {}): Readable {
  return Readable.from(diffTar(upperDir, opts.runner ?? spawnRunner), { objectMode: false });
}

/** Writes the layer tar of an overlay upper directory to `out` (and ends it). */
export async function writeLayerDiff(
  upperDir: string,
  out: Writable,
  opts: LayerDiffOptions = {},
): Promise<LayerDiffResult> {
  const digester = new DigestingStream();
  await pipeline(layerDiff(upperDir, opts), digester, out);
  return { size: digester.size, diffId: digester.digest };
}
