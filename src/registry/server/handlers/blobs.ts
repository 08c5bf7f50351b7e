/** GET/HEAD/DELETE /v2/<name>/blobs/<digest>: pull a blob (with Range), check it, drop it from a repository. */
import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { blobUnknown } from "../errors.js";
import { checkDigest } from "../names.js";
import { parseRangeHeader } from "../ranges.js";
import { type RequestContext, sendEmpty, sendJson } from "./context.js";

export async function getBlob(ctx: RequestContext, name: string, rawDigest: string): Promise<void> {
  const digest = checkDigest(rawDigest);
  // A HEAD is how pushers ask "do you have it?": count it as a use for the gc grace rule.
  const size =
    ctx.req.method === "HEAD"
      ? (await ctx.storage.layerSize(name, digest)) !== undefined
        ? await ctx.storage.touchBlob(digest)
        : undefined
      : await ctx.storage.layerSize(name, digest);
  if (size === undefined) throw blobUnknown(digest);
  const headers: Record<string, string> = {
    "Content-Type": "application/octet-stream",
    "Docker-Content-Digest": digest,
    "Accept-Ranges": "bytes",
    ETag: `"${digest}"`,
    "Cache-Control": "max-age=31536000",
  };
  const range = parseRangeHeader(ctx.req.headers.range, size);
  if (range === "unsatisfiable") {
    const message = `range "${ctx.req.headers.range}" is outside the blob's ${size} bytes`;
    sendJson(
      ctx,
      416,
      { errors: [{ code: "BLOB_UPLOAD_INVALID", message }] },
      { "Content-Range": `bytes */${size}` },
    );
    return;
  }
  const status = range === undefined ? 200 : 206;
  const start = range?.start ?? 0;
  const end = range?.end ?? size - 1;
  if (range !== undefined) headers["Content-Range"] = `bytes ${start}-${end}/${size}`;
  headers["Content-Length"] = String(Math.max(0, end - start + 1));
  ctx.res.writeHead(status, headers);
  if (ctx.req.method === "HEAD" || size === 0) {
    ctx.res.end();
    return;
  }
  await pipeline(createReadStream(ctx.storage.blobPath(digest), { start, end }), ctx.res);
}

export async function deleteBlob(ctx: RequestContext, name: string, rawDigest: string): Promise<void> {
  const digest = checkDigest(rawDigest);
  if (!(await ctx.storage.unlinkLayer(name, digest))) throw blobUnknown(digest);
  sendEmpty(ctx, 202, { "Docker-Content-Digest": digest });
}
