/**
 * Kept build contexts. A context that arrives as a tar is synced (image/archive syncTree) into the
 * directory an earlier build of the same tags and Dockerfile left, rather than extracted from
 * scratch: on a rebuild most files are already there, byte for byte.
 *
 *   <data-root>/builder/contexts/
 *     <slot>/context/     the synced tree
 *     <slot>/ready.json   {key, used}: written once a sync succeeded, removed before the next sync
 *
 * A slot without ready.json (berthd was killed mid-sync) is removed at start-up. At most MAX_SLOTS
 * are kept: a key no slot has takes a new slot, or, when there are MAX_SLOTS already, the least
 * recently used free one (its tree is synced over, whatever it held). A slot is never lent to two
 * builds at once: when none is free the build gets no lease and extracts into a temporary directory.
 */
import { createHash, randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { readJsonIfExists, writeJsonAtomic } from "../../lib/atomic-file.js";
import { diskUsage } from "./cache-mounts.js";

export const MAX_SLOTS = 4;

interface Slot {
  name: string;
  key: string;
  /** ms since the epoch of the last successful sync. */
  used: number;
  busy: boolean;
}

interface ReadyRecord {
  key: string;
  used: string;
}

export interface ContextLease {
  /** The tree to sync into (it exists, and may hold an earlier context). */
  dir: string;
  /** After a successful sync: the tree may be reused by a later build. */
  ready(): Promise<void>;
  /** After a failed sync: the slot is removed (a half-synced tree is never reused). */
  discard(): Promise<void>;
  /** When the build is done with the tree (whatever happened). */
  release(): void;
}

/** The name both CLIs give a Dockerfile from outside the context in the tar they send. */
export function isClientDockerfileName(name: string): boolean {
  return /^\.dockerfile\.[0-9a-f]+$/.test(name);
}

/**
 * The slot key of a build: its sorted tags and its Dockerfile parameter. A Dockerfile from outside
 * the context travels in the tar as `.dockerfile.<random>` (both CLIs): the random part is left
 * out, or every such build would look like a new project.
 */
export function contextSlotKey(tags: readonly string[], dockerfile: string): string {
  const file = isClientDockerfileName(dockerfile) ? ".dockerfile.*" : dockerfile;
  return createHash("sha256")
    .update(JSON.stringify([[...tags].sort(), file]))
    .digest("hex");
}

export class ContextSlots {
  readonly #root: string;
  readonly #max: number;
  #slots: Slot[];

  private constructor(root: string, max: number, slots: Slot[]) {
    this.#root = root;
    this.#max = max;
    this.#slots = slots;
  }

  /** Reads the slots under `root`, removing half-synced ones and any beyond `max` (least recent). */
  static async open(root: string, max = MAX_SLOTS): Promise<ContextSlots> {
    await fs.mkdir(root, { recursive: true, mode: 0o700 });
    const slots: Slot[] = [];
    for (const name of await fs.readdir(root)) {
      const ready = await readJsonIfExists<ReadyRecord>(path.join(root, name, "ready.json")).catch(
        () => undefined,
      );
      const tree = await fs.lstat(path.join(root, name, "context")).catch(() => undefined);
      const used = Date.parse(ready?.used ?? "");
      if (typeof ready?.key === "string" && tree?.isDirectory() && Number.isFinite(used))
        slots.push({ name, key: ready.key, used, busy: false });
      else await fs.rm(path.join(root, name), { recursive: true, force: true });
    }
    slots.sort((a, b) => b.used - a.used);
    for (const s of slots.splice(max)) await fs.rm(path.join(root, s.name), { recursive: true, force: true });
    return new ContextSlots(root, max, slots);
  }

  /** A slot for `key`, or undefined when the one it would take is busy. */
  async acquire(key: string): Promise<ContextLease | undefined> {
    let slot = this.#slots.find((s) => s.key === key);
    if (slot?.busy) return undefined;
    if (!slot && this.#slots.length < this.#max) {
      slot = { name: randomBytes(8).toString("hex"), key, used: 0, busy: false };
      this.#slots.push(slot);
    }
    slot ??= this.#slots.filter((s) => !s.busy).sort((a, b) => a.used - b.used)[0];
    if (!slot) return undefined;
    const s = slot;
    s.busy = true; // before any await: a concurrent acquire must not take it
    s.key = key;
    const dir = path.join(this.#root, s.name);
    try {
      // Invalid from here until ready(): a crash mid-sync leaves a slot start-up removes.
      await fs.rm(path.join(dir, "ready.json"), { force: true });
      await fs.mkdir(path.join(dir, "context"), { recursive: true });
    } catch (err) {
      await this.#drop(s);
      throw err;
    }
    let done = false;
    return {
      dir: path.join(dir, "context"),
      ready: async () => {
        s.used = Date.now();
        await writeJsonAtomic(path.join(dir, "ready.json"), {
          key,
          used: new Date(s.used).toISOString(),
        } satisfies ReadyRecord);
      },
      discard: () => this.#drop(s),
      release: () => {
        if (done) return;
        done = true;
        s.busy = false;
      },
    };
  }

  async #drop(s: Slot): Promise<void> {
    this.#slots = this.#slots.filter((x) => x !== s); // first: no acquire can take it any more
    await fs.rm(path.join(this.#root, s.name), { recursive: true, force: true });
  }

  /** Removes every kept context no build is using; the bytes freed. */
  async prune(): Promise<number> {
    let freed = 0;
    for (const s of [...this.#slots]) {
      // Checked at each turn: a build may have taken a slot while an earlier one was removed.
      if (s.busy || !this.#slots.includes(s)) continue;
      this.#slots = this.#slots.filter((x) => x !== s);
      freed += await diskUsage(path.join(this.#root, s.name, "context"));
      await this.#drop(s);
    }
    return freed;
  }
}
