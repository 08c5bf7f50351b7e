import { type FSWatcher, promises as fs, watch } from "node:fs";
import path from "node:path";
import { BerthError, errnoCode, internal } from "../lib/errors.js";

/**
 * conmon's exit files. When the container's (or exec's) process has exited and its output is drained,
 * conmon writes the exit status as decimal text ("0", "137"; -1 when unknown, e.g. on --timeout) to
 *   - `<persistDir>/exit`   (and `<persistDir>/oom` appears if the cgroup saw an OOM kill), and
 *   - `<exitDir>/<id>`      (id = conmon's `-c`, the container id; one directory for all containers,
 *                            so a daemon can watch it).
 * Both are written with g_file_set_contents (temp file + rename): a reader never sees half a number.
 * The status is the exit code, or 128+signal when the process was killed.
 */

export function exitFilePath(exitDir: string, id: string): string {
  return path.join(exitDir, id);
}

export function persistExitFilePath(persistDir: string): string {
  return path.join(persistDir, "exit");
}

/** The exit status, or undefined while there is no exit file yet. */
export async function readExitFile(file: string): Promise<number | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (err) {
    if (errnoCode(err) === "ENOENT") return undefined;
    throw err;
  }
  const code = Number.parseInt(text.trim(), 10);
  if (!Number.isFinite(code)) throw internal(`exit file ${file}: unexpected content ${JSON.stringify(text)}`);
  return code;
}

/** Did the kernel OOM-kill a process of the container? (conmon writes `<persistDir>/oom`.) */
export async function wasOomKilled(persistDir: string): Promise<boolean> {
  try {
    await fs.access(path.join(persistDir, "oom"));
    return true;
  } catch {
    return false;
  }
}

export interface WaitExitOptions {
  signal?: AbortSignal;
  /** Give up after this long (BerthError "unavailable"). Default: wait for ever. */
  timeoutMs?: number;
  /** Re-check at least this often, in case a watch event is missed. Default 500 ms. */
  pollMs?: number;
}

/**
 * Waits for an exit file to appear and returns the status. Watches the directory (inotify) and polls
 * as a fallback; one wake-up per event or interval, never a busy loop.
 */
export async function waitExitFile(file: string, opts: WaitExitOptions = {}): Promise<number> {
  const pollMs = opts.pollMs ?? 500;
  const deadline = opts.timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + opts.timeoutMs;
  let watcher: FSWatcher | undefined;
  let wake: (() => void) | undefined;
  try {
    watcher = watch(path.dirname(file), { persistent: false }, () => wake?.());
    watcher.on("error", () => {});
  } catch {
    // The directory may not exist yet; polling covers it.
  }
  try {
    for (;;) {
      opts.signal?.throwIfAborted();
      const code = await readExitFile(file);
      if (code !== undefined) return code;
      const left = deadline - Date.now();
      if (left <= 0) throw new BerthError("unavailable", `timed out waiting for exit file ${file}`);
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          opts.signal?.removeEventListener("abort", done);
          wake = undefined;
          resolve();
        };
        const timer = setTimeout(done, Math.min(pollMs, left));
        wake = done;
        opts.signal?.addEventListener("abort", done, { once: true });
      });
    }
  } finally {
    watcher?.close();
  }
}
