/**
 * Docker's copy-up: when a container first mounts an empty volume over a directory of its image, the
 * image's files at that place are copied into the volume (moby copyExistingContents), with their
 * ownership, modes, timestamps, links and extended attributes; the volume's root takes the
 * directory's own owner and mode. `cp -a src/. dst` does exactly this on Linux.
 */
import { promises as fs } from "node:fs";
import { errnoCode, wrap } from "../lib/errors.js";
import { type CommandRunner, spawnRunner } from "../lib/exec.js";
import { isEmptyDir } from "./usage.js";

/**
 * Copies the contents of `source` (a host directory: the container's root at the mount's
 * destination, already resolved inside that root) into `volumeDir` when the volume is empty and
 * `source` is a directory. Returns whether anything was copied.
 */
export async function copyIntoEmptyVolume(
  source: string,
  volumeDir: string,
  opts: { runner?: CommandRunner } = {},
): Promise<boolean> {
  try {
    const st = await fs.lstat(source);
    if (!st.isDirectory()) return false;
  } catch (err) {
    const code = errnoCode(err);
    if (code === "ENOENT" || code === "ENOTDIR") return false;
    throw err;
  }
  if (!(await isEmptyDir(volumeDir))) return false;
  try {
    await (opts.runner ?? spawnRunner).run("cp", ["-a", "--", `${source}/.`, volumeDir]);
  } catch (err) {
    throw wrap(err, "copying the image's content into the volume");
  }
  return true;
}
