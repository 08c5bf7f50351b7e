import { spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ApiClient } from "../api/client/client.js";
import { ping } from "../api/client/system.js";
import { BerthError, isKind } from "../lib/errors.js";

/**
 * When nothing answers on the default socket, the CLI starts berthd in the background (the
 * embedded default) so that a user's first command just works. Only for the default host: a
 * host the user named is never started behind their back.
 */
export async function ensureDaemon(client: ApiClient, socket: string): Promise<void> {
  try {
    await ping(client);
    return;
  } catch (err) {
    if (!isKind(err, "unavailable")) throw err;
  }
  // Beside the CLI bundle; this module may be one of its chunks, one directory below (dist/chunks).
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, "berthd.js"), path.join(here, "..", "berthd.js")];
  const berthd = candidates.find((c) => existsSync(c));
  if (!berthd) throw new BerthError("unavailable", `no daemon at ${socket} and ${candidates[0]} is missing`);
  const logDir = path.dirname(socket);
  mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, "berthd.log");
  const out = openSync(logFile, "a");
  const child = spawn(process.execPath, [berthd], { detached: true, stdio: ["ignore", out, out] });
  child.unref();
  process.stderr.write(`berth: started berthd (pid ${child.pid}, log ${logFile})\n`);
  const deadline = Date.now() + 15_000;
  let last: unknown;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    try {
      await ping(client);
      return;
    } catch (err) {
      last = err;
      if (child.exitCode !== null) break;
    }
  }
  throw new BerthError("unavailable", `berthd did not come up; see ${logFile}`, { cause: last });
}
