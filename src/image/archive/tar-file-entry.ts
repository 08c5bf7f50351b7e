import { constants, promises as fs, type Stats } from "node:fs";
import { invalidArgument } from "../../lib/errors.js";
import { paddingOf, type TarHeader } from "./tar-header.js";

const READ_CHUNK = 1 << 20;

/** A tar header carrying a file's mode, owner and mtime; callers set type, size and link fields. */
export function headerFromStat(name: string, st: Stats): TarHeader {
  return {
    name,
    type: "file",
    mode: st.mode & 0o7777,
    uid: st.uid,
    gid: st.gid,
    size: 0,
    mtime: Math.floor(st.mtimeMs / 1000),
    linkname: "",
    devmajor: 0,
    devminor: 0,
    xattrs: new Map(),
  };
}

/**
 * Exactly `size` bytes of a file (opened without following symlinks), then the tar block padding.
 * A file that shrank while it was read is zero-padded when `padIfShrunk` (a live container's files
 * may change under `cp`/`export`), and refused otherwise (a layer must be exact).
 */
export async function* fileBody(
  abs: string,
  size: number,
  opts: { padIfShrunk: boolean; name: string },
): AsyncGenerator<Buffer> {
  const fh = await fs.open(abs, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    let left = size;
    while (left > 0) {
      const buf = Buffer.alloc(Math.min(left, READ_CHUNK));
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) {
        if (!opts.padIfShrunk) throw invalidArgument(`${opts.name} shrank while it was being read`);
        yield Buffer.alloc(left);
        break;
      }
      left -= bytesRead;
      yield bytesRead === buf.length ? buf : buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
  const pad = paddingOf(size);
  if (pad) yield Buffer.alloc(pad);
}
