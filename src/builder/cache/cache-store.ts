/**
 * The persisted build cache: one record per step key, pointing at the image the step made.
 *
 *   <data-root>/builder/cache/<key hex>.json   { schemaVersion: 1, key, parentKey, instruction,
 *                                                text, args, sources?, imageId, created }
 *
 * Records are loaded once at open and written atomically; a record whose image is gone is a miss.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { writeJsonAtomic } from "../../lib/atomic-file.js";
import { digestHex } from "../../lib/digest.js";
import { errnoCode } from "../../lib/errors.js";
import { log } from "../../lib/log.js";
import type { SourceManifest, StepIdentity } from "./cache-key.js";
import { cacheKey } from "./cache-key.js";

export interface CacheRecord {
  schemaVersion: 1;
  key: string;
  parentKey: string;
  instruction: string;
  text: string;
  args: Record<string, string>;
  sources?: SourceManifest;
  imageId: string;
  created: string;
}

export class BuildCache {
  #dir: string;
  #records = new Map<string, CacheRecord>();

  private constructor(dir: string) {
    this.#dir = dir;
  }

  static async open(dir: string): Promise<BuildCache> {
    await fs.mkdir(dir, { recursive: true });
    const cache = new BuildCache(dir);
    for (const name of await fs.readdir(dir)) {
      if (!name.endsWith(".json")) continue;
      try {
        const rec = JSON.parse(await fs.readFile(path.join(dir, name), "utf8")) as CacheRecord;
        if (rec.schemaVersion === 1) cache.#records.set(rec.key, rec);
      } catch (err) {
        log.warn("skipping unreadable build cache record", { name, err: String(err) });
      }
    }
    return cache;
  }

  /** Every record, oldest first. */
  all(): CacheRecord[] {
    return [...this.#records.values()].sort((a, b) => a.created.localeCompare(b.created));
  }

  get(key: string): CacheRecord | undefined {
    return this.#records.get(key);
  }

  /** Earlier records of the same instruction on the same parent, oldest first. */
  siblings(step: StepIdentity): CacheRecord[] {
    return [...this.#records.values()]
      .filter((r) => r.parentKey === step.parentKey && r.instruction === step.instruction)
      .sort((a, b) => a.created.localeCompare(b.created));
  }

  async put(step: StepIdentity, imageId: string): Promise<CacheRecord> {
    const key = cacheKey(step);
    const rec: CacheRecord = {
      schemaVersion: 1,
      key,
      parentKey: step.parentKey,
      instruction: step.instruction,
      text: step.text,
      args: { ...step.args },
      ...(step.sources ? { sources: step.sources } : {}),
      imageId,
      created: new Date().toISOString(),
    };
    await writeJsonAtomic(path.join(this.#dir, `${digestHex(key)}.json`), rec);
    this.#records.set(key, rec);
    return rec;
  }

  async remove(key: string): Promise<void> {
    this.#records.delete(key);
    await fs.rm(path.join(this.#dir, `${digestHex(key as `sha256:${string}`)}.json`)).catch((err) => {
      if (errnoCode(err) !== "ENOENT") throw err;
    });
  }
}
