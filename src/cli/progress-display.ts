/**
 * Shows Docker's JSON progress messages (pull, push) the way the docker CLI does: on a terminal one
 * line per layer id, rewritten in place as its status and bar change; otherwise plain lines, one per
 * status change ("3f4d90098f5b: Pull complete"), without the byte counts.
 */

import type { JsonMessage } from "../api/client/images.js";
import { BerthError } from "../lib/errors.js";

export interface ProgressOutput {
  write(s: string): unknown;
  isTTY?: boolean;
}

export class ProgressDisplay {
  readonly #out: ProgressOutput;
  readonly #tty: boolean;
  /** Layer ids in the order their lines were printed (TTY mode). */
  readonly #ids: string[] = [];
  readonly #last = new Map<string, string>();

  constructor(out: ProgressOutput, opts: { tty?: boolean } = {}) {
    this.#out = out;
    this.#tty = opts.tty ?? out.isTTY === true;
  }

  /** Shows one message; throws the in-band error of a failed stream. */
  show(m: JsonMessage): void {
    if (m.errorDetail !== undefined || m.error !== undefined) {
      throw new BerthError("internal", m.errorDetail?.message ?? String(m.error));
    }
    if (m.status === undefined) return;
    const text = m.id ? `${m.id}: ${m.status}${m.progress ? ` ${m.progress}` : ""}` : m.status;
    if (!this.#tty) {
      if (m.progress !== undefined || m.progressDetail?.current !== undefined) return;
      const key = m.id ?? "";
      if (m.id && this.#last.get(key) === m.status) return;
      this.#last.set(key, m.status);
      this.#out.write(`${text}\n`);
      return;
    }
    if (!m.id) {
      this.#out.write(`${text}\n`);
      this.#ids.length = 0; // lines above are final
      return;
    }
    const i = this.#ids.indexOf(m.id);
    if (i === -1) {
      this.#ids.push(m.id);
      this.#out.write(`${text}\n`);
      return;
    }
    const up = this.#ids.length - i;
    this.#out.write(`\x1b[${up}A\r\x1b[2K${text}\x1b[${up}B\r`);
  }
}
