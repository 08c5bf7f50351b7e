/**
 * Garbage collection: mark and sweep over the whole registry.
 *
 * Mark: every manifest revision of every repository, the blobs its bytes name (config, layers, index
 * entries) and the manifest's own blob. By default tags do not matter: an untagged manifest stays,
 * since it can be pulled by digest. With `deleteUntagged`, a repository keeps only manifests that are
 * tagged, entries of a kept index, referrers (a `subject`) of a kept manifest, or pushed within the
 * grace period (a multi-platform push sends its entries before the index that tags them); the others
 * are removed from the repository first, and their blobs then go with the sweep.
 *
 * Sweep: a blob nobody marked is deleted only when its mtime is older than the grace period. The
 * server sets a blob's mtime whenever a push uses it (upload, mount, HEAD in a repository, a manifest
 * PUT naming it), so a push that takes less than the grace period from its first blob to its manifest
 * cannot lose a blob to a gc running beside the server. Repository links to deleted blobs, and upload
 * sessions idle for longer than the grace period, are removed as well.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import type { Digest } from "../../lib/digest.js";
import { errnoCode, errorMessage } from "../../lib/errors.js";
import { parseManifestOrIndex } from "../../oci/image-index.js";
import type { RegistryStorage } from "./storage.js";

export interface GcOptions {
  /** Unreferenced blobs younger than this (ms) are kept. Default one hour. */
  graceMs?: number;
  /** Report what would go, delete nothing. */
  dryRun?: boolean;
  /** Also remove manifests that no tag reaches (see above). */
  deleteUntagged?: boolean;
  /** The clock, for tests. */
  now?: number;
  /** Warnings (unreadable manifests). */
  warn?: (line: string) => void;
}

export interface GcResult {
  /** Blobs some manifest references. */
  marked: number;
  /** "<name>@<digest>" of untagged manifests removed (deleteUntagged). */
  manifestsDeleted: string[];
  deleted: Digest[];
  freedBytes: number;
  /** Unreferenced blobs spared because they were used within the grace period. */
  spared: Digest[];
  linksRemoved: number;
  uploadsRemoved: number;
}

export const DEFAULT_GRACE_MS = 60 * 60 * 1000;

export async function collectGarbage(storage: RegistryStorage, opts: GcOptions = {}): Promise<GcResult> {
  const now = opts.now ?? Date.now();
  const cutoff = now - (opts.graceMs ?? DEFAULT_GRACE_MS);
  const manifestsDeleted: string[] = [];
  const marked = await mark(storage, { ...opts, cutoff, manifestsDeleted });
  const result: GcResult = {
    marked: marked.size,
    manifestsDeleted,
    deleted: [],
    freedBytes: 0,
    spared: [],
    linksRemoved: 0,
    uploadsRemoved: 0,
  };
  for (const digest of await storage.listBlobs()) {
    if (marked.has(digest)) continue;
    const st = await statOrUndefined(storage.blobPath(digest));
    if (!st) continue;
    if (st.mtimeMs > cutoff) {
      result.spared.push(digest);
      continue;
    }
    if (!opts.dryRun) await storage.deleteBlob(digest);
    result.deleted.push(digest);
    result.freedBytes += st.size;
  }
  const gone = new Set(result.deleted);
  for (const name of await storage.listRepositories()) {
    for (const digest of await storage.listLayerLinks(name)) {
      if (!gone.has(digest)) continue;
      if (!opts.dryRun) await storage.unlinkLayer(name, digest);
      result.linksRemoved++;
    }
  }
  result.uploadsRemoved = await sweepUploads(storage.uploadsDir(), cutoff, opts.dryRun ?? false);
  return result;
}

interface MarkOptions extends GcOptions {
  cutoff: number;
  manifestsDeleted: string[];
}

interface Revision {
  digest: Digest;
  refs: Digest[];
  children: Digest[];
  subject?: Digest;
}

async function mark(storage: RegistryStorage, opts: MarkOptions): Promise<Set<Digest>> {
  const marked = new Set<Digest>();
  for (const name of await storage.listRepositories()) {
    const revisions = new Map<Digest, Revision>();
    for (const digest of await storage.listRevisions(name)) {
      revisions.set(digest, await readRevision(storage, name, digest, opts.warn));
    }
    const keep = opts.deleteUntagged ? await reachable(storage, name, revisions, opts.cutoff) : revisions;
    for (const [digest, rev] of revisions) {
      if (!keep.has(digest)) {
        if (!opts.dryRun) await storage.deleteManifest(name, digest);
        opts.manifestsDeleted.push(`${name}@${digest}`);
        continue;
      }
      marked.add(digest);
      for (const d of rev.refs) marked.add(d);
    }
  }
  return marked;
}

async function readRevision(
  storage: RegistryStorage,
  name: string,
  digest: Digest,
  warn?: (line: string) => void,
): Promise<Revision> {
  const rev: Revision = { digest, refs: [], children: [] };
  const record = await storage.manifestRecord(name, digest);
  if (record?.subject) rev.subject = record.subject;
  const bytes = await storage.readBlob(digest);
  if (!bytes) {
    warn?.(`${name}@${digest}: manifest blob is missing`);
    return rev;
  }
  try {
    const doc = parseManifestOrIndex(bytes, record?.mediaType);
    if (doc.kind === "manifest")
      rev.refs = [doc.manifest.config, ...doc.manifest.layers].map((d) => d.digest);
    else {
      rev.refs = doc.index.manifests.map((d) => d.digest);
      rev.children = rev.refs;
    }
  } catch (err) {
    warn?.(`${name}@${digest}: cannot read manifest, its blobs may be collected: ${errorMessage(err)}`);
  }
  return rev;
}

/** Manifests a tag reaches (through index entries and referrers), plus those pushed within the grace period. */
async function reachable(
  storage: RegistryStorage,
  name: string,
  revisions: ReadonlyMap<Digest, Revision>,
  cutoff: number,
): Promise<Set<Digest>> {
  const keep = new Set<Digest>();
  for (const tag of (await storage.listTags(name)) ?? []) {
    const d = await storage.resolveTag(name, tag);
    if (d !== undefined && revisions.has(d)) keep.add(d);
  }
  for (const d of revisions.keys()) {
    if (((await storage.revisionTime(name, d)) ?? 0) > cutoff) keep.add(d);
  }
  // Children of kept indexes and referrers of kept manifests, until nothing changes.
  for (let changed = true; changed; ) {
    changed = false;
    for (const rev of revisions.values()) {
      const reached =
        !keep.has(rev.digest) &&
        ((rev.subject !== undefined && keep.has(rev.subject)) ||
          [...keep].some((k) => revisions.get(k)?.children.includes(rev.digest)));
      if (reached) {
        keep.add(rev.digest);
        changed = true;
      }
    }
  }
  return keep;
}

async function sweepUploads(dir: string, cutoff: number, dryRun: boolean): Promise<number> {
  let removed = 0;
  for (const uuid of await fs.readdir(dir).catch(() => [] as string[])) {
    const sessionDir = path.join(dir, uuid);
    const st = (await statOrUndefined(path.join(sessionDir, "data"))) ?? (await statOrUndefined(sessionDir));
    if (!st || st.mtimeMs > cutoff) continue;
    if (!dryRun) await fs.rm(sessionDir, { recursive: true, force: true });
    removed++;
  }
  return removed;
}

async function statOrUndefined(p: string): Promise<import("node:fs").Stats | undefined> {
  try {
    return await fs.stat(p);
  } catch (err) {
    if (errnoCode(err) === "ENOENT") return undefined;
    throw err;
  }
}
