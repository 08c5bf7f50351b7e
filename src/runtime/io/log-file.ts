import { type FSWatcher, promises as fs, watch } from "node:fs";
import path from "node:path";
import { errnoCode } from "../../lib/errors.js";
import { type LogEntry, parseLogLine, splitRecords } from "./k8s-log.js";

/**
 * Reads a container's conmon log (k8s-file format, see k8s-log.ts) as entries: `docker logs` with
 * --tail, --since, --until and --follow.
 *
 * Rotation: with --log-size-max conmon starts a new file by renaming `<log>.tmp` over `<log>`. A
 * follower notices the new inode, finishes the old file and continues at the start of the new one.
 */

export interface ReadLogOptions {
  /** Only the last N records (counted before the since/until filter, as Docker does). */
  tail?: number;
  /** Unix nanoseconds; entries before it are skipped. */
  since?: bigint;
  /** Unix nanoseconds; reading stops at the first entry after it. */
  until?: bigint;
  /** Keep reading appended records until the signal aborts or stopWhen settles. */
  follow?: boolean;
  signal?: AbortSignal;
  /** E.g. the container's exit: once it settles, what is left in the file is read, then iteration ends. */
  stopWhen?: Promise<unknown>;
  /** Follow re-checks the file at least this often (file watches can miss events). Default 250 ms. */
  pollMs?: number;
}

const CHUNK = 64 * 1024;

/** Entries of the log file in order. A missing file reads as empty (and is waited for when following). */
export async function* readLog(file: string, opts: ReadLogOptions = {}): AsyncGenerator<LogEntry> {
  let stopped = false;
  let wake: (() => void) | undefined;
  const stop = () => {
    stopped = true;
    wake?.();
  };
  opts.stopWhen?.then(stop, stop);
  let watcher: FSWatcher | undefined;
  let fh: fs.FileHandle | undefined;
  try {
    fh = await openIfExists(file);
    let pos = fh && opts.tail !== undefined ? await tailOffset(fh, opts.tail) : 0;
    let pending: Buffer = Buffer.alloc(0);
    if (opts.follow) watcher = watchFile(file, () => wake?.());
    for (;;) {
      if (opts.signal?.aborted) return;
      if (fh) {
        const { bytesRead, buffer } = await fh.read(Buffer.alloc(CHUNK), 0, CHUNK, pos);
        if (bytesRead > 0) {
          pos += bytesRead;
          const { records, rest } = splitRecords(Buffer.concat([pending, buffer.subarray(0, bytesRead)]));
          pending = Buffer.from(rest);
          for (const r of records) {
            const e = parseLogLine(r);
            if (!e) continue;
            if (opts.until !== undefined && e.timeNs > opts.until) return;
            if (opts.since !== undefined && e.timeNs < opts.since) continue;
            yield e;
          }
          continue;
        }
      }
      // At the end of what is there.
      if (!opts.follow) return;
      const next = await reopenIfRotated(file, fh, pos);
      if (next.fh !== fh) {
        await fh?.close();
        fh = next.fh;
        pos = 0;
        pending = Buffer.alloc(0);
        continue;
      }
      if (next.truncated) {
        pos = 0;
        pending = Buffer.alloc(0);
        continue;
      }
      if (stopped) return;
      if (opts.until !== undefined && BigInt(Date.now()) * 1_000_000n > opts.until) return;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          opts.signal?.removeEventListener("abort", done);
          wake = undefined;
          resolve();
        };
        const timer = setTimeout(done, opts.pollMs ?? 250);
        wake = done;
        opts.signal?.addEventListener("abort", done, { once: true });
      });
    }
  } finally {
    watcher?.close();
    await fh?.close();
  }
}

/** Byte offset where the last `n` records start, found by reading backwards from the end. */
export async function tailOffset(fh: fs.FileHandle, n: number): Promise<number> {
  const { size } = await fh.stat();
  if (n <= 0) return size;
  let end = size;
  let count = 0;
  const buf = Buffer.alloc(CHUNK);
  while (end > 0) {
    const start = Math.max(0, end - CHUNK);
    const { bytesRead } = await fh.read(buf, 0, end - start, start);
    for (let i = bytesRead - 1; i >= 0; i--) {
      if (buf[i] !== 0x0a || start + i === size - 1) continue; // the last record's own newline
      if (++count === n) return start + i + 1;
    }
    end = start;
  }
  return 0;
}

async function openIfExists(file: string): Promise<fs.FileHandle | undefined> {
  try {
    return await fs.open(file, "r");
  } catch (err) {
    if (errnoCode(err) === "ENOENT") return undefined;
    throw err;
  }
}

/** A new inode at the path (rotation) replaces fh; a shorter file than our position was truncated. */
async function reopenIfRotated(
  file: string,
  fh: fs.FileHandle | undefined,
  pos: number,
): Promise<{ fh: fs.FileHandle | undefined; truncated: boolean }> {
  let st: import("node:fs").Stats;
  try {
    st = await fs.stat(file);
  } catch (err) {
    if (errnoCode(err) === "ENOENT") return { fh, truncated: false };
    throw err;
  }
  if (!fh) return { fh: await openIfExists(file), truncated: false };
  const cur = await fh.stat();
  if (cur.ino !== st.ino || cur.dev !== st.dev) {
    // Finish the old file first: the caller reads on from `pos` until it is exhausted.
    if (cur.size > pos) return { fh, truncated: false };
    return { fh: await openIfExists(file), truncated: false };
  }
  return { fh, truncated: cur.size < pos };
}

function watchFile(file: string, onChange: () => void): FSWatcher | undefined {
  const base = path.basename(file);
  try {
    const w = watch(path.dirname(file), { persistent: false }, (_ev, name) => {
      if (!name || name === base || name === `${base}.tmp`) onChange();
    });
    w.on("error", () => {});
    return w;
  } catch {
    return undefined; // no directory yet: polling covers it
  }
}
