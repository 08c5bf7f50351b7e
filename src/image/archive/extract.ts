/**
 * Applies a layer tar to a directory in overlay format: the directory becomes one overlayfs layer
 * (a lower, or the upper of an active snapshot), with whiteouts as 0:0 character devices and
 * opaque directories marked by trusted.overlay.opaque=y.
 *
 * Safety: nothing is ever written outside `dir`. Names that climb out with ".." are rejected;
 * every parent of an entry must be a real directory inside `dir` (never a symlink); hardlinks may
 * only point at regular files this same layer extracted; symlinks are created, never followed.
 * Overlay's own xattrs (trusted.overlay.*) are not taken from the tar: they would let a layer
 * redirect overlayfs to other paths.
 */
import { createHash } from "node:crypto";
import { promises as fs, type Stats } from "node:fs";
import path from "node:path";
import type { Digest } from "../../lib/digest.js";
import { BerthError, invalidArgument, wrap } from "../../lib/errors.js";
import { type CommandRunner, spawnRunner } from "../../lib/exec.js";
import {
  badHardlink,
  deleteAtOrBelow,
  HARDLINK_NOT_EARLIER,
  lstatOrUndefined,
  makeNode,
  parentNotDirectory,
  writeNewFile,
  writesThroughSymlink,
} from "./_entry-fs.js";
import { baseOf, cleanEntryPath, joinRel, parentOf } from "./entry-path.js";
import type { TarHeader } from "./tar-header.js";
import { readTar, type TarEntry } from "./tar-reader.js";
import { classifyWhiteout, OVERLAY_OPAQUE_XATTR, OVERLAY_XATTR_PREFIX } from "./whiteout.js";
import { setXattr } from "./xattrs.js";

export interface ApplyLayerOptions {
  /** Runs mknod and setfattr (Node has neither). */
  runner?: CommandRunner;
}

export interface ApplyLayerResult {
  /** Bytes of file content the layer holds (Docker's layer size, what `history` shows). */
  size: number;
  /** Bytes of the uncompressed layer tar. */
  tarSize: number;
  /** sha256 of the uncompressed layer tar: the layer's diffID. */
  diffId: Digest;
  /** Things skipped without failing, e.g. xattrs the filesystem refused (as Docker tolerates). */
  warnings: string[];
}

type Times = { atime: number; mtime: number };

class LayerExtractor {
  readonly #root: string;
  readonly #runner: CommandRunner;
  /** Relative paths already checked to be real directories. */
  readonly #dirs = new Set<string>();
  /** Regular files this layer created: the only valid hardlink targets. */
  readonly #files = new Set<string>();
  /** Whiteouts this layer created: a directory replacing one becomes opaque. */
  readonly #whiteouts = new Set<string>();
  /** Directory times, set at the end (creating children changes a directory's mtime). */
  readonly #dirTimes = new Map<string, Times>();
  readonly warnings: string[] = [];
  contentSize = 0;

  constructor(root: string, runner: CommandRunner) {
    this.#root = root;
    this.#runner = runner;
  }

