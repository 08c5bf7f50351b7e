import { promises as fs } from "node:fs";
import path from "node:path";
import { readJsonIfExists, writeJsonAtomic } from "../lib/atomic-file.js";
import type { Digest } from "../lib/digest.js";
import { conflict, invalidArgument, notFound } from "../lib/errors.js";
import { Mutex } from "../lib/lock.js";
import type { Descriptor } from "../oci/descriptor.js";
import { formatReference, looksLikeImageId, parseReference, withDefaultTag } from "../oci/reference.js";

/**
 * The image metadata store: what names point at which images, and what each image is made of.
 * Blobs live in the content store and layer contents in the snapshotter; this file only indexes them.
 *
 * On disk, one JSON document replaced atomically (tmp + fsync + rename), so a crash at any point
 * leaves either the old or the new index; blobs and snapshots are always written *before* the index
 * that refers to them, and anything unreferenced is swept by garbage collection:
 *
 *   <root>/images.json
 *     schemaVersion: 1
 *     images:  { <image id = config digest>: ImageRecord }
 *     tags:    { "docker.io/library/busybox:latest": <image id> }
 *     layers:  { <chain id>: LayerRecord }
 */
export interface ImageRecord {
  id: Digest;
  /** The manifest in the content store (OCI or Docker v2 schema 2). */
  manifest: Descriptor;
  /** Chain ids of the layers, bottom first. */
  chain: Digest[];
  /** "docker.io/library/busybox@sha256:…" for images that came from (or went to) a registry. */
  repoDigests: string[];
  /** When berth first stored it (Docker's Metadata.LastTagTime is separate). */
  addedAt: string;
  lastTagTime?: string;
  /** Image this one was built or committed from (Docker's Parent), if known. */
  parent?: Digest;
}

export interface LayerRecord {
  chainId: Digest;
  diffId: Digest;
  parent?: Digest;
  /** The layer blob in the content store (may be compressed) and its media type. */
  blob: Descriptor;
  /** Bytes of file content the layer adds (what `history` shows). */
  size: number;
  /** Size of the uncompressed layer tar (for save). */
  diffSize: number;
}

interface Doc {
  schemaVersion: 1;
  images: Record<string, ImageRecord>;
  tags: Record<string, Digest>;
  layers: Record<string, LayerRecord>;
}

const emptyDoc = (): Doc => ({ schemaVersion: 1, images: {}, tags: {}, layers: {} });

export class ImageStore {
  readonly #file: string;
  readonly #mutex = new Mutex();
  #doc: Doc;

  private constructor(file: string, doc: Doc) {
    this.#file = file;
    this.#doc = doc;
  }

  static async open(root: string): Promise<ImageStore> {
    await fs.mkdir(root, { recursive: true });
    const file = path.join(root, "images.json");
    const doc = (await readJsonIfExists<Doc>(file)) ?? emptyDoc();
    if (doc.schemaVersion !== 1) throw new Error(`${file}: unsupported schemaVersion ${doc.schemaVersion}`);
    return new ImageStore(file, doc);
  }

  /** Runs a read-modify-write on a copy and publishes it only when the write succeeded. */
  async update<T>(fn: (doc: Doc) => T): Promise<T> {
    return this.#mutex.run(async () => {
      const next = structuredClone(this.#doc);
      const result = fn(next);
      await writeJsonAtomic(this.#file, next);
      this.#doc = next;
      return result;
    });
  }

