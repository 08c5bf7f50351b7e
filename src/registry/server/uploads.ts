/**
 * Blob upload sessions (POST, then PATCH chunks, then PUT ?digest=). A session is a directory
 * `<root>/uploads/<uuid>/` holding `info.json` (repository, start time) and `data` (the bytes so far),
 * so a session outlives a server restart. The bytes are hashed as they arrive; the running hash is
 * kept in memory and rebuilt from `data` when missing. On PUT the digest is checked before anything
 * becomes visible: a mismatch removes the session and stores nothing; a match fsyncs `data` and
 * renames it to the blob's address.
 *
 * Chunks must arrive in order: a chunk whose Content-Range does not start at the current size gets
 * 416, and a chunk that fails half-way (connection lost, length mismatch) is cut off again, so the
 * session stays at its last good size.
 */
import { createHash, type Hash, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream, promises as fs } from "node:fs";
import path from "node:path";
import { type Readable, Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Digest } from "../../lib/digest.js";
import { errnoCode } from "../../lib/errors.js";
import { KeyedMutex } from "../../lib/lock.js";
import { blobUploadUnknown, digestInvalid, rangeNotSatisfiable, sizeInvalid } from "./errors.js";
import type { ByteRange } from "./ranges.js";
import type { RegistryStorage } from "./storage.js";

interface UploadInfo {
  name: string;
  startedAt: string;
}

interface HashState {
  hash: Hash;
  size: number;
}

export interface ChunkOptions {
  /** The chunk's Content-Range; without one the chunk is appended at the end. */
  range?: ByteRange;
  /** The request's Content-Length, when it sent one. */
  length?: number;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class Uploads {
  readonly #storage: RegistryStorage;
  readonly #hashes = new Map<string, HashState>();
  readonly #locks = new KeyedMutex();

  constructor(storage: RegistryStorage) {
    this.#storage = storage;
  }

  #dir(uuid: string): string {
    return path.join(this.#storage.uploadsDir(), uuid);
  }

  async start(name: string): Promise<string> {
    const uuid = randomUUID();
    const dir = this.#dir(uuid);
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, "data"), "");
    const info: UploadInfo = { name, startedAt: new Date().toISOString() };
    await fs.writeFile(path.join(dir, "info.json"), JSON.stringify(info));
    this.#hashes.set(uuid, { hash: createHash("sha256"), size: 0 });
    return uuid;
  }

  /** The number of bytes received; throws BLOB_UPLOAD_UNKNOWN for an unknown session of `name`. */
  async size(name: string, uuid: string): Promise<number> {
    await this.#check(name, uuid);
    return (await fs.stat(path.join(this.#dir(uuid), "data"))).size;
  }

  /** Appends one chunk; returns the new size. */
  async append(name: string, uuid: string, body: Readable, opts: ChunkOptions = {}): Promise<number> {
    return this.#locks.run(uuid, async () => {
      await this.#check(name, uuid);
      return this.#appendLocked(uuid, body, opts);
    });
  }

  /**
   * Appends the final chunk (if any), checks the digest (and `expectedSize`, when known), and commits
   * the blob. The session is gone afterwards, whether the digest matched or not.
   */
  async finish(
    name: string,
    uuid: string,
    digest: Digest,
    body: Readable,
    opts: ChunkOptions & { expectedSize?: number } = {},
  ): Promise<number> {
    return this.#locks.run(uuid, async () => {
      await this.#check(name, uuid);
      const size = await this.#appendLocked(uuid, body, opts);
      const state = await this.#hashState(uuid);
      const got: Digest = `sha256:${state.hash.copy().digest("hex")}`;
      if (got !== digest) {
        await this.#remove(uuid);
        throw digestInvalid(`provided digest ${digest} does not match the uploaded content (${got})`, {
          expected: digest,
          actual: got,
        });
      }
      if (opts.expectedSize !== undefined && opts.expectedSize !== size) {
        await this.#remove(uuid);
        throw sizeInvalid(`upload is ${size} bytes, but ${opts.expectedSize} were announced`);
      }
      const data = path.join(this.#dir(uuid), "data");
      const fh = await fs.open(data, "r");
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
      await this.#storage.commitBlobFile(data, digest);
      await this.#storage.linkLayer(name, digest);
      await this.#remove(uuid);
      return size;
    });
  }

  async cancel(name: string, uuid: string): Promise<void> {
    await this.#locks.run(uuid, async () => {
      await this.#check(name, uuid);
      await this.#remove(uuid);
    });
  }

  async #check(name: string, uuid: string): Promise<void> {
    if (!UUID_RE.test(uuid)) throw blobUploadUnknown(uuid);
    let info: UploadInfo;
    try {
      info = JSON.parse(await fs.readFile(path.join(this.#dir(uuid), "info.json"), "utf8")) as UploadInfo;
    } catch (err) {
      if (errnoCode(err) === "ENOENT" || err instanceof SyntaxError) throw blobUploadUnknown(uuid);
      throw err;
    }
    if (info.name !== name) throw blobUploadUnknown(uuid);
  }

  async #hashState(uuid: string): Promise<HashState> {
    const data = path.join(this.#dir(uuid), "data");
    const size = (await fs.stat(data)).size;
    const cached = this.#hashes.get(uuid);
    if (cached && cached.size === size) return cached;
    // A session from before a restart (or one cut short): hash what is on disk again.
    const hash = createHash("sha256");
    for await (const chunk of createReadStream(data)) hash.update(chunk as Buffer);
    const state = { hash, size };
    this.#hashes.set(uuid, state);
    return state;
  }

  async #appendLocked(uuid: string, body: Readable, opts: ChunkOptions): Promise<number> {
    const state = await this.#hashState(uuid);
    const before = state.size;
    if (opts.range !== undefined && opts.range.start !== before) {
      body.resume();
      throw rangeNotSatisfiable(
        `chunk starts at byte ${opts.range.start}, but the upload holds ${before} bytes; send from byte ${before}`,
        { offset: before },
      );
    }
    const want = opts.range !== undefined ? opts.range.end - opts.range.start + 1 : opts.length;
    if (opts.range !== undefined && opts.length !== undefined && opts.length !== want) {
      body.resume();
      throw sizeInvalid(`Content-Length ${opts.length} does not match Content-Range (${want} bytes)`);
    }
    const saved = state.hash.copy();
    let count = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, cb: TransformCallback) {
        state.hash.update(chunk);
        count += chunk.length;
        cb(null, chunk);
      },
    });
    const data = path.join(this.#dir(uuid), "data");
    try {
      await pipeline(body, counter, createWriteStream(data, { flags: "r+", start: before }));
      if (want !== undefined && count !== want) {
        throw sizeInvalid(`chunk was ${count} bytes, but ${want} were announced`);
      }
    } catch (err) {
      // Back to the last good state: cut the file and restore the hash.
      await fs.truncate(data, before).catch(() => {});
      this.#hashes.set(uuid, { hash: saved, size: before });
      throw err;
    }
    state.size = before + count;
    return state.size;
  }

  async #remove(uuid: string): Promise<void> {
    this.#hashes.delete(uuid);
    await fs.rm(this.#dir(uuid), { recursive: true, force: true });
  }
}
