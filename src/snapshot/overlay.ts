/**
 * The overlayfs snapshotter.
 *
 * On disk:
 *   <root>/snapshots/
 *     metadata.json        { schemaVersion: 1, nextId, snapshots: { <key>: { id, kind, parent?, labels,
 *                            created, updated } } }  (written atomically, under a mutex)
 *     <id>/fs              the snapshot's own layer: overlay upperdir when active, a lowerdir once committed
 *     <id>/work            overlay workdir (active snapshots)
 *     ingest-<random>/fs   a layer being extracted (prepareIngest); renamed to <id> by commitIngest
 *
 * Ids are small integers so that overlay's lowerdir=a:b:c option, which the kernel caps at one
 * page, holds long chains. Mounts: an active snapshot without parent is a bind mount of its fs; with
 * parents it is overlay with lowerdir = parent chain, topmost first. A view of one committed
 * snapshot is a read-only bind; of a longer chain, an overlay without upperdir (read-only).
 * Active mounts carry redirect_dir=off and metacopy=off so an upper directory always holds whole
 * files and directories, which writeLayerDiff relies on.
 *
 * Crash consistency: a new snapshot's directory is built under a temporary name and renamed into
 * place before metadata.json records it; a removed snapshot leaves metadata.json before its
 * directory is deleted. open() deletes every directory metadata.json does not know.
 */
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { readJsonIfExists, writeJsonAtomic } from "../lib/atomic-file.js";
import { conflict, errnoCode, failedPrecondition, invalidArgument, notFound } from "../lib/errors.js";
import { Mutex } from "../lib/lock.js";
import { log } from "../lib/log.js";
import type { Mount } from "./mount.js";
import type { Info, Kind, SnapshotOptions, Snapshotter, Usage } from "./snapshotter.js";

interface SnapshotRecord {
  id: number;
  kind: Kind;
  parent?: string;
  labels: Record<string, string>;
  created: string;
  updated: string;
}

interface MetadataDoc {
  schemaVersion: 1;
  nextId: number;
  snapshots: Record<string, SnapshotRecord>;
}

const METADATA = "metadata.json";

function checkKey(key: string, what = "snapshot key"): void {
  if (typeof key !== "string" || key === "") throw invalidArgument(`${what} must not be empty`);
}

export class OverlaySnapshotter implements Snapshotter {
  readonly #dir: string;
  readonly #mutex = new Mutex();
  readonly #removals = new Set<Promise<void>>();
  #doc: MetadataDoc;

  /** Use OverlaySnapshotter.open. */
  constructor(dir: string, doc: MetadataDoc) {
    this.#dir = dir;
    this.#doc = doc;
  }

  /** Opens (creating if needed) the snapshotter under <root>/snapshots and sweeps crash leftovers. */
  static async open(root: string): Promise<OverlaySnapshotter> {
    const dir = path.join(path.resolve(root), "snapshots");
    if (/[,:]/.test(dir))
      throw invalidArgument(`snapshot root ${dir} must not contain "," or ":" (overlay options)`);
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    const doc = (await readJsonIfExists<MetadataDoc>(path.join(dir, METADATA))) ?? {
      schemaVersion: 1,
      nextId: 1,
      snapshots: {},
    };
    if (doc.schemaVersion !== 1) throw invalidArgument(`${dir}/${METADATA}: unknown schemaVersion`);
    const known = new Set(Object.values(doc.snapshots).map((r) => String(r.id)));
    for (const name of await fs.readdir(dir)) {
      if (name === METADATA || known.has(name)) continue;
      await fs.rm(path.join(dir, name), { recursive: true, force: true });
    }
    return new OverlaySnapshotter(dir, doc);
  }

