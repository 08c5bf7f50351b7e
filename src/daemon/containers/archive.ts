/**
 * `docker cp` (HEAD/GET/PUT /containers/{id}/archive). Paths are resolved inside the container's
 * root (rootfs-path.ts), so a symlink in the container — even one to "/" — never reaches the
 * host's files. Running containers are served from their mounted root, stopped ones from a
 * temporary mount of their layers (rootfs-access.ts).
 *
 * HEAD and GET name the path as Docker's ResolvePath does: a final symlink is the link itself
 * (its stat carries the resolved target in linkTarget); a trailing "/" or "/." follows it. PUT
 * extracts into a directory and follows a final symlink, so copying to a link to a directory works.
 */
import { constants, promises as fs } from "node:fs";
import { Readable } from "node:stream";
import { decompressStream } from "../../image/archive/index.js";
import { errnoCode, invalidArgument, notFound, permissionDenied } from "../../lib/errors.js";
import { resolveUser } from "../../runtime/spec/user.js";
import { type ContainerDeps, eventAttributes } from "./deps.js";
import { type ContainerPathStat, goFileMode, rfc3339Nano } from "./path-stat.js";
import type { ContainerRecord } from "./record.js";
import { hostPath, leaseRootfs, readlinkIn, withRootfs } from "./rootfs-access.js";
import { containerAbsPath, containerBaseName, resolveContainerPath, resolveInRoot } from "./rootfs-path.js";
import { tarTree } from "./tar-tree.js";
import { untarInto } from "./untar-into.js";

export interface PutArchiveOptions {
  noOverwriteDirNonDir: boolean;
  /** Owner of the copied files: the container's user (-a); otherwise the tar's ids. */
  copyUIDGID: boolean;
}

const fileNotFound = (p: string, ref: string) => notFound(`Could not find the file ${p} in container ${ref}`);

function checkPath(p: string): void {
  if (p === "") throw invalidArgument("path cannot be empty");
}

async function lstatHost(host: string, p: string, ref: string) {
  try {
    return await fs.lstat(host, { bigint: true });
  } catch (err) {
    const code = errnoCode(err);
    if (code === "ENOENT" || code === "ENOTDIR") throw fileNotFound(p, ref);
    throw err;
  }
}

/** The files berth bind-mounts into the container, by path in its root: what cp shows there. */
const MOUNTED_FILES = [
  ["etc/hosts", "hosts"],
  ["etc/hostname", "hostname"],
  ["etc/resolv.conf", "resolv.conf"],
] as const;

async function mountedFiles(deps: ContainerDeps, c: ContainerRecord): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const [rel, name] of MOUNTED_FILES) {
    const source = deps.store.pathOf(c.id, name);
    if ((await fs.lstat(source).catch(() => undefined))?.isFile()) out.set(rel, source);
  }
  return out;
}

/** Stats `p` in the container whose root is at `root`; also returns where it is on the host. */
async function statIn(root: string, mounted: ReadonlyMap<string, string>, p: string, ref: string) {
  checkPath(p);
  const readlink = readlinkIn(root);
  const { rel, abs } = await resolveContainerPath(p, readlink);
  const host = mounted.get(rel) ?? hostPath(root, rel);
  const st = await lstatHost(host, p, ref);
  // "/etc/passwd/" asserts a directory (Go's lstat fails with ENOTDIR there).
  if ((abs.endsWith("/") || abs.endsWith("/.")) && !st.isDirectory()) {
    throw invalidArgument(`lstat ${abs}: not a directory`);
  }
  const linkTarget = st.isSymbolicLink() ? `/${await resolveInRoot(abs, readlink)}` : "";
  const stat: ContainerPathStat = {
    name: containerBaseName(abs),
    size: Number(st.size),
    mode: goFileMode(Number(st.mode)),
    mtime: rfc3339Nano(st.mtimeNs),
    linkTarget,
  };
  return { stat, host, abs, isDir: st.isDirectory() };
}

/** HEAD: what is at the path. */
export async function statContainerPath(
  deps: ContainerDeps,
  ref: string,
  p: string,
): Promise<ContainerPathStat> {
  return withRootfs(deps, ref, { writable: false }, async ({ root, container }) => {
    return (await statIn(root, await mountedFiles(deps, container), p, ref)).stat;
  });
}

/** GET: the stat and a tar of the path, its entries named from the path's base name. */
export async function getContainerArchive(
  deps: ContainerDeps,
  ref: string,
  p: string,
): Promise<{ stat: ContainerPathStat; stream: Readable }> {
  const lease = await leaseRootfs(deps, ref, { writable: false });
  try {
    const mounted = await mountedFiles(deps, lease.container);
    const { stat, host, abs, isDir } = await statIn(lease.root, mounted, p, ref);
    // The root's contents go at the top level, as Docker's rebase of "/" does.
    const topName = isDir && abs === "/" ? "" : containerBaseName(abs);
    const overrides = new Map([...mounted].map(([rel, source]) => [hostPath(lease.root, rel), source]));
    const stream = Readable.from(tarTree(host, { topName, overrides }), { objectMode: false });
    stream.once("close", () => void lease.release());
    const c = lease.container;
    deps.publish({
      Type: "container",
      Action: "archive-path",
      Actor: { ID: c.id, Attributes: { ...eventAttributes(c), path: p } },
    });
    return { stat, stream };
  } catch (err) {
    await lease.release();
    throw err;
  }
}

/** Reads a file of the container (the last component must not be a symlink). */
async function readInRoot(root: string, containerPath: string): Promise<string | undefined> {
  const rel = await resolveInRoot(containerPath, readlinkIn(root));
  try {
    const fh = await fs.open(hostPath(root, rel), constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      return await fh.readFile("utf8");
    } finally {
      await fh.close();
    }
  } catch (err) {
    if (["ENOENT", "ENOTDIR", "ELOOP", "EISDIR"].includes(errnoCode(err) ?? "")) return undefined;
    throw err;
  }
}

/** docker cp -a: the container's user and group, as its own /etc/passwd and /etc/group say. */
async function containerOwner(root: string, c: ContainerRecord) {
  const user = c.config.User ?? "";
  if (user === "") return undefined;
  const r = resolveUser(user, await readInRoot(root, "/etc/passwd"), await readInRoot(root, "/etc/group"));
  return { uid: r.uid, gid: r.gid };
}

/** PUT: extracts a tar (plain or compressed) into the directory at the path. */
export async function putContainerArchive(
  deps: ContainerDeps,
  ref: string,
  p: string,
  body: Readable,
  opts: PutArchiveOptions,
): Promise<void> {
  checkPath(p);
  await withRootfs(deps, ref, { writable: true }, async ({ root, container: c }) => {
    if (c.hostConfig.ReadonlyRootfs) throw permissionDenied("container rootfs is marked read-only");
    const rel = await resolveInRoot(containerAbsPath(p), readlinkIn(root));
    const st = await lstatHost(hostPath(root, rel), p, ref);
    if (!st.isDirectory()) throw invalidArgument("extraction point is not a directory");
    const owner = opts.copyUIDGID ? await containerOwner(root, c) : undefined;
    await untarInto(await decompressStream(body), root, rel, {
      noOverwriteDirNonDir: opts.noOverwriteDirNonDir,
      ...(owner ? { owner } : {}),
    });
    deps.publish({
      Type: "container",
      Action: "extract-to-dir",
      Actor: { ID: c.id, Attributes: { ...eventAttributes(c), path: p } },
    });
  });
}
