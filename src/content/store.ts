import type { Readable } from "node:stream";
import type { Digest } from "../lib/digest.js";

/**
 * A content-addressed blob store.
 *
 * Lifecycle: a writer *ingests* bytes into a temporary file; on commit the digest (and size, when
 * expected) is verified and the file is fsync'ed and renamed to its address. Until then nothing is
 * visible to readers, so a crash or a failed verification leaves no half-written blob behind.
 * Blobs are immutable once committed; *delete* is only called by garbage collection.
 */
export interface BlobInfo {
  digest: Digest;
  size: number;
}

export interface Expected {
  digest?: Digest;
  size?: number;
}

export interface Provider {
  info(digest: Digest): Promise<BlobInfo | undefined>;
  readStream(digest: Digest): Readable;
  readBytes(digest: Digest): Promise<Buffer>;
}

export interface Ingester {
  /** Stores a stream; throws invalid-argument when it does not match `expected`. */
  ingest(data: Readable, expected?: Expected): Promise<BlobInfo>;
  put(data: string | Uint8Array, expected?: Expected): Promise<BlobInfo>;
}

export interface Manager {
  list(): Promise<Digest[]>;
  delete(digest: Digest): Promise<void>;
}

export interface ContentStore extends Provider, Ingester, Manager {}
