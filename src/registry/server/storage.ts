/**
 * The registry's files. Blobs are stored once, by digest; repositories hold links to them, so a blob
 * belongs to a repository only when pushed or mounted there. Every write lands in a temporary file
 * that is fsync'ed and renamed into place, so readers see whole files or none.
 *
 *   <root>/blobs/sha256/<hex>                                 content: layers, configs, manifests
 *   <root>/uploads/<uuid>/data, info.json                     uploads in progress (uploads.ts)
 *   <root>/repositories/<name>/_layers/sha256/<hex>           empty: the blob is in <name>
 *   <root>/repositories/<name>/_manifests/revisions/sha256/<hex>
 *                                                             JSON ManifestRecord: the manifest is in <name>
 *   <root>/repositories/<name>/_manifests/tags/<tag>          text: the digest the tag names
 *
 * <name> may have several path components; none starts with "_", so `_layers` and `_manifests` never
 * clash with a nested repository. Blob mtimes record the last time a push used the blob; garbage
 * collection (gc.ts) spares blobs used within its grace period.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { fsyncDir, writeFileAtomic } from "../../lib/atomic-file.js";
import { type Digest, digestHex, isDigest } from "../../lib/digest.js";
import { errnoCode } from "../../lib/errors.js";
import type { Descriptor } from "../../oci/descriptor.js";
import { compareAscii } from "./pagination.js";

/** What the registry keeps beside a manifest's bytes. */
export interface ManifestRecord {
  mediaType: string;
  size: number;
  subject?: Digest;
  artifactType?: string;
  annotations?: Record<string, string>;
}

export class RegistryStorage {
  readonly root: string;
  private constructor(root: string) {
    this.root = root;
  }

  static async open(root: string): Promise<RegistryStorage> {
    const abs = path.resolve(root);
    for (const d of ["blobs/sha256", "uploads", "repositories"]) {
      await fs.mkdir(path.join(abs, d), { recursive: true });
    }
    return new RegistryStorage(abs);
  }

  blobPath(digest: Digest): string {
    return path.join(this.root, "blobs", "sha256", digestHex(digest));
  }

  uploadsDir(): string {
    return path.join(this.root, "uploads");
  }

  repoDir(name: string): string {
    return path.join(this.root, "repositories", ...name.split("/"));
  }

  /** Size of a stored blob, or undefined. */
  async blobSize(digest: Digest): Promise<number | undefined> {
    return statSize(this.blobPath(digest));
  }

  /** Marks a blob as just used (see the gc rule); returns its size, or undefined when absent. */
  async touchBlob(digest: Digest): Promise<number | undefined> {
    const p = this.blobPath(digest);
    const now = new Date();
    try {
      await fs.utimes(p, now, now);
    } catch (err) {
      if (errnoCode(err) === "ENOENT") return undefined;
      throw err;
    }
    return statSize(p);
  }

  /** Moves a verified, fsync'ed file to the blob's address (dropping it when the blob exists already). */
  async commitBlobFile(file: string, digest: Digest): Promise<void> {
    if ((await this.touchBlob(digest)) !== undefined) {
      await fs.rm(file, { force: true });
      return;
    }
    const dest = this.blobPath(digest);
    await fs.rename(file, dest);
    await fsyncDir(path.dirname(dest));
  }

  async putBlobBytes(digest: Digest, bytes: Uint8Array): Promise<void> {
    if ((await this.touchBlob(digest)) !== undefined) return;
    await writeFileAtomic(this.blobPath(digest), bytes);
  }

  async readBlob(digest: Digest): Promise<Buffer | undefined> {
    return readIfExists(this.blobPath(digest));
  }

  async listBlobs(): Promise<Digest[]> {
    const names = await fs.readdir(path.join(this.root, "blobs", "sha256"));
    return names.map((n) => `sha256:${n}`).filter((d): d is Digest => isDigest(d));
  }

  async deleteBlob(digest: Digest): Promise<void> {
    await fs.rm(this.blobPath(digest), { force: true });
  }

  // --- repository links -------------------------------------------------------------------

