/**
 * Writes COPY/ADD sources into a mounted rootfs with Docker's rules: a destination ending in "/"
 * (or several sources) is a directory; a directory source copies its contents; files get uid/gid
 * 0 unless --chown, keep their mode unless --chmod; ADD extracts local tar archives. Every path in
 * the rootfs is resolved inside it, so a symlink there cannot send a write to the host.
 */
import { createReadStream, promises as fs, type Stats } from "node:fs";
import path from "node:path";
import { applyLayer, decompressStream, detectCompression } from "../../image/archive/index.js";
import { invalidArgument } from "../../lib/errors.js";
import type { Exclude, FoundSource } from "./sources.js";

export interface CopyOptions {
  /** The destination as written, expanded; relative to `workdir`. */
  dest: string;
  workdir: string;
  owner?: { uid: number; gid: number };
  chmod?: number;
  /** ADD: extract local tar archives instead of copying them. */
  extractArchives?: boolean;
  exclude?: Exclude;
}

/** Resolves a container path inside `root`, following symlinks as the container would see them. */
export async function resolveInRoot(root: string, p: string): Promise<string> {
  const parts = p.split("/").filter((s) => s !== "" && s !== ".");
  const resolved: string[] = [];
  let hops = 0;
  while (parts.length > 0) {
    const seg = parts.shift()!;
    if (seg === "..") {
      resolved.pop();
      continue;
    }
    const candidate = path.join(root, ...resolved, seg);
    const st = await fs.lstat(candidate).catch(() => undefined);
    if (st?.isSymbolicLink()) {
      if (++hops > 40) throw invalidArgument(`too many levels of symbolic links: ${p}`);
      const target = await fs.readlink(candidate);
      if (target.startsWith("/")) resolved.length = 0;
      parts.unshift(...target.split("/").filter((s) => s !== "" && s !== "."));
      continue;
    }
    resolved.push(seg);
  }
  return path.join(root, ...resolved);
}

/** `mkdir -p` of a container path inside `root` (new directories 0755, root-owned); the host path. */
export async function mkdirAll(root: string, containerPath: string): Promise<string> {
  const parts = containerPath.split("/").filter((s) => s !== "");
  let current = "/";
  for (const seg of parts) {
    current = path.posix.join(current, seg);
    const host = await resolveInRoot(root, current);
    const st = await fs.lstat(host).catch(() => undefined);
    if (!st) await fs.mkdir(host, { mode: 0o755 });
    else if (!st.isDirectory())
      throw invalidArgument(`cannot create directory ${current}: a file is in the way`);
  }
  return resolveInRoot(root, containerPath);
}

async function isArchive(file: string): Promise<boolean> {
  const fh = await fs.open(file, "r");
  try {
    const buf = Buffer.alloc(512);
    const { bytesRead } = await fh.read(buf, 0, 512, 0);
    if (detectCompression(buf.subarray(0, bytesRead)) !== "none") return true;
    return bytesRead >= 262 && buf.subarray(257, 262).toString() === "ustar";
  } finally {
    await fh.close();
  }
}

async function setMeta(host: string, st: Stats, opts: CopyOptions, isLink: boolean): Promise<void> {
  const uid = opts.owner?.uid ?? 0;
  const gid = opts.owner?.gid ?? 0;
  if (isLink) {
    await fs.lchown(host, uid, gid);
    return;
  }
  await fs.chown(host, uid, gid);
  await fs.chmod(host, opts.chmod ?? st.mode & 0o7777);
}

export async function copyEntry(abs: string, rel: string, host: string, opts: CopyOptions): Promise<void> {
  const st = await fs.lstat(abs);
  if (rel !== "." && opts.exclude?.(rel, st.isDirectory())) return;
  const existing = await fs.lstat(host).catch(() => undefined);
  if (st.isDirectory()) {
    if (existing && !existing.isDirectory()) await fs.rm(host, { recursive: true, force: true });
    if (!existing?.isDirectory()) await fs.mkdir(host);
    await setMeta(host, st, opts, false);
    await copyChildren(abs, rel, host, opts);
    return;
  }
  if (existing) await fs.rm(host, { recursive: true, force: true });
  if (st.isSymbolicLink()) {
    await fs.symlink(await fs.readlink(abs), host);
    await setMeta(host, st, opts, true);
  } else if (st.isFile()) {
    await fs.copyFile(abs, host);
    // copyFile gives the new file the source's mode, and a root daemon's files are 0:0 already:
    // the two extra system calls per file matter for a COPY of thousands of files.
    const plain = !opts.owner && opts.chmod === undefined && process.getuid?.() === 0 && !(st.mode & 0o7000);
    if (!plain) await setMeta(host, st, opts, false);
  }
}

