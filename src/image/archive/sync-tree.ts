/**
 * Makes a directory match a tar stream exactly, writing only what differs. A build context sent
 * as a tar (the docker CLI always sends one) is synced into the directory the previous build left,
 * because creating thousands of small files is what costs (about 1 ms each on this ext4), while
 * reading and comparing them is cheap.
 *
 * Same path rules and safety as applyLayer: names are cleaned (".." above the root is refused),
 * every parent must be a real directory (an entry below a symlink or file this stream made is
 * refused; a leftover from the earlier sync is replaced), hardlinks only point at regular files of
 * this stream, nothing is followed. A context is not a layer: ".wh." names are ordinary files and
 * xattrs are not applied (COPY never carries them).
 *
 * A regular file is kept only when its bytes equal the entry's (never on size and mtime alone:
 * ustar mtimes have 1-s resolution); then owner, mode and mtime are fixed where they differ. A
 * changed file is written beside the old one and renamed over it, so it always gets a new inode
 * and ctime. Paths the stream does not name are removed at the end. On error the directory is
 * half-synced: callers throw it away.
 *
 *   const r = await syncTree(await decompressStream(body), dir);
 *   forget r.rewritten / r.removedDirs in any cache keyed by path
 */
import { randomBytes } from "node:crypto";
import {
  closeSync,
  constants,
  promises as fs,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  type Stats,
} from "node:fs";
import type { FileHandle } from "node:fs/promises";
import path from "node:path";
import { BerthError, invalidArgument, wrap } from "../../lib/errors.js";
import { type CommandRunner, spawnRunner } from "../../lib/exec.js";
import {
  badHardlink,
  deleteAtOrBelow,
  HARDLINK_NOT_EARLIER,
  makeNode,
  parentNotDirectory,
  writeNewFile,
  writesThroughSymlink,
} from "./_entry-fs.js";
import { cleanEntryPath, joinRel, parentOf } from "./entry-path.js";
import type { TarEntryType, TarHeader } from "./tar-header.js";
import { readTar, type TarEntry } from "./tar-reader.js";

export interface SyncTreeOptions {
  /** Runs mknod (device and fifo entries). */
  runner?: CommandRunner;
}

export interface SyncTreeResult {
  /** Entries left as they were (at most their owner, mode or mtime fixed). */
  kept: number;
  /** Entries created or rewritten. */
  written: number;
  /** Paths removed because the stream no longer names them (a removed directory counts once). */
  removed: number;
  /** Absolute paths of files (and other non-directories) written or removed. */
  rewritten: string[];
  /** Absolute paths of directories removed with everything below them. */
  removedDirs: string[];
}

/** Files up to this size are buffered and compared in the background; bigger ones are streamed. */
const SMALL_FILE = 1 << 20;
/**
 * Files up to this size are compared with synchronous reads: for a file in the page cache (a kept
 * context usually is: the last build wrote or read it) open+read+close takes ~10 µs, against ~4
 * thread-pool round trips for the asynchronous calls (a no-op sync of 3,000 files: ~0.2 s against
 * ~0.65 s here). The event loop still gets a turn whenever the tar stream needs more data.
 */
const SYNC_COMPARE = 64 << 10;
/** Small-file jobs in flight (their reads and writes queue on libuv's thread pool). */
const IN_FLIGHT = 24;

const UID = process.getuid?.() ?? 0;
const GID = process.getgid?.() ?? 0;

type Kind = "dir" | "file" | "symlink" | "other";

function fits(st: Stats, type: TarEntryType): boolean {
  if (type === "dir") return st.isDirectory();
  if (type === "file") return st.isFile();
  if (type === "symlink") return st.isSymbolicLink();
  return false; // hardlinks and devices are always made anew
}

const kindOf = (type: TarEntryType): Kind =>
  type === "dir"
    ? "dir"
    : type === "symlink"
      ? "symlink"
      : type === "file" || type === "hardlink"
        ? "file"
        : "other";

/** Whether the file holds exactly `data` (it was lstat'ed as a regular file of that size). */
function sameContentSync(abs: string, data: Buffer): boolean {
  if (data.length === 0) return true;
  const fd = openSync(abs, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const buf = Buffer.allocUnsafe(data.length);
    let got = 0;
    while (got < data.length) {
      const n = readSync(fd, buf, got, data.length - got, got);
      if (n === 0) return false;
      got += n;
    }
    return buf.equals(data);
  } finally {
    closeSync(fd);
  }
}

