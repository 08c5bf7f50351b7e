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
  /** The blob, or bytes [start, end] (inclusive, as fs ranges) of it. */
  readStream(digest: Digest, range?: { start: number; end?: number }): Readable;
  readBytes(digest: Digest): Promise<Buffer>;
}

export interface Ingester {
  /** Stores a stream; throws invalid-argument when it does not match `expected`. */
  ingest(data: Readable, expected?: Expected): Promise<BlobInfo>;
  put(data: string | Uint8Array, expected?: Expected): Promise<BlobInfo>;
}

/**
 * Downloads that may be interrupted: bytes received under a caller-chosen `ref` (a registry pull uses
 * the blob's digest) stay in the ingest area, so a later attempt continues from `partialSize(ref)`.
 * The partial is verified as a whole (earlier bytes re-hashed) before it is committed.
 */
export interface ResumableIngester {
  /** Bytes kept from an interrupted ingest of `ref`; 0 when there is none. */
  partialSize(ref: string): Promise<number>;
  /**
   * Writes `data` at `offset` of the partial `ref` (bytes beyond `offset` are dropped first; offset 0
   * starts over), then verifies the whole against `expected` and commits it. When `data` fails the
   * partial is kept for a resume; when verification fails it is removed and invalid-argument thrown.
   */
  ingestAt(ref: string, offset: number, data: Readable, expected: Expected): Promise<BlobInfo>;
  /** Forgets a partial ingest. */
  abortPartial(ref: string): Promise<void>;
}

export interface Manager {
  list(): Promise<Digest[]>;
  delete(digest: Digest): Promise<void>;
}

export interface ContentStore extends Provider, Ingester, ResumableIngester, Manager {}
