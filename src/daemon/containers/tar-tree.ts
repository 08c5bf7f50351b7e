/**
 * A tar stream of a directory tree or a single file on the host, as `docker export` and
 * `docker cp` (GET archive) send it. Symlinks are archived as links and never followed; files are
 * opened with O_NOFOLLOW; sockets are left out (as Go's archive/tar callers do). Files sharing an
 * inode become hardlink entries to the first name. Entries that vanish while the tree is read (a
 * running container) are skipped; a file that shrinks is padded so the archive stays well formed.
 */
import { constants, promises as fs, type Stats } from "node:fs";
import path from "node:path";
import { END_OF_ARCHIVE, encodeHeader, paddingOf, type TarHeader } from "../../image/archive/index.js";
import { errnoCode } from "../../lib/errors.js";

export interface TreeTarOptions {
  /**
   * Name of the top entry in the archive ("etc" for /etc, "hostname" for a file). "" writes no
   * entry for the top directory and names its contents from the top ("bin/", "bin/sh"): export.
   */
  topName: string;
  /**
   * Files mounted over paths of the tree (the container's /etc/hosts and friends): host path in the
   * tree -> host path of what the container sees there.
   */
  overrides?: ReadonlyMap<string, string>;
}

const READ_CHUNK = 1 << 20;

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** Linux dev_t -> major/minor (glibc's gnu_dev_major/gnu_dev_minor). */
function deviceNumbers(rdev: number): { major: number; minor: number } {
  const d = BigInt(rdev);
  const major = ((d & 0xfff00n) >> 8n) | ((d & 0xfffff00000000000n) >> 32n);
  const minor = (d & 0xffn) | ((d & 0xffffff00000n) >> 12n);
  return { major: Number(major), minor: Number(minor) };
}

async function lstatOrUndefined(p: string): Promise<Stats | undefined> {
  try {
    return await fs.lstat(p);
  } catch (err) {
    const code = errnoCode(err);
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw err;
  }
}

function header(name: string, st: Stats): TarHeader {
  return {
    name,
    type: "file",
    mode: st.mode & 0o7777,
    uid: st.uid,
    gid: st.gid,
    size: 0,
    mtime: Math.floor(st.mtimeMs / 1000),
    linkname: "",
    devmajor: 0,
    devminor: 0,
    xattrs: new Map(),
  };
}

/** Exactly `size` bytes of the file (zero-padded if it shrank), then the block padding. */
async function* content(abs: string, size: number): AsyncGenerator<Buffer> {
  const fh = await fs.open(abs, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    let left = size;
    while (left > 0) {
      const buf = Buffer.alloc(Math.min(left, READ_CHUNK));
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) {
        yield Buffer.alloc(left);
        break;
      }
      left -= bytesRead;
      yield bytesRead === buf.length ? buf : buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
  const pad = paddingOf(size);
  if (pad) yield Buffer.alloc(pad);
}

class TreeWriter {
  /** dev:ino -> first archive name, for files with more than one link. */
  readonly #links = new Map<string, string>();
  readonly #overrides: ReadonlyMap<string, string>;

  constructor(overrides: ReadonlyMap<string, string> = new Map()) {
    this.#overrides = overrides;
  }

  async *entry(abs: string, name: string, st: Stats): AsyncGenerator<Buffer> {
    const h = header(name, st);
    if (st.isDirectory()) {
      yield encodeHeader({ ...h, name: `${name}/`, type: "dir" });
    } else if (st.isFile()) {
      const key = `${st.dev}:${st.ino}`;
      const first = st.nlink > 1 ? this.#links.get(key) : undefined;
      if (first !== undefined) {
        yield encodeHeader({ ...h, type: "hardlink", linkname: first });
        return;
      }
      let opened: AsyncGenerator<Buffer>;
      try {
        opened = content(abs, st.size);
        const firstChunk = await opened.next(); // opens the file: a vanished one is skipped
        if (st.nlink > 1) this.#links.set(key, name);
        yield encodeHeader({ ...h, size: st.size });
        if (!firstChunk.done) yield firstChunk.value;
      } catch (err) {
        if (errnoCode(err) === "ENOENT" || errnoCode(err) === "ELOOP") return;
        throw err;
      }
      yield* opened;
    } else if (st.isSymbolicLink()) {
      let target: string;
      try {
        target = await fs.readlink(abs);
      } catch (err) {
        if (errnoCode(err) === "ENOENT" || errnoCode(err) === "EINVAL") return;
        throw err;
      }
      yield encodeHeader({ ...h, type: "symlink", linkname: target });
    } else if (st.isCharacterDevice() || st.isBlockDevice()) {
      const { major, minor } = deviceNumbers(st.rdev);
      const type = st.isCharacterDevice() ? "char" : "block";
      yield encodeHeader({ ...h, type, devmajor: major, devminor: minor });
    } else if (st.isFIFO()) {
      yield encodeHeader({ ...h, type: "fifo" });
    }
  }

  async *walk(absDir: string, prefix: string): AsyncGenerator<Buffer> {
    let names: string[];
    try {
      names = (await fs.readdir(absDir)).sort(byteOrder);
    } catch (err) {
      if (errnoCode(err) === "ENOENT" || errnoCode(err) === "ENOTDIR") return;
      throw err;
    }
    for (const n of names) {
      const inTree = path.join(absDir, n);
      const abs = this.#overrides.get(inTree) ?? inTree;
      const st = await lstatOrUndefined(abs);
      if (!st) continue;
      const name = prefix === "" ? n : `${prefix}/${n}`;
      yield* this.entry(abs, name, st);
      if (st.isDirectory() && abs === inTree) yield* this.walk(abs, name);
    }
  }
}

/** The tar of `abs` (a directory tree or one entry), ended with the end-of-archive blocks. */
export async function* tarTree(abs: string, opts: TreeTarOptions): AsyncGenerator<Buffer> {
  const w = new TreeWriter(opts.overrides);
  const st = await fs.lstat(abs);
  if (st.isDirectory()) {
    if (opts.topName !== "") yield* w.entry(abs, opts.topName, st);
    yield* w.walk(abs, opts.topName);
  } else {
    yield* w.entry(abs, opts.topName || path.basename(abs), st);
  }
  yield END_OF_ARCHIVE;
}