/** A directory's entries, copied side by side (the thread pool does the system calls in parallel). */
async function copyChildren(abs: string, rel: string, host: string, opts: CopyOptions): Promise<void> {
  const names = (await fs.readdir(abs)).sort();
  await Promise.all(
    names.map((name) => {
      const childRel = rel === "." ? name : `${rel}/${name}`;
      return copyEntry(path.join(abs, name), childRel, path.join(host, name), opts);
    }),
  );
}

/** Copies the sources into the rootfs mounted at `root`. */
export async function copyInto(
  root: string,
  sources: readonly FoundSource[],
  opts: CopyOptions,
): Promise<void> {
  const dest = opts.dest.startsWith("/") ? opts.dest : path.posix.join(opts.workdir || "/", opts.dest);
  const wantsDir = opts.dest.endsWith("/") || opts.dest === "." || sources.length > 1;
  if (sources.length > 1 && !opts.dest.endsWith("/")) {
    throw invalidArgument(
      "When using COPY with more than one source file, the destination must be a directory and end with a /",
    );
  }
  for (const s of sources) {
    if (s.stat.isDirectory()) {
      await copyChildren(s.abs, s.rel, await mkdirAll(root, dest), opts);
      continue;
    }
    if (opts.extractArchives && s.stat.isFile() && (await isArchive(s.abs))) {
      const dir = await mkdirAll(root, dest);
      try {
        await applyLayer(await decompressStream(createReadStream(s.abs)), dir);
      } catch (err) {
        throw invalidArgument(
          `ADD ${s.rel}: the archive cannot be extracted: ${(err as Error).message}`,
          err,
        );
      }
      continue;
    }
    const existing = await fs.stat(await resolveInRoot(root, dest)).catch(() => undefined);
    let target: string;
    if (wantsDir || existing?.isDirectory()) {
      const dir = await mkdirAll(root, dest);
      target = path.join(dir, path.posix.basename(s.rel));
    } else {
      const parent = await mkdirAll(root, path.posix.dirname(dest));
      target = path.join(parent, path.posix.basename(dest));
    }
    await copyEntry(s.abs, s.rel, target, opts);
  }
}

/** Parses --chown "uid[:gid]" or names, looked up in the rootfs's /etc/passwd and /etc/group. */
export async function resolveOwner(root: string, chown: string): Promise<{ uid: number; gid: number }> {
  const [user = "", group] = chown.split(":");
  const lookup = async (file: string, name: string): Promise<{ id: number; gid: number } | undefined> => {
    const text = await fs.readFile(await resolveInRoot(root, file), "utf8").catch(() => "");
    for (const line of text.split("\n")) {
      const f = line.split(":");
      if (f[0] === name && f[2] !== undefined) return { id: Number(f[2]), gid: Number(f[3] ?? f[2]) };
    }
    return undefined;
  };
  const num = (s: string) => (/^\d+$/.test(s) ? Number(s) : undefined);
  let uid = num(user);
  let gid: number | undefined;
  if (uid === undefined) {
    const u = await lookup("/etc/passwd", user);
    if (!u) throw invalidArgument(`unable to find user ${user}: no matching entries in passwd file`);
    uid = u.id;
    gid = u.gid;
  }
  if (group !== undefined && group !== "") {
    gid = num(group);
    if (gid === undefined) {
      const g = await lookup("/etc/group", group);
      if (!g) throw invalidArgument(`unable to find group ${group}: no matching entries in group file`);
      gid = g.id;
    }
  } else if (gid === undefined || num(user) !== undefined) gid = uid;
  return { uid, gid };
}
