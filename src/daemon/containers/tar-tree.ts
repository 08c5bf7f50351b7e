/**
 * A tar stream of a directory tree or a single file on the host, as `docker export` and
 * `docker cp` (GET archive) send it. Symlinks are archived as links and never followed; files are
 * opened with O_NOFOLLOW; sockets are left out (as Go's archive/tar callers do). Files sharing an
 * inode become hardlink entries to the first name. Entries that vanish while the tree is read (a
 * running container) are skipped; a file that shrinks is padded so the archive stays well formed.
 */
import { promises as fs, type Stats } from "node:fs";
import path from "node:path";
import {
  deviceNumbers,
  END_OF_ARCHIVE,
  encodeHeader,
  fileBody,
  headerFromStat,
} from "../../image/archive/index.js";
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

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

async function lstatOrUndefined(p: string): Promise<Stats | undefined> {
  try {
    return await fs.lstat(p);
  } catch (err) {
    const code = errnoCode(err);
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw err;
  }
}

class TreeWriter {
  /** dev:ino -> first archive name, for files with more than one link. */
  readonly #links = new Map<string, string>();
  readonly #overrides: ReadonlyMap<string, string>;

  constructor(overrides: ReadonlyMap<string, string> = new Map()) {
    this.#overrides = overrides;
  }

  async *entry(abs: string, name: string, st: Stats): AsyncGenerator<Buffer> {
    const h = headerFromStat(name, st);
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
        opened = fileBody(abs, st.size, { padIfShrunk: true, name });
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