  #record(key: string): SnapshotRecord {
    const rec = this.#doc.snapshots[key];
    if (!rec) throw notFound(`snapshot ${key} not found`);
    return rec;
  }

  #fs(rec: SnapshotRecord): string {
    return path.join(this.#dir, String(rec.id), "fs");
  }

  #info(key: string, rec: SnapshotRecord): Info {
    const info: Info = {
      key,
      kind: rec.kind,
      labels: { ...rec.labels },
      created: rec.created,
      updated: rec.updated,
    };
    if (rec.parent !== undefined) info.parent = rec.parent;
    return info;
  }

  /** fs directories of the parent chain, topmost first. */
  #lowers(rec: SnapshotRecord): string[] {
    const out: string[] = [];
    for (let p = rec.parent; p !== undefined; ) {
      const parent = this.#record(p);
      out.push(this.#fs(parent));
      p = parent.parent;
    }
    return out;
  }

  #mounts(key: string, rec: SnapshotRecord): Mount[] {
    if (rec.kind === "committed") {
      throw failedPrecondition(
        `snapshot ${key} is committed: mount a view or an active snapshot on top of it`,
      );
    }
    const own = this.#fs(rec);
    const lowers = this.#lowers(rec);
    if (lowers.length === 0) {
      return [{ type: "bind", source: own, options: [rec.kind === "view" ? "ro" : "rw", "rbind"] }];
    }
    if (rec.kind === "view") {
      if (lowers.length === 1) return [{ type: "bind", source: lowers[0]!, options: ["ro", "rbind"] }];
      return [{ type: "overlay", source: "overlay", options: [`lowerdir=${lowers.join(":")}`] }];
    }
    const work = path.join(this.#dir, String(rec.id), "work");
    const options = ["index=off", "redirect_dir=off", "metacopy=off", `workdir=${work}`, `upperdir=${own}`];
    return [{ type: "overlay", source: "overlay", options: [...options, `lowerdir=${lowers.join(":")}`] }];
  }

  async #write(doc: MetadataDoc): Promise<void> {
    await writeJsonAtomic(path.join(this.#dir, METADATA), doc);
    this.#doc = doc;
  }

  async #create(
    kind: Kind,
    key: string,
    parent: string | undefined,
    opts: SnapshotOptions,
  ): Promise<Mount[]> {
    checkKey(key);
    if (parent !== undefined) checkKey(parent, "parent snapshot");
    return this.#mutex.run(async () => {
      if (this.#doc.snapshots[key]) throw conflict(`snapshot ${key} already exists`);
      if (parent !== undefined) {
        const p = this.#doc.snapshots[parent];
        if (!p) throw notFound(`parent snapshot ${parent} not found`);
        if (p.kind !== "committed") throw invalidArgument(`parent snapshot ${parent} is not committed`);
      }
      const id = this.#doc.nextId;
      const tmp = path.join(this.#dir, `new-${id}-${randomBytes(4).toString("hex")}`);
      const final = path.join(this.#dir, String(id));
      try {
        await fs.mkdir(tmp, { mode: 0o700 });
        await fs.mkdir(path.join(tmp, "fs"), { mode: 0o755 });
        if (kind === "active") await fs.mkdir(path.join(tmp, "work"), { mode: 0o700 });
        await fs.rm(final, { recursive: true, force: true });
        await fs.rename(tmp, final);
      } catch (err) {
        await fs.rm(tmp, { recursive: true, force: true });
        throw err;
      }
      const now = new Date().toISOString();
      const rec: SnapshotRecord = { id, kind, labels: { ...opts.labels }, created: now, updated: now };
      if (parent !== undefined) rec.parent = parent;
      try {
        await this.#write({
          ...this.#doc,
          nextId: id + 1,
          snapshots: { ...this.#doc.snapshots, [key]: rec },
        });
      } catch (err) {
        await fs.rm(final, { recursive: true, force: true });
        throw err;
      }
      return this.#mounts(key, rec);
    });
  }

  prepare(key: string, parent?: string, opts: SnapshotOptions = {}): Promise<Mount[]> {
    return this.#create("active", key, parent, opts);
  }

  view(key: string, parent?: string, opts: SnapshotOptions = {}): Promise<Mount[]> {
    return this.#create("view", key, parent, opts);
  }

  async commit(name: string, key: string, opts: SnapshotOptions = {}): Promise<void> {
    checkKey(name, "snapshot name");
    await this.#mutex.run(async () => {
      const rec = this.#record(key);
      if (rec.kind !== "active") {
        throw failedPrecondition(`snapshot ${key} is ${rec.kind}: only active snapshots can be committed`);
      }
      if (this.#doc.snapshots[name]) throw conflict(`snapshot ${name} already exists`);
      const snapshots = { ...this.#doc.snapshots };
      delete snapshots[key];
      const labels = { ...rec.labels, ...opts.labels };
      snapshots[name] = { ...rec, kind: "committed", labels, updated: new Date().toISOString() };
      await this.#write({ ...this.#doc, snapshots });
    });
  }

  async prepareIngest(): Promise<string> {
    const id = `ingest-${randomBytes(8).toString("hex")}`;
    await fs.mkdir(path.join(this.#dir, id), { mode: 0o700 });
    await fs.mkdir(path.join(this.#dir, id, "fs"), { mode: 0o755 });
    return id;
  }

  #ingestPath(id: string): string {
    if (!/^ingest-[0-9a-f]{16}$/.test(id)) throw invalidArgument(`${JSON.stringify(id)} is not an ingest id`);
    return path.join(this.#dir, id);
  }

  ingestDir(id: string): string {
    return path.join(this.#ingestPath(id), "fs");
  }

  async commitIngest(name: string, id: string, parent?: string, opts: SnapshotOptions = {}): Promise<void> {
    checkKey(name, "snapshot name");
    if (parent !== undefined) checkKey(parent, "parent snapshot");
    const src = this.#ingestPath(id);
    await this.#mutex.run(async () => {
      if (this.#doc.snapshots[name]) throw conflict(`snapshot ${name} already exists`);
      if (parent !== undefined) {
        const p = this.#doc.snapshots[parent];
        if (!p) throw notFound(`parent snapshot ${parent} not found`);
        if (p.kind !== "committed") throw invalidArgument(`parent snapshot ${parent} is not committed`);
      }
      const snapId = this.#doc.nextId;
      const final = path.join(this.#dir, String(snapId));
      await fs.rm(final, { recursive: true, force: true });
      try {
        await fs.rename(src, final);
      } catch (err) {
        if (errnoCode(err) === "ENOENT") throw notFound(`ingest ${id} not found`);
        throw err;
      }
      const now = new Date().toISOString();
      const rec: SnapshotRecord = {
        id: snapId,
        kind: "committed",
        labels: { ...opts.labels },
        created: now,
        updated: now,
      };
      if (parent !== undefined) rec.parent = parent;
      try {
        await this.#write({
          ...this.#doc,
          nextId: snapId + 1,
          snapshots: { ...this.#doc.snapshots, [name]: rec },
        });
      } catch (err) {
        await fs.rm(final, { recursive: true, force: true });
        throw err;
      }
    });
  }

  async abortIngest(id: string): Promise<void> {
    await fs.rm(this.#ingestPath(id), { recursive: true, force: true });
  }

  async remove(key: string): Promise<void> {
    const id = await this.#mutex.run(async () => {
      const rec = this.#record(key);
      const children = Object.entries(this.#doc.snapshots).filter(([, r]) => r.parent === key);
      if (children.length > 0) {
        const names = children.map(([k]) => k).join(", ");
        throw conflict(
          `snapshot ${key} has ${children.length} child snapshot(s) (${names}): remove them first`,
        );
      }
      const snapshots = { ...this.#doc.snapshots };
      delete snapshots[key];
      await this.#write({ ...this.#doc, snapshots });
      return rec.id;
    });
    // Outside the lock and not awaited: the id is never handed out again, so nobody waits for a
    // large upper dir to go (`run --rm` returns sooner); open() sweeps what a crash interrupts.
    const dir = path.join(this.#dir, String(id));
    const removal = fs
      .rm(dir, { recursive: true, force: true })
      .catch((err) => log.warn("removing snapshot directory", { dir, err: String(err) }))
      .finally(() => this.#removals.delete(removal));
    this.#removals.add(removal);
  }

  async idle(): Promise<void> {
    while (this.#removals.size > 0) await Promise.all(this.#removals);
  }

  async stat(key: string): Promise<Info> {
    return this.#info(key, this.#record(key));
  }

  async walk(): Promise<Info[]> {
    return Object.entries(this.#doc.snapshots)
      .sort(([, a], [, b]) => a.id - b.id)
      .map(([key, rec]) => this.#info(key, rec));
  }

  async mounts(key: string): Promise<Mount[]> {
    return this.#mounts(key, this.#record(key));
  }

  async usage(key: string): Promise<Usage> {
    const root = this.#fs(this.#record(key));
    const seen = new Set<string>();
    let size = 0;
    const walk = async (dir: string): Promise<void> => {
      let names: string[];
      try {
        names = await fs.readdir(dir);
      } catch (err) {
        if (errnoCode(err) === "ENOENT") return;
        throw err;
      }
      // A directory's entries are looked at together (the thread pool runs the lstats in parallel).
      const stats = await Promise.all(names.map((name) => fs.lstat(path.join(dir, name))));
      const dirs: string[] = [];
      for (const [i, st] of stats.entries()) {
        const ino = `${st.dev}:${st.ino}`;
        if (!seen.has(ino)) {
          seen.add(ino);
          size += st.size;
        }
        if (st.isDirectory()) dirs.push(path.join(dir, names[i]!));
      }
      for (const d of dirs) await walk(d);
    };
    await walk(root);
    return { size, inodes: seen.size };
  }

  upperDir(key: string): string {
    const rec = this.#record(key);
    if (rec.kind === "view") throw failedPrecondition(`snapshot ${key} is a view: it has no upper directory`);
    return this.#fs(rec);
  }

  dir(key: string): string {
    return this.#fs(this.#record(key));
  }
}
