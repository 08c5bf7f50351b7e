/**
 * The local half of `cp`: tar a host path for PUT /containers/{id}/archive, and extract the tar of
 * GET /containers/{id}/archive onto the host, as docker's archive package does (no chown on the
 * host, a directory never silently replaced by a file or the other way round, nothing written
 * outside the destination).
 */
import { createReadStream, createWriteStream, promises as fs, type Stats } from "node:fs";
import { PassThrough, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import tar from "tar-stream";
import {
  baseName,
  type CopyInfo,
  cleanPath,
  dirName,
  joinPath,
  rebaseNameFor,
  splitPathDirEntry,
} from "./_cp-paths.js";

const exists = (p: string) =>
  fs.lstat(p).then(
    (s) => s,
    () => undefined,
  );

/** CopyInfoDestinationPath: follows symlinks at the destination; its parent must be a directory. */
export async function destinationInfo(path: string): Promise<CopyInfo> {
  let p = path;
  let stat = await exists(p);
  for (let n = 0; stat?.isSymbolicLink(); n++) {
    if (n > 10) throw new Error(`too many symlinks in ${path}`);
    let target = await fs.readlink(p);
    if (!target.startsWith("/")) target = joinPath(splitPathDirEntry(p)[0], target);
    p = target;
    stat = await exists(p);
  }
  if (stat) return { path: p, exists: true, isDir: stat.isDirectory() };
  const [parent] = splitPathDirEntry(p);
  const parentStat = await fs.stat(parent).catch(() => {
    throw new Error(`stat ${parent}: no such file or directory`);
  });
  if (!parentStat.isDirectory()) throw new Error("not a directory");
  return { path: p, exists: false, isDir: false };
}

/** CopyInfoSourcePath: the host source, its symlinks followed with -L (or only in its parents). */
export async function sourceInfo(path: string, followLink: boolean): Promise<CopyInfo> {
  let resolved: string;
  let rebaseName: string | undefined;
  const missing = () => new Error(`lstat ${path}: no such file or directory`);
  if (followLink) {
    ({ path: resolved, rebaseName } = rebaseNameFor(
      path,
      await fs.realpath(path).catch(() => Promise.reject(missing())),
    ));
  } else {
    const slash = path.lastIndexOf("/");
    const dir = await fs.realpath(path.slice(0, slash + 1) || ".").catch(() => Promise.reject(missing()));
    resolved = `${dir === "/" ? "" : dir}/${path.slice(slash + 1)}`;
    if (path.endsWith("/") && baseName(path) !== baseName(resolved)) rebaseName = baseName(path);
  }
  const stat = await fs.lstat(resolved).catch(() => Promise.reject(missing()));
  return { path: resolved, exists: true, isDir: stat.isDirectory(), rebaseName };
}

type Header = Partial<tar.Header> & { name: string };

function headerFor(name: string, st: Stats, linkname?: string): Header {
  const base = { name, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: st.mtime };
  if (linkname !== undefined) return { ...base, type: "link", linkname, size: 0 };
  if (st.isDirectory()) return { ...base, name: `${name}/`, type: "directory" };
  if (st.isFIFO()) return { ...base, type: "fifo" };
  if (st.isCharacterDevice() || st.isBlockDevice()) {
    const devmajor = Number((BigInt(st.rdev) >> 8n) & 0xfffn);
    const devminor = Number((BigInt(st.rdev) & 0xffn) | ((BigInt(st.rdev) >> 12n) & 0xfff00n));
    return {
      ...base,
      type: st.isCharacterDevice() ? "character-device" : "block-device",
      devmajor,
      devminor,
    };
  }
  return { ...base, type: "file", size: st.size };
}

/**
 * TarResource: a tar of `info.path` whose top entry is its base name (or "." and "./..." for a
 * "dir/." source), renamed to info.rebaseName, then through `rename` (the destination's rebase).
 */
export function tarResource(info: CopyInfo, rename: (name: string) => string = (n) => n): Readable {
  const pack = tar.pack();
  const out = new PassThrough();
  pack.pipe(out);
  const [sourceDir, sourceBase] = splitPathDirEntry(info.path);
  const bodiless = (header: Header) =>
    new Promise<void>((resolve, reject) => {
      pack.entry(header, (err) => (err ? reject(err) : resolve()));
    });
  const seenInodes = new Map<string, string>();
  const add = async (hostPath: string, rel: string): Promise<void> => {
    const st = await fs.lstat(hostPath);
    if (st.isSocket()) return;
    let name = rel;
    if (info.rebaseName) name = name.replace(sourceBase, () => info.rebaseName!);
    name = rename(name);
    const inode = `${st.dev}:${st.ino}`;
    const first = st.isFile() && st.nlink > 1 ? seenInodes.get(inode) : undefined;
    if (st.isFile() && st.nlink > 1 && first === undefined) seenInodes.set(inode, name);
    if (st.isSymbolicLink()) {
      await bodiless({
        ...headerFor(name, st),
        type: "symlink",
        linkname: await fs.readlink(hostPath),
        size: 0,
      });
    } else if (first !== undefined || !st.isFile()) {
      await bodiless(headerFor(name, st, first));
    } else {
      await pipeline(createReadStream(hostPath), pack.entry(headerFor(name, st)));
    }
    if (st.isDirectory()) {
      for (const child of (await fs.readdir(hostPath)).sort()) {
        await add(`${hostPath}/${child}`, `${rel}/${child}`);
      }
    }
  };
  const root = sourceBase === "." ? sourceDir : joinPath(sourceDir, sourceBase);
  add(root, sourceBase).then(
    () => pack.finalize(),
    (err: unknown) => {
      pack.destroy(err as Error);
      out.destroy(err as Error);
    },
  );
  return out;
}

export interface UntarOptions {
  /** Renames entries (and hardlink targets) before they are written. */
  readonly rename?: (name: string) => string;
  /** Counts the archive's bytes as they pass. */
  readonly onBytes?: (n: number) => void;
}

/** Where an entry goes under `dest`; refuses names that climb out of it. */
function target(dest: string, name: string): string {
  const clean = cleanPath(name);
  if (clean === ".." || clean.startsWith("../") || clean.startsWith("/")) {
    throw new Error(`${JSON.stringify(name)} is outside of ${JSON.stringify(dest)}`);
  }
  return joinPath(dest, clean);
}

/** Untar with NoLchown and NoOverwriteDirNonDir, as `docker cp` extracts on the host. */
export async function untar(input: Readable, dest: string, opts: UntarOptions = {}): Promise<void> {
  const extract = tar.extract();
  const counter = new PassThrough();
  counter.on("data", (b: Buffer) => opts.onBytes?.(b.length));
  const feeding = pipeline(input, counter, extract);
  feeding.catch(() => undefined);
  try {
    await extractEntries(extract, dest, opts);
  } catch (err) {
    input.destroy();
    extract.destroy();
    throw err;
  }
  await feeding;
}

async function extractEntries(extract: tar.Extract, dest: string, opts: UntarOptions): Promise<void> {
  const dirTimes: [string, Date][] = [];
  const rename = opts.rename ?? ((n: string) => n);
  for await (const entry of extract) {
    const h = entry.header;
    const name = rename(h.name);
    const path = target(dest, name);
    const existing = await exists(path);
    const isDir = h.type === "directory";
    if (existing?.isDirectory() && cleanPath(name) === ".") {
      entry.resume();
      continue;
    }
    if (existing?.isDirectory() && !isDir) {
      throw new Error(
        `cannot overwrite directory ${JSON.stringify(path)} with non-directory ${JSON.stringify(name)}`,
      );
    }
    if (existing && !existing.isDirectory() && isDir) {
      throw new Error(
        `cannot overwrite non-directory ${JSON.stringify(path)} with directory ${JSON.stringify(name)}`,
      );
    }
    if (existing && !(existing.isDirectory() && isDir)) await fs.rm(path, { recursive: true, force: true });
    await fs.mkdir(dirName(path), { recursive: true });
    const mode = (h.mode ?? 0o644) & 0o7777;
    switch (h.type) {
      case "directory":
        if (!existing) await fs.mkdir(path, { mode });
        await fs.chmod(path, mode);
        dirTimes.push([path, h.mtime ?? new Date()]);
        entry.resume();
        continue;
      case "symlink":
        await fs.symlink(h.linkname ?? "", path);
        entry.resume();
        await fs.lutimes(path, h.mtime ?? new Date(), h.mtime ?? new Date()).catch(() => undefined);
        continue;
      case "link":
        await fs.link(target(dest, rename(h.linkname ?? "")), path);
        entry.resume();
        continue;
      case "file":
      case "contiguous-file":
      case undefined:
      case null:
        await pipeline(entry, createWriteStream(path, { mode }));
        await fs.chmod(path, mode);
        break;
      default:
        // Devices and FIFOs: Node cannot make them; skipped, as an unprivileged docker would fail to.
        entry.resume();
        continue;
    }
    await fs.utimes(path, h.mtime ?? new Date(), h.mtime ?? new Date());
  }
  for (const [dir, mtime] of dirTimes.reverse()) await fs.utimes(dir, mtime, mtime).catch(() => undefined);
}
