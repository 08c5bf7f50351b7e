import { promises as fs } from "node:fs";
import path from "node:path";
import { readJsonIfExists, writeJsonAtomic } from "../../lib/atomic-file.js";
import { errnoCode } from "../../lib/errors.js";
import { log } from "../../lib/log.js";

/**
 * Records kept one JSON file per object, all loaded into memory at start:
 *
 *   <dir>/<id>/record.json   { schemaVersion, ...record }   (replaced atomically)
 *
 * The per-object directory also holds that object's other files (logs, /etc files), so removing
 * an object is one recursive delete. A record that fails to parse is reported and skipped rather
 * than stopping the daemon.
 */
export interface Versioned {
  schemaVersion: number;
}

export class RecordStore<T extends Versioned & { id: string }> {
  readonly dir: string;
  readonly #records = new Map<string, T>();
  readonly #schemaVersion: number;

  private constructor(dir: string, schemaVersion: number) {
    this.dir = dir;
    this.#schemaVersion = schemaVersion;
  }

  static async open<T extends Versioned & { id: string }>(
    dir: string,
    schemaVersion: number,
    migrate: (raw: Versioned & Record<string, unknown>) => T = (raw) => raw as unknown as T,
  ): Promise<RecordStore<T>> {
    const store = new RecordStore<T>(dir, schemaVersion);
    await fs.mkdir(dir, { recursive: true });
    for (const id of await fs.readdir(dir)) {
      try {
        const raw = await readJsonIfExists<Versioned & Record<string, unknown>>(
          path.join(dir, id, "record.json"),
        );
        if (!raw) continue; // a directory whose record was never written: a create that crashed
        const rec = raw.schemaVersion === schemaVersion ? (raw as unknown as T) : migrate(raw);
        store.#records.set(rec.id, rec);
      } catch (err) {
        log.error("skipping unreadable record", { dir: path.join(dir, id), err: String(err) });
      }
    }
    return store;
  }

  pathOf(id: string, ...rest: string[]): string {
    return path.join(this.dir, id, ...rest);
  }

  get(id: string): T | undefined {
    return this.#records.get(id);
  }

  all(): T[] {
    return [...this.#records.values()];
  }

  async put(rec: T): Promise<void> {
    await fs.mkdir(this.pathOf(rec.id), { recursive: true });
    await writeJsonAtomic(this.pathOf(rec.id, "record.json"), { ...rec, schemaVersion: this.#schemaVersion });
    this.#records.set(rec.id, rec);
  }

  async delete(id: string): Promise<void> {
    this.#records.delete(id);
    try {
      await fs.rm(this.pathOf(id), { recursive: true, force: true });
    } catch (err) {
      if (errnoCode(err) !== "ENOENT") throw err;
    }
  }
}
