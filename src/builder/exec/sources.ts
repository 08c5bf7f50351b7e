/**
 * COPY/ADD sources: which paths of a root (the build context, or a --from image) a source
 * pattern names, and their cache checksum. Paths never leave the root: `../x` is refused and
 * symlinks are listed as symlinks, never followed.
 *
 *   const found = await findSources(contextDir, ["src/*.js"], { exclude });
 *   const manifest = await sourceManifest(found);
 */
import { createHash } from "node:crypto";
import { createReadStream, promises as fs, lstatSync, readdirSync, type Stats } from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { invalidArgument, notFound } from "../../lib/errors.js";
import type { SourceEntry, SourceManifest } from "../cache/cache-key.js";

/**
 * Paths (relative) left out, e.g. by .dockerignore. For a directory `isDir` is true: a directory
 * whose content an exception may bring back is not excluded, so walkers enter it.
 */
export type Exclude = (rel: string, isDir: boolean) => boolean;

export interface FoundSource {
  /** Relative to the root, "/"-separated; "." for the root itself. */
  rel: string;
  abs: string;
  stat: Stats;
}

export interface FindOptions {
  /** Paths (relative) left out, e.g. by .dockerignore. */
  exclude?: Exclude;
  /** Names the root in errors ("build context"). */
  what?: string;
}

const GLOB = /[*?[]/;

function globRegex(segment: string): RegExp {
  let re = "";
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = segment.indexOf("]", i + 1);
      if (end < 0) throw invalidArgument(`invalid glob pattern: ${segment}`);
      let cls = segment.slice(i + 1, end);
      if (cls.startsWith("^") || cls.startsWith("!")) cls = `^${cls.slice(1)}`;
      re += `[${cls.replace(/\\/g, "\\\\")}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`, "u");
}

/** Cleans a source path against the root: "../x" and "/../x" are outside. */
export function cleanSource(src: string, allowAbsolute: boolean): string {
  const norm = path.posix.normalize(src.replace(/\\/g, "/"));
  if (!allowAbsolute && (norm === ".." || norm.startsWith("../"))) {
    throw invalidArgument(`forbidden path outside the build context: ${src} ()`);
  }
  const rel = path.posix.normalize(`/${norm}`).slice(1).replace(/\/+$/, "");
  return rel === "" ? "." : rel;
}

async function lstat(p: string): Promise<Stats | undefined> {
  try {
    return await fs.lstat(p);
  } catch {
    return undefined;
  }
}

async function expandGlob(root: string, rel: string): Promise<string[]> {
  let current = ["."];
  for (const seg of rel.split("/")) {
    const next: string[] = [];
    for (const dir of current) {
      if (!GLOB.test(seg)) {
        next.push(dir === "." ? seg : `${dir}/${seg}`);
        continue;
      }
      const st = await lstat(path.join(root, dir));
      if (!st?.isDirectory()) continue;
      const re = globRegex(seg);
      for (const name of (await fs.readdir(path.join(root, dir))).sort()) {
        if (re.test(name)) next.push(dir === "." ? name : `${dir}/${name}`);
      }
    }
    current = next;
  }
  return current;
}

/** The sources a COPY/ADD names, in order; not-found when a pattern matches nothing. */
export async function findSources(
  root: string,
  patterns: readonly string[],
  opts: FindOptions & { allowAbsolute?: boolean } = {},
): Promise<FoundSource[]> {
  const out: FoundSource[] = [];
  for (const pattern of patterns) {
    const rel = cleanSource(pattern, opts.allowAbsolute ?? false);
    const candidates = GLOB.test(rel) ? await expandGlob(root, rel) : [rel];
    let matched = 0;
    for (const c of candidates) {
      const abs = path.join(root, c);
      const st = await lstat(abs);
      if (!st) continue;
      if (c !== "." && opts.exclude?.(c, st.isDirectory())) continue;
      out.push({ rel: c, abs, stat: st });
      matched++;
    }
    if (matched === 0) {
      throw notFound(
        `COPY failed: file not found in ${opts.what ?? "build context"} or excluded by .dockerignore: stat ${rel}: file does not exist`,
      );
    }
  }
  return out;
}

