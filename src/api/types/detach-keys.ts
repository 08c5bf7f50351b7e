/**
 * The `--detach-keys` sequence, as docker reads it: comma-separated keys, each a single character
 * or `ctrl-<x>` for x in @, a-z, [, \, ], ^, _ (plus "DEL"). The default is ctrl-p,ctrl-q.
 *
 *   parseDetachKeys("ctrl-a,b")  // Uint8Array [1, 98]
 *   parseDetachKeys("ctrl-zz")   // throws "Unknown character: 'ctrl-zz'"
 *
 * EscapeDetector watches the stdin bytes of an attached TTY session for the sequence, holding back
 * a partial match until it is complete (detach) or broken (the held bytes are forwarded). (pure)
 */

export const DEFAULT_DETACH_KEYS = "ctrl-p,ctrl-q";

const CTRL_KEYS = "@abcdefghijklmnopqrstuvwxyz[\\]^_";

/** Key names to bytes; throws Error("Unknown character: '<key>'") as moby/term does. */
export function parseDetachKeys(keys: string): Uint8Array {
  const codes: number[] = [];
  for (const key of keys.split(",")) {
    if (key.length === 1) {
      codes.push(key.charCodeAt(0) & 0xff);
      continue;
    }
    const ctrl = key.startsWith("ctrl-") && key.length === 6 ? CTRL_KEYS.indexOf(key[5]!) : -1;
    if (ctrl >= 0) codes.push(ctrl);
    else if (key === "DEL") codes.push(127);
    else throw new Error(`Unknown character: '${key}'`);
  }
  return Uint8Array.from(codes);
}

export interface EscapeResult {
  /** Bytes to send to the container. */
  readonly forward: Buffer;
  /** The whole sequence was typed: stop reading stdin and detach. */
  readonly detached: boolean;
}

/** Finds the detach sequence in a byte stream (moby/term's escape proxy, as a pure state machine). */
export class EscapeDetector {
  readonly #keys: Uint8Array;
  /** How many bytes of the sequence have been matched (and held back) so far. */
  #pos = 0;

  constructor(keys: Uint8Array) {
    this.#keys = keys;
  }

  feed(chunk: Uint8Array): EscapeResult {
    if (this.#keys.length === 0) return { forward: Buffer.from(chunk), detached: false };
    const out: number[] = [];
    for (const byte of chunk) {
      if (byte === this.#keys[this.#pos]) {
        this.#pos++;
        if (this.#pos === this.#keys.length) {
          this.#pos = 0;
          return { forward: Buffer.from(out), detached: true };
        }
        continue;
      }
      // The partial match broke: release the held bytes, then look at this byte afresh.
      for (let i = 0; i < this.#pos; i++) out.push(this.#keys[i]!);
      this.#pos = 0;
      if (byte === this.#keys[0]) {
        this.#pos = 1;
        if (this.#keys.length === 1) return { forward: Buffer.from(out), detached: true };
      } else out.push(byte);
    }
    return { forward: Buffer.from(out), detached: false };
  }

  /** Bytes held back as a partial match (sent when stdin ends). */
  flush(): Buffer {
    const held = Buffer.from(this.#keys.subarray(0, this.#pos));
    this.#pos = 0;
    return held;
  }
}
