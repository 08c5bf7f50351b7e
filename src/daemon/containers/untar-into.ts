/**
 * Extracts a tar (the body of `docker cp` into a container) into a directory of a container's
 * root, as Docker's archive.Untar does inside its chroot: entry names are relative to the
 * destination, missing parents are created, an existing entry is replaced (a directory merges
 * with a directory), and owners come from the tar unless `owner` overrides them.
 *
 * Confinement: every entry's parent is resolved inside the container root with resolveInRoot, so a
 * symlink in the container (or one the same tar just created) is followed as the container would
 * see it and can never lead out of the root. The last component is never followed: an existing
 * symlink there is replaced, files are created with O_EXCL|O_NOFOLLOW, hardlink targets must be
 * inside the destination and not directories.
 */
import { constants, promises as fs, type Stats } from "node:fs";
import path from "node:path";
import { cleanEntryPath, readTar, type TarHeader } from "../../image/archive/index.js";
import { BerthError, errnoCode, invalidArgument, wrap } from "../../lib/errors.js";
import { type CommandRunner, spawnRunner } from "../../lib/exec.js";
import { hostPath, readlinkIn } from "./rootfs-access.js";
import { resolveInRoot } from "./rootfs-path.js";

export interface UntarOptions {
  /** Refuse to replace a directory with a non-directory or the reverse (docker cp sets it). */
  noOverwriteDirNonDir?: boolean;
  /** Owner of everything extracted; the tar's uid/gid when absent. */
  owner?: { uid: number; gid: number };
  /** Runs mknod for devices and fifos. */
  runner?: CommandRunner;
}

type Times = { atime: number; mtime: number };

async function lstatOrUndefined(p: string): Promise<Stats | undefined> {
  try {
    return await fs.lstat(p);
  } catch (err) {
    if (errnoCode(err) === "ENOENT") return undefined;
    throw err;
  }
}

class Extractor {
  readonly #root: string;
  readonly #dest: string;
  readonly #opts: UntarOptions;
  readonly #readlink: ReturnType<typeof readlinkIn>;
  readonly #dirTimes = new Map<string, Times>();

  constructor(root: string, destRel: string, opts: UntarOptions) {
    this.#root = root;
    this.#dest = destRel;
    this.#opts = opts;
    this.#readlink = readlinkIn(root);
  }

  /** Resolves a path below the destination in the container root; the last component as it is. */
  async #resolve(entryRel: string): Promise<string> {
    const full = this.#dest === "" ? entryRel : `${this.#dest}/${entryRel}`;
    const parent = path.posix.dirname(full);
    const parentRel = await resolveInRoot(parent === "." ? "" : parent, this.#readlink);
    await this.#mkdirs(parentRel);
    const base = path.posix.basename(full);
    return parentRel === "" ? base : `${parentRel}/${base}`;
  }

  /** Creates missing directories of a resolved path (its components are not symlinks). */
  async #mkdirs(rel: string): Promise<void> {
    if (rel === "") return;
    let cur = "";
    for (const part of rel.split("/")) {
      cur = cur === "" ? part : `${cur}/${part}`;
      const abs = hostPath(this.#root, cur);
      const st = await lstatOrUndefined(abs);
      if (st?.isDirectory()) continue;
      if (st) throw invalidArgument(`cannot extract into /${cur}: not a directory`);
      await fs.mkdir(abs, 0o755);
    }
  }

  async apply(h: TarHeader, body: AsyncIterable<Buffer>): Promise<void> {
    const name = cleanEntryPath(h.name);
    if (name === "") return; // "." names the destination itself
    const rel = await this.#resolve(name);
    const abs = hostPath(this.#root, rel);
    const linkTarget = h.type === "hardlink" ? await this.#hardlinkTarget(h) : undefined;
    const existing = await lstatOrUndefined(abs);
    if (existing) {
      const isDir = h.type === "dir";
      if (this.#opts.noOverwriteDirNonDir && existing.isDirectory() !== isDir) {
        throw invalidArgument(
          existing.isDirectory()
            ? `cannot overwrite directory "/${rel}" with non-directory "${h.name}"`
            : `cannot overwrite non-directory "/${rel}" with directory "${h.name}"`,
        );
      }
      if (!(existing.isDirectory() && isDir)) {
        await fs.rm(abs, { recursive: existing.isDirectory(), force: true });
      }
    }
    switch (h.type) {
      case "dir":
        if (!existing?.isDirectory()) await fs.mkdir(abs, 0o700);
        break;
      case "file":
        await this.#writeFile(abs, body);
        break;
      case "hardlink":
        await fs.link(linkTarget ?? "", abs);
        return;
      case "symlink":
        await fs.symlink(h.linkname, abs);
        break;
      case "char":
      case "block":
      case "fifo": {
        const runner = this.#opts.runner ?? spawnRunner;
        const kind = h.type === "char" ? "c" : h.type === "block" ? "b" : "p";
        const nums = kind === "p" ? [] : [String(h.devmajor), String(h.devminor)];
        await runner.run("mknod", ["-m", "0600", abs, kind, ...nums]);
        break;
      }
    }
    await this.#metadata(rel, h);
  }

  async #hardlinkTarget(h: TarHeader): Promise<string> {
    const target = cleanEntryPath(h.linkname, `hardlink target of ${JSON.stringify(h.name)}:`);
    const rel = await this.#resolve(target);
    const st = await lstatOrUndefined(hostPath(this.#root, rel));
    if (!st || st.isDirectory()) {
      throw invalidArgument(`tar entry ${JSON.stringify(h.name)}: invalid hardlink target ${h.linkname}`);
    }
    return hostPath(this.#root, rel);
  }

  async #writeFile(abs: string, body: AsyncIterable<Buffer>): Promise<void> {
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
    const fh = await fs.open(abs, flags, 0o600);
    try {
      for await (const chunk of body) {
        let off = 0;
        while (off < chunk.length) off += (await fh.write(chunk, off, chunk.length - off)).bytesWritten;
      }
    } finally {
      await fh.close();
    }
  }

  /** Owner, then mode (chown clears setuid bits), then times (directories' at the end). */
  async #metadata(rel: string, h: TarHeader): Promise<void> {
    const abs = hostPath(this.#root, rel);
    const owner = this.#opts.owner ?? { uid: h.uid, gid: h.gid };
    await fs.lchown(abs, owner.uid, owner.gid);
    if (h.type !== "symlink") await fs.chmod(abs, h.mode & 0o7777);
    const times = { atime: h.atime ?? h.mtime, mtime: h.mtime };
    if (h.type === "dir") this.#dirTimes.set(rel, times);
    else await fs.lutimes(abs, times.atime, times.mtime);
  }

  async finish(): Promise<void> {
    for (const [rel, t] of [...this.#dirTimes].reverse()) {
      await fs.lutimes(hostPath(this.#root, rel), t.atime, t.mtime).catch(() => {});
    }
  }
}

/**
 * Extracts an uncompressed tar into `destRel` (resolved, relative to `root`, an existing
 * directory). On error what was extracted so far stays, as with Docker.
 */
export async function untarInto(
  tar: AsyncIterable<Uint8Array | string>,
  root: string,
  destRel: string,
  opts: UntarOptions = {},
): Promise<void> {
  const x = new Extractor(root, destRel, opts);
  for await (const entry of readTar(tar)) {
    try {
      await x.apply(entry.header, entry.body);
    } catch (err) {
      throw err instanceof BerthError ? err : wrap(err, `extracting ${JSON.stringify(entry.header.name)}`);
    }
  }
  await x.finish();
}