/**
 * File digests by (path, inode, size, mtime, ctime): a context read in place (the local fast path),
 * or a kept context synced from a tar (unchanged files keep their inodes), is not re-read when
 * nothing changed. One entry per path, the last digest taken, so forgetDigests can drop a path.
 */
const digests = new Map<string, { stamp: string; hex: string }>();
const MAX_DIGESTS = 200_000;
/** Files up to this size are read in one call (much cheaper than a stream per file). */
const SMALL_FILE = 1 << 20;

const stampOf = (st: Stats) => `${st.ino}\0${st.size}\0${st.mtimeMs}\0${st.ctimeMs}`;

function knownDigest(file: string, st: Stats): string | undefined {
  const d = digests.get(file);
  return d && d.stamp === stampOf(st) ? d.hex : undefined;
}

/**
 * Forgets the digests of files something rewrote or removed (and of everything below `dirs`), so
 * a new file that reuses a freed inode number and lands on the same stamp can never be taken for
 * the old one.
 */
export function forgetDigests(files: readonly string[], dirs: readonly string[] = []): void {
  for (const f of files) digests.delete(f);
  if (dirs.length === 0) return;
  const prefixes = dirs.map((d) => `${d}/`);
  for (const key of digests.keys()) if (prefixes.some((p) => key.startsWith(p))) digests.delete(key);
}

async function fileDigest(file: string, st: Stats): Promise<string> {
  const known = knownDigest(file, st);
  if (known) return known;
  let hex: string;
  if (st.size <= SMALL_FILE)
    hex = createHash("sha256")
      .update(await fs.readFile(file))
      .digest("hex");
  else {
    const h = createHash("sha256");
    await pipeline(createReadStream(file), h);
    hex = h.digest("hex");
  }
  if (digests.size >= MAX_DIGESTS) digests.clear();
  digests.set(file, { stamp: stampOf(st), hex });
  return hex;
}

async function entryOf(abs: string, st: Stats): Promise<SourceEntry | undefined> {
  const base = { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid };
  if (st.isSymbolicLink()) return { type: "symlink", ...base, digest: await fs.readlink(abs) };
  if (st.isDirectory()) return { type: "dir", ...base, digest: "" };
  if (st.isFile()) return { type: "file", ...base, digest: await fileDigest(abs, st) };
  return undefined;
}

const YIELD_EVERY = 1000;

/** Every entry under the sources (directories walked, symlinks not followed), for the cache key. */
export async function sourceManifest(
  sources: readonly FoundSource[],
  exclude?: Exclude,
): Promise<SourceManifest> {
  const out: SourceManifest = {};
  // Directories are listed and their entries stat'ed with synchronous calls: for metadata in the
  // kernel's cache one is a few microseconds, a round trip through the thread pool ten times that
  // (a no-op rebuild of a 3,000-file context is mostly this walk). The event loop gets a turn
  // every YIELD_EVERY entries, so a huge context does not stall the daemon. File digests not in
  // the cache are read asynchronously, in parallel; the manifest's order does not matter.
  let seen = 0;
  const visit = async (rel: string, abs: string, st: Stats): Promise<void> => {
    const e = await entryOf(abs, st);
    if (!e) return;
    out[rel] = e;
    if (!st.isDirectory()) return;
    const names = readdirSync(abs).sort();
    const children: Promise<void>[] = [];
    for (const name of names) {
      if (++seen % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
      const childRel = rel === "." ? name : `${rel}/${name}`;
      const childAbs = path.join(abs, name);
      const cst = lstatSync(childAbs, { throwIfNoEntry: false });
      if (!cst || exclude?.(childRel, cst.isDirectory())) continue;
      const known = cst.isFile() ? knownDigest(childAbs, cst) : undefined;
      if (known) {
        // An unchanged file: no promise at all.
        out[childRel] = { type: "file", mode: cst.mode & 0o7777, uid: cst.uid, gid: cst.gid, digest: known };
      } else children.push(visit(childRel, childAbs, cst));
    }
    await Promise.all(children);
  };
  for (const s of sources) await visit(s.rel, s.abs, s.stat);
  return out;
}
