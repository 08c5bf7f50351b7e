import { createHash, type Hash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";
import { invalidArgument } from "./errors.js";

/** "sha256:<64 hex>": the only algorithm berth writes; reading accepts only it too. */
export type Digest = `sha256:${string}`;

const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;

export function isDigest(s: string): s is Digest {
  return DIGEST_RE.test(s);
}

export function parseDigest(s: string): Digest {
  if (!isDigest(s)) throw invalidArgument(`invalid digest "${s}": expected sha256:<64 lowercase hex>`);
  return s;
}

export function digestHex(d: Digest): string {
  return d.slice("sha256:".length);
}

export function sha256(data: string | Uint8Array): Digest {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

/** A pass-through stream that hashes and counts what flows through it. */
export class DigestingStream extends Transform {
  readonly #hash: Hash = createHash("sha256");
  #size = 0;
  #digest: Digest | undefined;
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.#hash.update(chunk);
    this.#size += chunk.length;
    cb(null, chunk);
  }
  override _flush(cb: TransformCallback): void {
    this.#digest = `sha256:${this.#hash.digest("hex")}`;
    cb();
  }
  get size(): number {
    return this.#size;
  }
  /** Available once the stream has ended. */
  get digest(): Digest {
    if (!this.#digest) throw new Error("DigestingStream: digest read before end");
    return this.#digest;
  }
}
