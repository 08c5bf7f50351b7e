import { promises as fs } from "node:fs";
import { conflict, errnoCode } from "../lib/errors.js";

/**
 * One daemon per data root: a pid file created with O_EXCL. A file whose process is gone is stale
 * (a crash or SIGKILL) and is taken over.
 */
export async function acquirePidLock(file: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fh = await fs.open(file, "wx", 0o644);
      await fh.writeFile(`${process.pid}\n`);
      await fh.close();
      return async () => {
        const owner = await readPid(file);
        if (owner === process.pid) await fs.rm(file, { force: true });
      };
    } catch (err) {
      if (errnoCode(err) !== "EEXIST") throw err;
      const pid = await readPid(file);
      if (pid !== undefined && pid !== process.pid && isAlive(pid)) {
        throw conflict(`another berthd (pid ${pid}) is using this data root; its lock is ${file}`);
      }
      await fs.rm(file, { force: true });
    }
  }
  throw conflict(`could not take the lock ${file}`);
}

async function readPid(file: string): Promise<number | undefined> {
  try {
    const n = Number.parseInt(await fs.readFile(file, "utf8"), 10);
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errnoCode(err) === "EPERM";
  }
}
