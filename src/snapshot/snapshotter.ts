/**
 * Snapshotter: filesystem trees stacked in parent chains, handed out as mounts (containerd's model).
 *
 * Terms
 * - A snapshot is a directory tree identified by a string. It has a Kind:
 *   - "active": writable. Its identifier is a *key*. Made by prepare(key, parent).
 *   - "view": read-only, also identified by a key. Made by view(key, parent).
 *   - "committed": immutable, identified by a *name*. Made by commit(name, key), which turns the
 *     active snapshot `key` into the committed snapshot `name` (the key is gone afterwards).
 * - parent: the committed snapshot a new one starts from. Each committed snapshot may have a
 *   parent, so committed snapshots form chains (one per image layer stack). Only committed
 *   snapshots can be parents, and a snapshot with children cannot be removed.
 * - Keys and names share one namespace: no two snapshots have the same identifier.
 *
 * Snapshotters never mount anything: prepare, view and mounts return Mount[] (data) that the
 * caller mounts with mountAll and unmounts when done. Committed snapshots are not mounted
 * directly; make a view (or an active snapshot) on top of them.
 *
 * Importing a layer (image unpack):
 *   await s.prepare("extract-<random>", parentChainId);         // fresh, empty change set
 *   await applyLayer(tar, s.dir("extract-<random>"));            // layer in overlay format
 *   await s.commit(chainId, "extract-<random>");                 // now a parent for the next layer
 *
 * Importing layers in parallel (a pull): an overlay layer's directory is its own diff, so layer N
 * can be extracted before layers below it exist; only the commits go in chain order:
 *   const id = await s.prepareIngest();                          // unnamed, not in the metadata
 *   await applyLayer(tar, s.ingestDir(id));
 *   await s.commitIngest(chainId, id, parentChainId);             // parent must be committed
 *   // or, on failure: await s.abortIngest(id)
 *
 * Running a container:
 *   const mounts = await s.prepare(containerId, topChainId);
 *   await mountAll(mounts, `${bundle}/rootfs`);                  // ... the container runs ...
 *   await unmount(`${bundle}/rootfs`);
 *   await writeLayerDiff(s.upperDir(containerId), out);          // `docker commit`
 *   await s.remove(containerId);
 */
import type { Mount } from "./mount.js";

export type Kind = "view" | "active" | "committed";

export interface Info {
  /** The key (active, view) or name (committed). */
  key: string;
  kind: Kind;
  /** Name of the committed parent snapshot, if any. */
  parent?: string;
  labels: Record<string, string>;
  /** RFC 3339 timestamps. */
  created: string;
  updated: string;
}

export interface Usage {
  /** Bytes used by this snapshot's own files (not its parents'); hardlinks counted once. */
  size: number;
  /** Number of distinct inodes in this snapshot's own tree. */
  inodes: number;
}

export interface SnapshotOptions {
  labels?: Record<string, string>;
}

export interface Snapshotter {
  /** Info of one snapshot; not-found when missing. */
  stat(key: string): Promise<Info>;
  /** All snapshots, oldest first. */
  walk(): Promise<Info[]>;
  /** The mounts of an active snapshot or view (failed-precondition for committed ones). */
  mounts(key: string): Promise<Mount[]>;
  /**
   * Creates an active snapshot on top of the committed `parent` (or empty) and returns its mounts.
   * conflict when `key` exists; not-found when the parent does not; invalid-argument when the
   * parent is not committed.
   */
  prepare(key: string, parent?: string, opts?: SnapshotOptions): Promise<Mount[]>;
  /** Like prepare, but the mounts are read-only. */
  view(key: string, parent?: string, opts?: SnapshotOptions): Promise<Mount[]>;
  /** Turns the active snapshot `key` into the committed snapshot `name`. */
  commit(name: string, key: string, opts?: SnapshotOptions): Promise<void>;
  /**
   * A fresh empty directory for one layer's own changes (overlay format), named by the returned
   * id. It is not a snapshot: nothing lists it, and a crash before commitIngest leaves nothing
   * (the sweep at open removes it).
   */
  prepareIngest(): Promise<string>;
  /** The directory of an ingest from prepareIngest. */
  ingestDir(id: string): string;
  /**
   * Turns an ingest into the committed snapshot `name` on top of the committed `parent` (or none):
   * a rename and a metadata write, no copying. conflict when `name` exists; not-found when the
   * parent or the ingest does not.
   */
  commitIngest(name: string, id: string, parent?: string, opts?: SnapshotOptions): Promise<void>;
  /** Removes an ingest that will not be committed (no error when it is gone). */
  abortIngest(id: string): Promise<void>;
  /**
   * Removes a snapshot; conflict when other snapshots have it as parent. Resolves once the snapshot
   * is gone from the metadata; its files may still be going (see idle()).
   */
  remove(key: string): Promise<void>;
  /** Resolves when the files of every removed snapshot are gone. */
  idle(): Promise<void>;
  /** Disk use of the snapshot's own layer. */
  usage(key: string): Promise<Usage>;
  /**
   * The directory holding this snapshot's own changes (the overlay upper directory), for
   * writeLayerDiff. Active and committed snapshots; a view has none (failed-precondition).
   */
  upperDir(key: string): string;
  /**
   * The directory of this snapshot's own layer. Write into it only while the snapshot is active and
   * unmounted: applyLayer extracts an image layer here between prepare and commit.
   */
  dir(key: string): string;
}
