/**
 * The directories of `RUN --mount=type=cache`, kept under <data-root>/builder/cache-mounts/ so they
 * survive builds and daemon restarts; `builder prune` removes them. One directory per id (its
 * sha256, so any id is a safe name), plus `<hash>-N` instances for "private" users while the shared
 * one is held.
 *
 *   shared   every RUN gets the same directory, even at the same time
 *   locked   a RUN waits until the one holding the directory is done
 *   private  a RUN gets the directory if free, else an instance of its own
 */
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import type { CacheMountOptions } from "../../builder/exec/index.js";

export class CacheMounts {
  readonly #held = new Map<string, number>();
  readonly #waiters = new Map<string, (() => void)[]>();

  constructor(readonly root: string) {}

  async acquire(id: string, o: CacheMountOptions): Promise<{ dir: string; release(): void }> {
    const base = createHash("sha256").update(id).digest("hex").slice(0, 32);
    let name = base;
    if (o.sharing === "locked") {
      while ((this.#held.get(base) ?? 0) > 0) {
        await new Promise<void>((r) => this.#waiters.set(base, [...(this.#waiters.get(base) ?? []), r]));
      }
    } else if (o.sharing === "private") {
      for (let i = 1; (this.#held.get(name) ?? 0) > 0; i++) name = `${base}-${i}`;
    }
    this.#held.set(name, (this.#held.get(name) ?? 0) + 1);
    const dir = path.join(this.root, name);
    try {
      await fs.mkdir(this.root, { recursive: true, mode: 0o700 });
      const made = await fs.mkdir(dir).then(
        () => true,
        (err: NodeJS.ErrnoException) => {
          if (err.code !== "EEXIST") throw err;
          return false;
        },
      );
      if (made) {
        await fs.chown(dir, o.uid, o.gid);
        await fs.chmod(dir, o.mode);
      }
    } catch (err) {
      this.#release(name);
      throw err;
    }
    let released = false;
    return {
      dir,
      release: () => {
        if (!released) this.#release(name);
        released = true;
      },
    };
  }

  #release(name: string): void {
    const n = (this.#held.get(name) ?? 1) - 1;
    if (n > 0) this.#held.set(name, n);
    else this.#held.delete(name);
    this.#waiters.get(name)?.shift()?.();
  }

  /** Whether any RUN holds a directory now (prune leaves the directories alone then). */
  get busy(): boolean {
    return this.#held.size > 0;
  }

  /** Removes every cache directory not in use; the bytes freed. */
  async prune(): Promise<number> {
    const names = await fs.readdir(this.root).catch(() => [] as string[]);
    let freed = 0;
    for (const name of names) {
      if (this.#held.has(name)) continue;
      freed += await diskUsage(path.join(this.root, name));
      await fs.rm(path.join(this.root, name), { recursive: true, force: true });
    }
    return freed;
  }
}

/** Bytes of the regular files under `p` (not following symlinks). */
export async function diskUsage(p: string): Promise<number> {
  const st = await fs.lstat(p).catch(() => undefined);
  if (!st) return 0;
  if (!st.isDirectory()) return st.isFile() ? st.size : 0;
  let n = 0;
  for (const name of await fs.readdir(p)) n += await diskUsage(path.join(p, name));
  return n;
}