  #abs(rel: string): string {
    return rel === "" ? this.#root : path.join(this.#root, rel);
  }

  async apply(entry: TarEntry): Promise<void> {
    const h = entry.header;
    const rel = cleanEntryPath(h.name);
    const ws = classifyWhiteout(baseOf(rel));
    if (ws?.kind === "invalid") {
      throw invalidArgument(`tar entry ${JSON.stringify(h.name)}: invalid whiteout`);
    }
    if (ws?.kind === "meta") return;
    if (ws?.kind === "opaque") {
      await this.#ensureDir(parentOf(rel), h.name);
      await this.#xattr(this.#abs(parentOf(rel)), OVERLAY_OPAQUE_XATTR, Buffer.from("y"));
      return;
    }
    if (ws?.kind === "whiteout") return this.#whiteout(joinRel(parentOf(rel), ws.target), h);
    if (rel === "") {
      if (h.type !== "dir") {
        throw invalidArgument(`tar entry ${JSON.stringify(h.name)}: the layer root is not a directory`);
      }
      return this.#metadata(rel, h);
    }
    await this.#ensureDir(parentOf(rel), h.name);
    const linkTarget = h.type === "hardlink" ? await this.#hardlinkTarget(rel, h) : undefined;
    const abs = this.#abs(rel);
    const existing = await lstatOrUndefined(abs);
    const replacesWhiteout = this.#whiteouts.has(rel);
    const merge = existing?.isDirectory() === true && h.type === "dir";
    if (existing && !merge) await this.#remove(rel, existing);
    switch (h.type) {
      case "dir":
        if (!merge) await fs.mkdir(abs, 0o700);
        this.#dirs.add(rel);
        if (replacesWhiteout) await this.#xattr(abs, OVERLAY_OPAQUE_XATTR, Buffer.from("y"));
        break;
      case "file":
        await writeNewFile(abs, entry.body);
        this.#files.add(rel);
        this.contentSize += h.size;
        break;
      case "hardlink":
        await fs.link(linkTarget ?? "", abs);
        this.#files.add(rel);
        return; // shares the target's inode and metadata
      case "symlink":
        await fs.symlink(h.linkname, abs);
        break;
      case "char":
      case "block":
        await this.#mknod(abs, h.type === "char" ? "c" : "b", h.devmajor, h.devminor);
        break;
      case "fifo":
        await this.#mknod(abs, "p");
        break;
    }
    await this.#metadata(rel, h);
  }

  /** Makes sure every component of `rel` is a real directory, creating missing ones (0755). */
  async #ensureDir(rel: string, entryName: string): Promise<void> {
    if (rel === "" || this.#dirs.has(rel)) return;
    let cur = "";
    for (const part of rel.split("/")) {
      cur = joinRel(cur, part);
      if (this.#dirs.has(cur)) continue;
      const abs = this.#abs(cur);
      const st = await lstatOrUndefined(abs);
      if (st?.isSymbolicLink()) throw writesThroughSymlink(entryName, cur);
      if (st && !st.isDirectory() && !this.#whiteouts.has(cur)) throw parentNotDirectory(entryName, cur);
      if (!st?.isDirectory()) {
        if (st) await this.#remove(cur, st);
        await fs.mkdir(abs);
        await fs.chmod(abs, 0o755); // whatever the umask
        if (st) await this.#xattr(abs, OVERLAY_OPAQUE_XATTR, Buffer.from("y"));
      }
      this.#dirs.add(cur);
    }
  }

  async #hardlinkTarget(rel: string, h: TarHeader): Promise<string> {
    const target = cleanEntryPath(h.linkname, `hardlink target of ${JSON.stringify(h.name)}:`);
    if (target === rel || !this.#files.has(target)) throw badHardlink(h, HARDLINK_NOT_EARLIER);
    await this.#ensureDir(parentOf(target), h.name);
    const st = await lstatOrUndefined(this.#abs(target));
    if (!st?.isFile()) throw badHardlink(h, "is not a regular file");
    return this.#abs(target);
  }

  /** Removes what is at rel, and forgets what the layer knew about it (and below it, for a directory). */
  async #remove(rel: string, st: Stats): Promise<void> {
    await fs.rm(this.#abs(rel), { recursive: st.isDirectory(), force: true });
    for (const known of [this.#dirs, this.#files, this.#whiteouts, this.#dirTimes]) {
      if (st.isDirectory()) deleteAtOrBelow(known, rel);
      else known.delete(rel);
    }
  }

  async #whiteout(rel: string, h: TarHeader): Promise<void> {
    await this.#ensureDir(parentOf(rel), h.name);
    const abs = this.#abs(rel);
    const existing = await lstatOrUndefined(abs);
    if (existing) await this.#remove(rel, existing);
    await this.#mknod(abs, "c", 0, 0);
    await fs.lchown(abs, h.uid, h.gid);
    this.#whiteouts.add(rel);
  }

  async #mknod(abs: string, kind: "c" | "b" | "p", major = 0, minor = 0): Promise<void> {
    await makeNode(this.#runner, abs, kind, major, minor);
  }

  async #xattr(abs: string, name: string, value: Buffer): Promise<void> {
    if (!(await setXattr(this.#runner, abs, name, value))) {
      this.warnings.push(`xattr ${name} not supported on ${path.relative(this.#root, abs) || "/"}`);
    }
  }

  /** Owner, then mode (chown clears setuid bits), then xattrs (chown clears capabilities), then times. */
  async #metadata(rel: string, h: TarHeader): Promise<void> {
    const abs = this.#abs(rel);
    await fs.lchown(abs, h.uid, h.gid);
    if (h.type !== "symlink") await fs.chmod(abs, h.mode & 0o7777);
    for (const [name, value] of h.xattrs) {
      if (name.startsWith(OVERLAY_XATTR_PREFIX)) {
        this.warnings.push(`ignored xattr ${name} on ${rel || "/"}`);
        continue;
      }
      await this.#xattr(abs, name, value);
    }
    const times = { atime: h.atime ?? h.mtime, mtime: h.mtime };
    if (h.type === "dir") this.#dirTimes.set(rel, times);
    else await fs.lutimes(abs, times.atime, times.mtime);
  }

  async finish(): Promise<void> {
    for (const [rel, t] of this.#dirTimes) await fs.lutimes(this.#abs(rel), t.atime, t.mtime);
  }
}

function toBuffer(chunk: Uint8Array | string): Buffer {
  if (typeof chunk === "string") return Buffer.from(chunk);
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * Extracts an uncompressed layer tar (see decompressStream) into `dir`, which must exist. On error
 * the directory is left partly written; callers extract into a fresh snapshot and remove it.
 */
export async function applyLayer(
  tar: AsyncIterable<Uint8Array | string>,
  dir: string,
  opts: ApplyLayerOptions = {},
): Promise<ApplyLayerResult> {
  const root = path.resolve(dir);
  const st = await lstatOrUndefined(root);
  if (!st?.isDirectory()) throw invalidArgument(`applying layer: ${root} is not a directory`);
  const hash = createHash("sha256");
  let tarSize = 0;
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of tar) {
      const b = toBuffer(chunk);
      hash.update(b);
      tarSize += b.length;
      yield b;
    }
  }
  const x = new LayerExtractor(root, opts.runner ?? spawnRunner);
  for await (const entry of readTar(counted())) {
    try {
      await x.apply(entry);
    } catch (err) {
      throw err instanceof BerthError ? err : wrap(err, `tar entry ${JSON.stringify(entry.header.name)}`);
    }
  }
  await x.finish();
  const diffId: Digest = `sha256:${hash.digest("hex")}`;
  return { size: x.contentSize, tarSize, diffId, warnings: x.warnings };
}
