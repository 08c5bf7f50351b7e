/**
 * File-system steps shared by the layer extractor (extract.ts) and the context sync (sync-tree.ts),
 * private to archive/. Both create entries only below parents they checked to be real directories,
 * never through a symlink, and refuse hostile entries with the same messages.
 */
import { constants, promises as fs, type Stats } from "node:fs";
import { errnoCode, invalidArgument } from "../../lib/errors.js";
import type { CommandRunner } from "../../lib/exec.js";
import { isAtOrBelow } from "./entry-path.js";
import type { TarHeader } from "./tar-header.js";

export async function lstatOrUndefined(p: string): Promise<Stats | undefined> {
  try {
    return await fs.lstat(p);
  } catch (err) {
    if (errnoCode(err) === "ENOENT") return undefined;
    throw err;
  }
}

/** Forgets what a removed path (and, for a directory, everything below it) was known as. */
export function deleteAtOrBelow<T>(coll: Set<string> | Map<string, T>, rel: string): void {
  for (const key of coll.keys()) if (isAtOrBelow(key, rel)) coll.delete(key);
}

export const writesThroughSymlink = (entryName: string, link: string) =>
  invalidArgument(`tar entry ${JSON.stringify(entryName)} would write through symlink "${link}"`);

export const parentNotDirectory = (entryName: string, parent: string) =>
  invalidArgument(`tar entry ${JSON.stringify(entryName)}: parent "${parent}" is not a directory`);

export const badHardlink = (h: TarHeader, why: string) =>
  invalidArgument(
    `tar entry ${JSON.stringify(h.name)}: hardlink target ${JSON.stringify(h.linkname)} ${why}`,
  );

export const HARDLINK_NOT_EARLIER = "is not a regular file extracted earlier in this layer";

/** Creates a new file (never an existing one, never through a symlink), mode 0600, with `body`. */
export async function writeNewFile(abs: string, body: AsyncIterable<Buffer> | Buffer): Promise<void> {
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  const fh = await fs.open(abs, flags, 0o600);
  try {
    for await (const chunk of Buffer.isBuffer(body) ? [body] : body) {
      let off = 0;
      while (off < chunk.length) off += (await fh.write(chunk, off, chunk.length - off)).bytesWritten;
    }
  } finally {
    await fh.close();
  }
}

/** mknod (Node has none): a character or block device, or a fifo; mode 0600 until metadata is set. */
export async function makeNode(
  runner: CommandRunner,
  abs: string,
  kind: "c" | "b" | "p",
  major = 0,
  minor = 0,
): Promise<void> {
  const args =
    kind === "p" ? ["-m", "0600", abs, "p"] : ["-m", "0600", abs, kind, String(major), String(minor)];
  await runner.run("mknod", args);
}