  list(): ImageRecord[] {
    return Object.values(this.#doc.images);
  }

  get(id: Digest): ImageRecord | undefined {
    return this.#doc.images[id];
  }

  layer(chainId: Digest): LayerRecord | undefined {
    return this.#doc.layers[chainId];
  }

  layers(): LayerRecord[] {
    return Object.values(this.#doc.layers);
  }

  /** Full references ("docker.io/library/busybox:latest") that point at an image. */
  tagsOf(id: Digest): string[] {
    return Object.entries(this.#doc.tags)
      .filter(([, v]) => v === id)
      .map(([k]) => k)
      .sort();
  }

  tagEntries(): [string, Digest][] {
    return Object.entries(this.#doc.tags);
  }

  /**
   * Finds an image the way Docker does: a full or short ID ("sha256:ab12…", "ab12"), a name with
   * an implied ":latest", name:tag, or name@digest.
   */
  resolve(nameOrId: string): ImageRecord {
    const found = this.lookup(nameOrId);
    if (!found) throw notFound(`No such image: ${nameOrId}`);
    return found;
  }

  lookup(nameOrId: string): ImageRecord | undefined {
    const s = nameOrId.trim();
    if (s === "") throw invalidArgument("image name must not be empty");
    if (looksLikeImageId(s)) {
      const id = (s.startsWith("sha256:") ? s : `sha256:${s}`) as Digest;
      const img = this.#doc.images[id];
      if (img) return img;
    }
    const idPrefix = /^(sha256:)?([a-f0-9]{1,63})$/.exec(s);
    if (idPrefix) {
      const hits = Object.values(this.#doc.images).filter((i) => i.id.slice(7).startsWith(idPrefix[2]!));
      if (hits.length > 1 && idPrefix[2]!.length >= 1) {
        throw invalidArgument(`multiple IDs found with provided prefix: ${s}`);
      }
      if (hits.length === 1) return hits[0];
      if (idPrefix[1]) return undefined;
    }
    let ref: ReturnType<typeof parseReference>;
    try {
      ref = parseReference(s);
    } catch (err) {
      if (idPrefix) return undefined;
      throw err;
    }
    if (ref.digest) {
      const repo = formatReference({ domain: ref.domain, path: ref.path });
      const want = `${repo}@${ref.digest}`;
      const byDigest = Object.values(this.#doc.images).find((i) => i.repoDigests.includes(want));
      if (byDigest) return byDigest;
      if (ref.tag === undefined) {
        // A digest reference may also name the image id (config digest) or manifest digest.
        return Object.values(this.#doc.images).find((i) => i.manifest.digest === ref.digest);
      }
    }
    const id = this.#doc.tags[formatReference(withDefaultTag({ ...ref, digest: undefined }))];
    return id ? this.#doc.images[id] : undefined;
  }
}

/** Mutations on a Doc copy; used inside ImageStore.update. */
export const docOps = {
  setTag(doc: Doc, ref: string, id: Digest): Digest | undefined {
    if (!doc.images[id]) throw notFound(`No such image: ${id}`);
    const prev = doc.tags[ref];
    doc.tags[ref] = id;
    doc.images[id]!.lastTagTime = new Date().toISOString();
    return prev !== id ? prev : undefined;
  },
  removeTag(doc: Doc, ref: string): Digest {
    const id = doc.tags[ref];
    if (!id) throw notFound(`No such image: ${ref}`);
    delete doc.tags[ref];
    return id;
  },
  putImage(doc: Doc, image: ImageRecord, layers: LayerRecord[]): void {
    for (const l of layers) doc.layers[l.chainId] = l;
    const prev = doc.images[image.id];
    doc.images[image.id] = prev
      ? { ...prev, repoDigests: [...new Set([...prev.repoDigests, ...image.repoDigests])] }
      : image;
  },
  removeImage(doc: Doc, id: Digest): void {
    if (Object.values(doc.tags).includes(id)) throw conflict(`image ${id} is still tagged`);
    delete doc.images[id];
  },
  /** Drops layer records no image refers to; returns their chain ids (for snapshot removal). */
  pruneLayers(doc: Doc, keep: Set<Digest> = new Set()): LayerRecord[] {
    const used = new Set<string>(keep);
    for (const img of Object.values(doc.images)) for (const c of img.chain) used.add(c);
    const dropped = Object.values(doc.layers).filter((l) => !used.has(l.chainId));
    for (const l of dropped) delete doc.layers[l.chainId];
    return dropped;
  },
};

export type ImageStoreDoc = Doc;
