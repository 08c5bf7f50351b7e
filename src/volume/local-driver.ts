/**
 * The `local` volume driver: a directory per volume, optionally backed by a filesystem mounted on
 * it (options type/device/o, see options.ts).
 *
 *   <root>/<name>/_data     the volume's data, bind-mounted into containers (Docker's layout)
 *
 * The daemon keeps its record of the volume beside `_data` (<root>/<name>/record.json); the driver
 * owns `_data` only. A volume with mount options is mounted when its first user mounts it and
 * unmounted when the last one lets go (moby's active count). The count lives in memory: after a
 * restart of berthd the re-adopted containers mount again, and a mount that is already there is
 * reused, not stacked.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { BerthError, errnoCode, failedPrecondition } from "../lib/errors.js";
import { CommandError, type CommandRunner, spawnRunner } from "../lib/exec.js";
import { KeyedMutex } from "../lib/lock.js";
import { validateVolumeName } from "./names.js";
import { type LocalMountOptions, maskPassword, mountArgs, parseLocalOptions } from "./options.js";
import { directorySize } from "./usage.js";

export const LOCAL_DRIVER = "local";

export interface LocalDriverOptions {
  runner?: CommandRunner;
}

export class LocalVolumeDriver {
  readonly name = LOCAL_DRIVER;
  readonly root: string;
  readonly #runner: CommandRunner;
  readonly #active = new Map<string, Set<string>>();
  readonly #locks = new KeyedMutex();

  constructor(root: string, opts: LocalDriverOptions = {}) {
    this.root = root;
    this.#runner = opts.runner ?? spawnRunner;
  }

  /** The host path containers see: <root>/<name>/_data. */
  path(name: string): string {
    validateVolumeName(name);
    return path.join(this.root, name, "_data");
  }

  /** Checks the options and makes the data directory; an existing one is kept (idempotent). */
  async create(name: string, options: Readonly<Record<string, string>> = {}): Promise<void> {
    validateVolumeName(name);
    parseLocalOptions(options);
    await fs.mkdir(path.join(this.root, name), { recursive: true, mode: 0o701 });
    await fs.mkdir(this.path(name), { recursive: true, mode: 0o755 });
  }

  /** Containers (or other users) holding the volume mounted now. */
  activeCount(name: string): number {
    return this.#active.get(name)?.size ?? 0;
  }

  /**
   * Takes a reference for `ref` (a container id) and returns the path to bind-mount; the first
   * reference mounts the backing filesystem when the volume has one.
   */
  async mount(name: string, options: Readonly<Record<string, string>>, ref: string): Promise<string> {
    const p = this.path(name);
    return this.#locks.run(name, async () => {
      const m = parseLocalOptions(options);
      if (m && !(await isMountPoint(p))) await this.#mountBacking(m, p);
      let refs = this.#active.get(name);
      if (!refs) {
        refs = new Set();
        this.#active.set(name, refs);
      }
      refs.add(ref);
      return p;
    });
  }

  /** Drops `ref`'s reference; the last one unmounts the backing filesystem. Unknown refs are fine. */
  async unmount(name: string, options: Readonly<Record<string, string>>, ref: string): Promise<void> {
    const p = this.path(name);
    await this.#locks.run(name, async () => {
      const refs = this.#active.get(name);
      refs?.delete(ref);
      if (refs && refs.size > 0) return;
      this.#active.delete(name);
      if (parseLocalOptions(options)) await this.#unmountAll(p);
    });
  }

  /**
   * Removes the volume's data. Refuses while it is mounted by a user; a backing mount is taken
   * down first, and nothing is deleted while anything is still mounted below the data directory.
   */
  async remove(name: string): Promise<void> {
    const p = this.path(name);
    await this.#locks.run(name, async () => {
      if (this.activeCount(name) > 0) throw failedPrecondition("volume has active mounts");
      await this.#unmountAll(p);
      if ((await mountsBelow(p)).length > 0) {
        throw new BerthError("internal", `volume ${name} is still mounted at ${p}; not removing its data`);
      }
      await fs.rm(p, { recursive: true, force: true });
      await fs.rmdir(path.dirname(p)).catch((err) => {
        if (errnoCode(err) !== "ENOENT" && errnoCode(err) !== "ENOTEMPTY") throw err;
      });
    });
  }

  /** Bytes used by the volume's data (see usage.ts). */
  async usage(name: string): Promise<number> {
    return directorySize(this.path(name));
  }

  async #mountBacking(m: LocalMountOptions, target: string): Promise<void> {
    await fs.mkdir(target, { recursive: true });
    try {
      await this.#runner.run("mount", mountArgs(m, target));
    } catch (err) {
      const detail = err instanceof CommandError ? err.result.stderr.trim() || err.message : String(err);
      throw new BerthError("internal", maskPassword(`failed to mount local volume: ${detail}`), {
        cause: err,
      });
    }
  }

  async #unmountAll(target: string): Promise<void> {
    for (let i = 0; i < 64; i++) {
      const below = await mountsBelow(target);
      if (below.length === 0) return;
      const deepest = below.sort((a, b) => b.length - a.length)[0]!;
      await this.#runner.run("umount", ["--", deepest]);
    }
  }
}

/** Undoes mountinfo's octal escapes ("\040" for a space). */
function unescapeMountinfo(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));
}

/** Mount points at or below `dir` in berthd's mount namespace. */
async function mountsBelow(dir: string): Promise<string[]> {
  let real: string;
  try {
    real = await fs.realpath(dir);
  } catch (err) {
    if (errnoCode(err) === "ENOENT") return [];
    throw err;
  }
  const text = await fs.readFile("/proc/self/mountinfo", "utf8");
  return text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => unescapeMountinfo(l.split(" ")[4] ?? ""))
    .filter((p) => p === real || p.startsWith(`${real}/`));
}

async function isMountPoint(dir: string): Promise<boolean> {
  const real = await fs.realpath(dir).catch(() => path.resolve(dir));
  return (await mountsBelow(dir)).includes(real);
}
