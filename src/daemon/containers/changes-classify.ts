/**
 * `docker diff` from an overlay upper directory (pure): the entries of the upper directory in
 * walk order, each with what the lower layers hold at the same path, become Docker's change list
 * (moby pkg/archive changes.go with overlayDeletedFile):
 *
 * - a whiteout (0:0 character device) is Deleted ("D");
 * - an opaque directory that exists below is Deleted too (its upper contents then show as added);
 * - anything else is Added ("A") unless it exists below, then Modified ("C"), except a directory
 *   whose size, mode and mtime equal the lower one's (it is only a parent of a change);
 * - the parent of an added or deleted entry is reported Modified once, if nothing else reported it.
 *
 * berth also hides what the runtime made for its own mounts (Docker keeps those in an init layer
 * below the container's layer): /proc, /sys, /dev and /etc/hosts, /etc/hostname, /etc/resolv.conf
 * when they were added, and /etc or /dev when nothing else below them changed.
 */

export const CHANGE_MODIFIED = 0;
export const CHANGE_ADDED = 1;
export const CHANGE_DELETED = 2;
export type ChangeKind = typeof CHANGE_MODIFIED | typeof CHANGE_ADDED | typeof CHANGE_DELETED;

export interface FilesystemChange {
  Path: string;
  Kind: ChangeKind;
}

/** What lstat says about a path, with the mtime in nanoseconds. */
export interface FileFacts {
  isDir: boolean;
  size: number;
  /** st_mode (type and permission bits). */
  mode: number;
  mtimeNs: bigint;
}

export interface UpperEntry extends FileFacts {
  /** Absolute in the container: "/etc/passwd". */
  path: string;
  /** A 0:0 character device (or a file carrying trusted.overlay.whiteout). */
  whiteout: boolean;
  /** A directory with trusted.overlay.opaque=y. */
  opaque: boolean;
  /** The topmost lower layer's entry at the same path, if any. */
  lower?: FileFacts;
}

/** Paths the runtime creates as mount points; Docker's init layer holds them. */
const INIT_PATHS = new Set([
  "/proc",
  "/sys",
  "/dev",
  "/dev/pts",
  "/dev/shm",
  "/dev/mqueue",
  "/dev/console",
  "/etc/hosts",
  "/etc/hostname",
  "/etc/resolv.conf",
  "/etc/mtab",
  "/.dockerenv",
]);
/** Directories that change only because an init path was made in them. */
const INIT_PARENTS = new Set(["/etc", "/dev"]);

const SECOND = 1_000_000_000n;

/** Go's sameFsTime: equal, or equal seconds when either side has no sub-second part. */
function sameFsTime(a: bigint, b: bigint): boolean {
  return a === b || (a / SECOND === b / SECOND && (a % SECOND === 0n || b % SECOND === 0n));
}

const parentOf = (p: string) => {
  const i = p.lastIndexOf("/");
  return i <= 0 ? "/" : p.slice(0, i);
};

/** The changes, in the order of the walk (pre-order, names in byte order). */
export function classifyChanges(entries: readonly UpperEntry[]): FilesystemChange[] {
  const out: FilesystemChange[] = [];
  const changedDirs = new Set<string>();
  for (const e of entries) {
    if (INIT_PATHS.has(e.path) && !e.lower && !e.whiteout) continue;
    let kind: ChangeKind;
    if (e.whiteout || (e.opaque && e.isDir && e.lower)) kind = CHANGE_DELETED;
    else if (!e.lower) kind = CHANGE_ADDED;
    else {
      const l = e.lower;
      if (l.isDir && e.isDir && l.size === e.size && l.mode === e.mode && sameFsTime(l.mtimeNs, e.mtimeNs)) {
        continue;
      }
      kind = CHANGE_MODIFIED;
    }
    if (e.isDir) changedDirs.add(e.path);
    if (kind !== CHANGE_MODIFIED) {
      const parent = parentOf(e.path);
      if (parent !== "/" && !changedDirs.has(parent)) {
        out.push({ Path: parent, Kind: CHANGE_MODIFIED });
        changedDirs.add(parent);
      }
    }
    out.push({ Path: e.path, Kind: kind });
  }
  return out.filter(
    (c) =>
      !(INIT_PARENTS.has(c.Path) && c.Kind !== CHANGE_DELETED) ||
      out.some((o) => o.Path.startsWith(`${c.Path}/`)),
  );
}

/**
 * The runtime's own mount points in an upper directory (absent from the image and empty), and
 * /etc or /dev when they hold nothing else: `docker commit` leaves them out of the new layer, as
 * Docker's init layer keeps them out of its.
 */
export function runtimeMountPoints(entries: readonly UpperEntry[]): Set<string> {
  const out = new Set<string>();
  const below = (dir: string) => entries.filter((o) => o.path.startsWith(`${dir}/`));
  for (const e of entries) {
    if (!INIT_PATHS.has(e.path) || e.lower || e.whiteout) continue;
    if (e.isDir ? below(e.path).length === 0 : e.size === 0) out.add(e.path);
  }
  for (const e of entries) {
    if (!INIT_PARENTS.has(e.path) || !e.isDir || e.opaque || out.has(e.path)) continue;
    const inside = below(e.path);
    if (inside.length > 0 && inside.every((o) => out.has(o.path))) out.add(e.path);
  }
  return out;
}
