/**
 * Garbage collection: mark and sweep over the whole registry.
 *
 * Mark: every manifest revision of every repository, the blobs its bytes name (config, layers, index
 * entries) and the manifest's own blob. Tags do not matter: a manifest deleted by digest is gone from
 * its repository, and so are its tags; an untagged manifest that is still there stays, since it can be
 * pulled by digest.
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
  /** The clock, for tests. */
  now?: number;
  /** Warnings (unreadable manifests). */
  warn?: (line: string) => void;
}

export interface GcResult {
  /** Blobs some manifest references. */
  marked: number;
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
  const marked = await mark(storage, opts.warn);
  const result: GcResult = {
    marked: marked.size,
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

async function mark(storage: RegistryStorage, warn?: (line: string) => void): Promise<Set<Digest>> {
  const marked = new Set<Digest>();
  for (const name of await storage.listRepositories()) {
    for (const rev of await storage.listRevisions(name)) {
      marked.add(rev);
      const record = await storage.manifestRecord(name, rev);
      const bytes = await storage.readBlob(rev);
      if (!bytes) {
        warn?.(`${name}@${rev}: manifest blob is missing`);
        continue;
      }
      try {
        const doc = parseManifestOrIndex(bytes, record?.mediaType);
        const refs =
          doc.kind === "manifest" ? [doc.manifest.config, ...doc.manifest.layers] : doc.index.manifests;
        for (const d of refs) marked.add(d.digest);
      } catch (err) {
        warn?.(`${name}@${rev}: cannot read manifest, its blobs may be collected: ${errorMessage(err)}`);
      }
    }
  }
  return marked;
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