  #layerLink(name: string, digest: Digest): string {
    return path.join(this.repoDir(name), "_layers", "sha256", digestHex(digest));
  }

  /** The blob's size when it is linked into `name` and stored; undefined otherwise. */
  async layerSize(name: string, digest: Digest): Promise<number | undefined> {
    if ((await statSize(this.#layerLink(name, digest))) === undefined) return undefined;
    return this.blobSize(digest);
  }

  async linkLayer(name: string, digest: Digest): Promise<void> {
    const link = this.#layerLink(name, digest);
    if ((await statSize(link)) !== undefined) return;
    await fs.mkdir(path.dirname(link), { recursive: true });
    await writeFileAtomic(link, "");
  }

  /** Removes the blob from the repository (not from the registry); false when it was not there. */
  async unlinkLayer(name: string, digest: Digest): Promise<boolean> {
    return removeIfExists(this.#layerLink(name, digest));
  }

  async listLayerLinks(name: string): Promise<Digest[]> {
    return digestsIn(path.join(this.repoDir(name), "_layers", "sha256"));
  }

  // --- manifests and tags ----------------------------------------------------------------

  #revision(name: string, digest: Digest): string {
    return path.join(this.repoDir(name), "_manifests", "revisions", "sha256", digestHex(digest));
  }

  #tagFile(name: string, tag: string): string {
    return path.join(this.repoDir(name), "_manifests", "tags", tag);
  }

  async putManifest(name: string, digest: Digest, bytes: Uint8Array, record: ManifestRecord): Promise<void> {
    await this.putBlobBytes(digest, bytes);
    const rev = this.#revision(name, digest);
    await fs.mkdir(path.dirname(rev), { recursive: true });
    await writeFileAtomic(rev, `${JSON.stringify(record)}\n`);
  }

  async manifestRecord(name: string, digest: Digest): Promise<ManifestRecord | undefined> {
    const raw = await readIfExists(this.#revision(name, digest));
    return raw === undefined ? undefined : (JSON.parse(raw.toString("utf8")) as ManifestRecord);
  }

  /** When the manifest was last pushed to the repository (ms), or undefined. */
  async revisionTime(name: string, digest: Digest): Promise<number | undefined> {
    try {
      return (await fs.stat(this.#revision(name, digest))).mtimeMs;
    } catch (err) {
      if (errnoCode(err) === "ENOENT") return undefined;
      throw err;
    }
  }

  async listRevisions(name: string): Promise<Digest[]> {
    return digestsIn(path.join(this.repoDir(name), "_manifests", "revisions", "sha256"));
  }

  /** Removes the manifest from the repository and every tag naming it; false when it was not there. */
  async deleteManifest(name: string, digest: Digest): Promise<boolean> {
    for (const tag of (await this.listTags(name)) ?? []) {
      if ((await this.resolveTag(name, tag)) === digest) await this.deleteTag(name, tag);
    }
    return removeIfExists(this.#revision(name, digest));
  }

  async resolveTag(name: string, tag: string): Promise<Digest | undefined> {
    const raw = await readIfExists(this.#tagFile(name, tag));
    const d = raw?.toString("utf8").trim();
    return d !== undefined && isDigest(d) ? d : undefined;
  }

  async setTag(name: string, tag: string, digest: Digest): Promise<void> {
    const file = this.#tagFile(name, tag);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, `${digest}\n`);
  }

  async deleteTag(name: string, tag: string): Promise<boolean> {
    return removeIfExists(this.#tagFile(name, tag));
  }

  /** Tags of a repository, or undefined when the repository does not exist. */
  async listTags(name: string): Promise<string[] | undefined> {
    if (!(await this.repositoryExists(name))) return undefined;
    try {
      const names = await fs.readdir(path.join(this.repoDir(name), "_manifests", "tags"));
      return names.filter((n) => !n.startsWith(".")).sort(compareAscii);
    } catch (err) {
      if (errnoCode(err) === "ENOENT") return [];
      throw err;
    }
  }

  async repositoryExists(name: string): Promise<boolean> {
    for (const sub of ["_manifests", "_layers"]) {
      if ((await statSize(path.join(this.repoDir(name), sub))) !== undefined) return true;
    }
    return false;
  }

  /** Every repository name, sorted: directories holding `_manifests` or `_layers`. */
  async listRepositories(): Promise<string[]> {
    const out: string[] = [];
    const walk = async (dir: string, prefix: string): Promise<void> => {
      let entries: import("node:fs").Dirent[];
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch (err) {
        if (errnoCode(err) === "ENOENT") return;
        throw err;
      }
      if (entries.some((e) => e.isDirectory() && (e.name === "_manifests" || e.name === "_layers"))) {
        out.push(prefix);
      }
      for (const e of entries) {
        if (e.isDirectory() && !e.name.startsWith("_") && !e.name.startsWith(".")) {
          await walk(path.join(dir, e.name), prefix === "" ? e.name : `${prefix}/${e.name}`);
        }
      }
    };
    await walk(path.join(this.root, "repositories"), "");
    return out.filter((n) => n !== "").sort(compareAscii);
  }
}

/** The referrers API's descriptor of a stored manifest. */
export function referrerDescriptor(digest: Digest, record: ManifestRecord): Descriptor {
  const d: Descriptor = { mediaType: record.mediaType, digest, size: record.size };
  if (record.artifactType !== undefined) d.artifactType = record.artifactType;
  if (record.annotations !== undefined) d.annotations = record.annotations;
  return d;
}

async function statSize(p: string): Promise<number | undefined> {
  try {
    return (await fs.stat(p)).size;
  } catch (err) {
    if (errnoCode(err) === "ENOENT" || errnoCode(err) === "ENOTDIR") return undefined;
    throw err;
  }
}

async function readIfExists(p: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(p);
  } catch (err) {
    if (errnoCode(err) === "ENOENT" || errnoCode(err) === "ENOTDIR") return undefined;
    throw err;
  }
}

async function removeIfExists(p: string): Promise<boolean> {
  try {
    await fs.unlink(p);
    return true;
  } catch (err) {
    if (errnoCode(err) === "ENOENT" || errnoCode(err) === "ENOTDIR") return false;
    throw err;
  }
}

async function digestsIn(dir: string): Promise<Digest[]> {
  try {
    const names = await fs.readdir(dir);
    return names.map((n) => `sha256:${n}`).filter((d): d is Digest => isDigest(d));
  } catch (err) {
    if (errnoCode(err) === "ENOENT") return [];
    throw err;
  }
}