/** `n` bytes of a file from `pos` (fewer at its end). */
async function readAt(fh: FileHandle, pos: number, n: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(n);
  let got = 0;
  while (got < n) {
    const { bytesRead } = await fh.read(buf, got, n - got, pos + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return buf.subarray(0, got);
}

async function readBody(body: AsyncIterable<Buffer>, size: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(c);
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}

const openNoFollow = (abs: string) => fs.open(abs, constants.O_RDONLY | constants.O_NOFOLLOW);

class TreeSync {
  readonly #root: string;
  readonly #runner: CommandRunner;
  /** What the stream named (or implied, for parents): everything else is removed at the end. */
  readonly #seen = new Map<string, Kind>();
  /** Directory times, set at the end (changing children changes a directory's mtime). */
  readonly #dirTimes = new Map<string, TarHeader>();
  readonly #inflight = new Set<Promise<void>>();
  #failure: { err: unknown } | undefined;
  readonly result: SyncTreeResult = { kept: 0, written: 0, removed: 0, rewritten: [], removedDirs: [] };

  constructor(root: string, runner: CommandRunner) {
    this.#root = root;
    this.#runner = runner;
  }

  #abs(rel: string): string {
    return rel === "" ? this.#root : path.join(this.#root, rel);
  }

  async apply(entry: TarEntry): Promise<void> {
    this.#throwIfFailed();
    const h = entry.header;
    const rel = cleanEntryPath(h.name);
    if (rel === "") {
      if (h.type !== "dir")
        throw invalidArgument(`tar entry ${JSON.stringify(h.name)}: the root is not a directory`);
      await this.#fixMetadata(this.#root, h, lstatSync(this.#root));
      this.#dirTimes.set(rel, h);
      return;
    }
    // A path named twice: the later entry wins, once the earlier one's job is done. A hardlink
    // needs its target written.
    if (this.#seen.has(rel) || h.type === "hardlink") await this.#drain();
    await this.#ensureDir(parentOf(rel), h.name);
    const linkTarget = h.type === "hardlink" ? this.#hardlinkTarget(rel, h) : undefined;
    const abs = this.#abs(rel);
    let existing = lstatSync(abs, { throwIfNoEntry: false });
    const stale =
      existing && (!fits(existing, h.type) || (h.type === "symlink" && readlinkSync(abs) !== h.linkname));
    if (existing && stale) {
      await this.#remove(rel, existing);
      existing = undefined;
    }
    this.#seen.set(rel, kindOf(h.type));
    switch (h.type) {
      case "dir":
        if (existing) {
          await this.#fixMetadata(abs, h, existing);
          this.result.kept++;
        } else {
          await fs.mkdir(abs, 0o700);
          await this.#setMetadata(abs, h);
          this.result.written++;
        }
        this.#dirTimes.set(rel, h);
        return;
      case "file":
        return this.#file(abs, h, entry.body, existing);
      case "symlink":
        if (existing) {
          await this.#fixMetadata(abs, h, existing);
          this.result.kept++;
          return;
        }
        await fs.symlink(h.linkname, abs);
        await this.#setMetadata(abs, h);
        return this.#wrote(abs);
      case "hardlink":
        await fs.link(linkTarget ?? "", abs);
        return this.#wrote(abs); // shares the target's inode and metadata
      case "char":
      case "block":
        await makeNode(this.#runner, abs, h.type === "char" ? "c" : "b", h.devmajor, h.devminor);
        await this.#setMetadata(abs, h);
        return this.#wrote(abs);
      case "fifo":
        await makeNode(this.#runner, abs, "p");
        await this.#setMetadata(abs, h);
        return this.#wrote(abs);
    }
  }

  /**
   * Makes every component of `rel` a real directory. One the stream made as something else is an
   * error (as in applyLayer); a leftover of the earlier sync is replaced, as a fresh extraction
   * would not have it. Implied directories get what applyLayer gives them: mode 0755, our owner.
   */
  async #ensureDir(rel: string, entryName: string): Promise<void> {
    if (rel === "" || this.#seen.get(rel) === "dir") return;
    let cur = "";
    for (const part of rel.split("/")) {
      cur = joinRel(cur, part);
      const kind = this.#seen.get(cur);
      if (kind === "dir") continue;
      if (kind === "symlink") throw writesThroughSymlink(entryName, cur);
      if (kind !== undefined) throw parentNotDirectory(entryName, cur);
      const abs = this.#abs(cur);
      let st = lstatSync(abs, { throwIfNoEntry: false });
      if (st && !st.isDirectory()) {
        await this.#remove(cur, st);
        st = undefined;
      }
      if (!st) {
        await fs.mkdir(abs);
        await fs.chmod(abs, 0o755); // whatever the umask
        this.result.written++;
      } else {
        if (st.uid !== UID || st.gid !== GID) await fs.lchown(abs, UID, GID);
        if ((st.mode & 0o7777) !== 0o755) await fs.chmod(abs, 0o755);
      }
      this.#seen.set(cur, "dir");
    }
  }

  #hardlinkTarget(rel: string, h: TarHeader): string {
    const target = cleanEntryPath(h.linkname, `hardlink target of ${JSON.stringify(h.name)}:`);
    if (target === rel || this.#seen.get(target) !== "file") throw badHardlink(h, HARDLINK_NOT_EARLIER);
    // The target's parents are real directories: the stream made them so before writing it.
    const st = lstatSync(this.#abs(target), { throwIfNoEntry: false });
    if (!st?.isFile()) throw badHardlink(h, "is not a regular file");
    return this.#abs(target);
  }

  /** Removes what is at rel (after any job in flight), and forgets what the stream said of it. */
  async #remove(rel: string, st: Stats): Promise<void> {
    await this.#drain();
    const abs = this.#abs(rel);
    await fs.rm(abs, { recursive: st.isDirectory(), force: true });
    if (st.isDirectory()) {
      this.result.removedDirs.push(abs);
      deleteAtOrBelow(this.#seen, rel);
      deleteAtOrBelow(this.#dirTimes, rel);
    } else {
      this.result.rewritten.push(abs);
      this.#seen.delete(rel);
    }
  }

  #wrote(abs: string): void {
    this.result.written++;
    this.result.rewritten.push(abs);
  }

  /**
   * Small files are buffered (the stream moves on) and handled in the background, except the
   * synchronous compare of those up to SYNC_COMPARE; big ones are compared as they stream.
   */
  async #file(abs: string, h: TarHeader, body: AsyncIterable<Buffer>, existing: Stats | undefined) {
    if (h.size > SMALL_FILE) return this.#syncBigFile(abs, h, body, existing);
    const data = await readBody(body, h.size);
    if (existing && data.length <= SYNC_COMPARE && this.#comparable(existing, h)) {
      if (sameContentSync(abs, data)) return this.#kept(abs, h, existing);
      return this.#spawn(h, () => this.#writeFile(abs, h, data, true));
    }
    return this.#spawn(h, () => this.#syncFile(abs, h, data, existing));
  }

  /** A small file: kept if its bytes are the entry's, else written anew. */
  async #syncFile(abs: string, h: TarHeader, data: Buffer, existing: Stats | undefined): Promise<void> {
    if (existing && this.#comparable(existing, h)) {
      let same = data.length === 0;
      if (!same) {
        const fh = await openNoFollow(abs);
        try {
          same = (await readAt(fh, 0, data.length)).equals(data);
        } finally {
          await fh.close();
        }
      }
      if (same) return this.#kept(abs, h, existing);
    }
    await this.#writeFile(abs, h, data, existing !== undefined);
  }

  /** A big file, compared as it streams; from the first difference on, the new file is written. */
  async #syncBigFile(
    abs: string,
    h: TarHeader,
    body: AsyncIterable<Buffer>,
    existing: Stats | undefined,
  ): Promise<void> {
    if (!existing || !this.#comparable(existing, h))
      return this.#writeFile(abs, h, body, existing !== undefined);
    const fh = await openNoFollow(abs);
    try {
      const it = body[Symbol.asyncIterator]();
      let off = 0;
      for (let r = await it.next(); !r.done; r = await it.next()) {
        const chunk = r.value;
        if ((await readAt(fh, off, chunk.length)).equals(chunk)) {
          off += chunk.length;
          continue;
        }
        // The old file's first `off` bytes are the entry's: copy them, then the rest of the stream.
        const differing = chunk;
        const spliced = (async function* () {
          for (let p = 0; p < off; p += SMALL_FILE) yield await readAt(fh, p, Math.min(SMALL_FILE, off - p));
          yield differing;
          for (let n = await it.next(); !n.done; n = await it.next()) yield n.value;
        })();
        return await this.#writeFile(abs, h, spliced, true);
      }
    } finally {
      await fh.close();
    }
    await this.#kept(abs, h, existing);
  }

  async #kept(abs: string, h: TarHeader, st: Stats): Promise<void> {
    await this.#fixMetadata(abs, h, st);
    this.result.kept++;
  }

  /**
   * Only a lone regular file of the same size can be kept: a file with other hard links shares its
   * metadata with paths this entry does not describe.
   */
  #comparable(st: Stats, h: TarHeader): boolean {
    return st.isFile() && st.nlink === 1 && st.size === h.size;
  }

  /** Writes the file with its metadata, beside the old one when there is one, then renames it over. */
  async #writeFile(
    abs: string,
    h: TarHeader,
    body: AsyncIterable<Buffer> | Buffer,
    replace: boolean,
  ): Promise<void> {
    const dest = replace
      ? path.join(path.dirname(abs), `.berth-sync-${randomBytes(6).toString("hex")}`)
      : abs;
    await writeNewFile(dest, body);
    await this.#setMetadata(dest, h);
    if (replace) await fs.rename(dest, abs);
    this.#wrote(abs);
  }

  /** Owner, then mode (chown clears setuid bits), then times (directories: at the end). */
  async #setMetadata(abs: string, h: TarHeader): Promise<void> {
    await fs.lchown(abs, h.uid, h.gid);
    if (h.type !== "symlink") await fs.chmod(abs, h.mode & 0o7777);
    if (h.type !== "dir") await fs.lutimes(abs, h.atime ?? h.mtime, h.mtime);
  }

  /** The same, for an entry kept: only what differs is changed (each change costs a ctime). */
  async #fixMetadata(abs: string, h: TarHeader, st: Stats): Promise<void> {
    const owner = st.uid !== h.uid || st.gid !== h.gid;
    if (owner) await fs.lchown(abs, h.uid, h.gid);
    if (h.type !== "symlink" && (owner || (st.mode & 0o7777) !== (h.mode & 0o7777)))
      await fs.chmod(abs, h.mode & 0o7777);
    if (h.type !== "dir" && Math.abs(st.mtimeMs - h.mtime * 1000) >= 1)
      await fs.lutimes(abs, h.atime ?? h.mtime, h.mtime);
  }

  async #spawn(h: TarHeader, job: () => Promise<void>): Promise<void> {
    while (this.#inflight.size >= IN_FLIGHT) await Promise.race(this.#inflight);
    this.#throwIfFailed();
    const p: Promise<void> = job()
      .catch((err: unknown) => {
        this.#failure ??= {
          err: err instanceof BerthError ? err : wrap(err, `tar entry ${JSON.stringify(h.name)}`),
        };
      })
      .finally(() => this.#inflight.delete(p));
    this.#inflight.add(p);
  }

  /** Waits for every job in flight; throws the first failure. */
  async #drain(): Promise<void> {
    await this.settle();
    this.#throwIfFailed();
  }

  async settle(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.all([...this.#inflight]);
  }

  #throwIfFailed(): void {
    if (this.#failure) throw this.#failure.err;
  }

  /** Once the stream ended: removes what it did not name, then sets directory times. */
  async finish(): Promise<void> {
    await this.#drain();
    await this.#removeUnnamed("");
    for (const [rel, h] of this.#dirTimes) {
      const abs = this.#abs(rel);
      const st = lstatSync(abs);
      if (Math.abs(st.mtimeMs - h.mtime * 1000) >= 1) await fs.lutimes(abs, h.atime ?? h.mtime, h.mtime);
    }
  }

  async #removeUnnamed(rel: string): Promise<void> {
    const work: Promise<void>[] = [];
    for (const d of readdirSync(this.#abs(rel), { withFileTypes: true })) {
      const child = joinRel(rel, d.name);
      const kind = this.#seen.get(child);
      if (kind === "dir" && d.isDirectory()) work.push(this.#removeUnnamed(child));
      else if (kind === undefined) {
        const abs = this.#abs(child);
        (d.isDirectory() ? this.result.removedDirs : this.result.rewritten).push(abs);
        this.result.removed++;
        work.push(fs.rm(abs, { recursive: d.isDirectory(), force: true }));
      }
    }
    await Promise.all(work);
  }
}

/**
 * Makes `dir` (which must exist) hold exactly what the uncompressed tar holds. On error the
 * directory is left half-synced: the caller must not use it again.
 */
export async function syncTree(
  tar: AsyncIterable<Uint8Array | string>,
  dir: string,
  opts: SyncTreeOptions = {},
): Promise<SyncTreeResult> {
  const root = path.resolve(dir);
  const st = lstatSync(root, { throwIfNoEntry: false });
  if (!st?.isDirectory()) throw invalidArgument(`syncing a context: ${root} is not a directory`);
  const s = new TreeSync(root, opts.runner ?? spawnRunner);
  try {
    for await (const entry of readTar(tar)) {
      try {
        await s.apply(entry);
      } catch (err) {
        throw err instanceof BerthError ? err : wrap(err, `tar entry ${JSON.stringify(entry.header.name)}`);
      }
    }
    await s.finish();
  } finally {
    // Never return (and let the caller remove the directory) while a job still writes in it.
    await s.settle();
  }
  return s.result;
}
