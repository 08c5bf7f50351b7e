/**
 * ADD <url>: the file is downloaded into memory (a build source, so bounded in size), its name is
 * the last path segment of the URL, its mtime the Last-Modified header, and `--checksum` is checked
 * before anything is written.
 */
import { createHash } from "node:crypto";
import { invalidArgument } from "../../lib/errors.js";

/** ADD <url> keeps files up to this size in memory. */
const MAX_BYTES = 512 * 2 ** 20;

export interface Downloaded {
  name: string;
  data: Buffer;
  mtime?: Date;
}

/** `sha256:<hex>` (the only algorithm berth checks). */
function parseChecksum(checksum: string): string | undefined {
  if (checksum === "") return undefined;
  const m = /^sha256:([0-9a-f]{64})$/u.exec(checksum);
  if (!m) throw invalidArgument(`invalid --checksum ${checksum}: want sha256:<64 hex digits>`);
  return m[1];
}

/** The file name ADD gives a URL source (Docker: the last path segment, else "__unnamed__"). */
export function urlFileName(url: string): string {
  const u = new URL(url);
  const base = decodeURIComponent(
    u.pathname
      .split("/")
      .filter((s) => s !== "")
      .at(-1) ?? "",
  );
  return base === "" || base === "." || base === ".." ? "__unnamed__" : base;
}

export async function downloadUrl(url: string, checksum: string, signal?: AbortSignal): Promise<Downloaded> {
  const want = parseChecksum(checksum);
  let res: Response;
  try {
    res = await fetch(url, { redirect: "follow", ...(signal ? { signal } : {}) });
  } catch (err) {
    throw invalidArgument(`ADD ${url}: ${(err as Error).cause ?? (err as Error).message}`, err);
  }
  if (!res.ok) throw invalidArgument(`ADD ${url}: the server answered ${res.status} ${res.statusText}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of res.body ?? []) {
    size += (c as Uint8Array).length;
    if (size > MAX_BYTES) throw invalidArgument(`ADD ${url}: larger than ${MAX_BYTES} bytes`);
    chunks.push(Buffer.from(c as Uint8Array));
  }
  const data = Buffer.concat(chunks);
  if (want) {
    const got = createHash("sha256").update(data).digest("hex");
    if (got !== want)
      throw invalidArgument(`ADD ${url}: checksum mismatch: expected sha256:${want}, got sha256:${got}`);
  }
  const lm = res.headers.get("last-modified");
  const mtime = lm ? new Date(lm) : undefined;
  return {
    name: urlFileName(url),
    data,
    ...(mtime && !Number.isNaN(mtime.getTime()) ? { mtime } : {}),
  };
}
