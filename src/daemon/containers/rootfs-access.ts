/**
 * Access to a container's merged filesystem for diff-free file operations (export, cp).
 *
 * A running (or paused) container's root is already mounted at runPaths(id).rootfs in berthd's
 * mount namespace: the overlay alone, without the container's bind mounts. A stopped one is
 * mounted there for the operation, under the container's lock so that `start` (which mounts the
 * same upper directory) waits, and unmounted on release.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { errnoCode, notFound } from "../../lib/errors.js";
import type { KeyedMutex } from "../../lib/lock.js";
import { log } from "../../lib/log.js";
import { isMountPoint, type Mount, mountAll, unmountAll } from "../../snapshot/mount.js";
import { type ContainerDeps, findContainer } from "./deps.js";
import type { ContainerRecord } from "./record.js";
import type { ReadlinkInRoot } from "./rootfs-path.js";
import { runPaths } from "./runtime-deps.js";

export interface RootfsLease {
  /** Host directory of the container's root. */
  root: string;
  container: ContainerRecord;
  /** True when the container is running and the root is its live mount. */
  live: boolean;
  /** Unmounts (when mounted for this lease) and lets other operations on the container go on. */
  release(): Promise<void>;
}

const isUp = (c: ContainerRecord) =>
  c.state.status === "running" || c.state.status === "paused" || c.state.status === "restarting";

/** Takes a KeyedMutex lock and hands back its release, for locks that outlive one call. */
function acquire(locks: KeyedMutex, key: string): Promise<() => void> {
  return new Promise((acquired) => {
    void locks.run(key, () => new Promise<void>((release) => acquired(release)));
  });
}

/** The mounts read-only: "ro" instead of "rw" (overlay then never writes to its upper or work dir). */
function readOnly(mounts: readonly Mount[]): Mount[] {
  return mounts.map((m) => ({ ...m, options: [...m.options.filter((o) => o !== "rw" && o !== "ro"), "ro"] }));
}

/** Gives access to the container's root; call release() exactly when done (it is idempotent). */
export async function leaseRootfs(
  deps: ContainerDeps,
  ref: string,
  opts: { writable: boolean },
): Promise<RootfsLease> {
  const found = findContainer(deps, ref);
  const unlock = await acquire(deps.locks, found.id);
  try {
    const c = deps.store.get(found.id);
    if (!c) throw notFound(`No such container: ${ref}`);
    const root = runPaths(deps, c.id).rootfs;
    if (isUp(c) && (await isMountPoint(root))) {
      unlock();
      return { root, container: c, live: true, release: async () => {} };
    }
    await fs.mkdir(root, { recursive: true });
    await unmountAll(root).catch(() => {});
    const mounts = await deps.snapshots.mounts(c.snapshotKey);
    await mountAll(opts.writable ? mounts : readOnly(mounts), root);
    let released = false;
    return {
      root,
      container: c,
      live: false,
      release: async () => {
        if (released) return;
        released = true;
        try {
          await unmountAll(root);
        } catch (err) {
          log.warn("unmounting container root after a file operation", { id: c.id, err: String(err) });
        } finally {
          unlock();
        }
      },
    };
  } catch (err) {
    unlock();
    throw err;
  }
}

/** Runs fn with the container's root and releases it afterwards. */
export async function withRootfs<T>(
  deps: ContainerDeps,
  ref: string,
  opts: { writable: boolean },
  fn: (lease: RootfsLease) => Promise<T>,
): Promise<T> {
  const lease = await leaseRootfs(deps, ref, opts);
  try {
    return await fn(lease);
  } finally {
    await lease.release();
  }
}

/** The symlink lookup resolveInRoot needs, answered from the host directory `root`. */
export function readlinkIn(root: string): ReadlinkInRoot {
  return async (rel) => {
    const p = rel === "" ? root : path.join(root, rel);
    try {
      const st = await fs.lstat(p);
      return st.isSymbolicLink() ? await fs.readlink(p) : undefined;
    } catch (err) {
      const code = errnoCode(err);
      if (code === "ENOENT" || code === "ENOTDIR") return undefined;
      throw err;
    }
  };
}

/** The host path of a resolved relative path (resolveInRoot never yields ".." components). */
export function hostPath(root: string, rel: string): string {
  return rel === "" ? root : path.join(root, rel);
}
