import { constants, promises as fs } from "node:fs";
import path from "node:path";
import { errnoCode } from "../lib/errors.js";

/**
 * `runc start` without spawning runc.
 *
 * After `runc create`, the container's init (`runc init`) waits in open(2) on `<state dir>/exec.fifo`
 * for writing; `runc start` opens it for reading, reads the byte init writes, and removes the fifo
 * (runc reports "created" while the fifo exists, "running" after). Doing the same from berthd saves a
 * Go binary's start-up (about 10 ms here) on every container start. This is runc's own protocol
 * since 1.0 (libcontainer exec()); berth uses it only for runc, and only while it finds the fifo.
 *
 * Returns false when there is nothing to do it with (no fifo, or init died before writing): the
 * caller then runs `runc start`, which gives the runtime's own error.
 */
export async function startThroughExecFifo(stateDir: string, timeoutMs = 5000): Promise<boolean> {
  const fifo = path.join(stateDir, "exec.fifo");
  try {
    if (!(await fs.lstat(fifo)).isFIFO()) return false;
  } catch (err) {
    if (errnoCode(err) === "ENOENT") return false;
    throw err;
  }
  // A blocking open returns at once while init waits on the other end. Should init have died, a
  // writer of our own releases the open after the timeout, and the read sees nothing.
  const release = setTimeout(() => {
    fs.open(fifo, constants.O_WRONLY | constants.O_NONBLOCK)
      .then((fh) => fh.close())
      .catch(() => {});
  }, timeoutMs);
  let data: Buffer;
  try {
    const fh = await fs.open(fifo, constants.O_RDONLY);
    try {
      data = await fh.readFile();
    } finally {
      await fh.close();
    }
  } finally {
    clearTimeout(release);
  }
  if (data.length === 0) return false;
  await fs.rm(fifo, { force: true });
  return true;
}
