/**
 * Blob pushes: POST /v2/<name>/blobs/uploads/ (a session, a single-request upload with ?digest=, or a
 * cross-repository mount with ?mount=&from=), then PATCH / PUT / GET / DELETE on the session.
 */
import { blobUploadInvalid, digestInvalid, isRegistryError } from "../errors.js";
import { checkDigest, isValidName } from "../names.js";
import { type ByteRange, parseContentRange, uploadRange } from "../ranges.js";
import { blobLocation, contentLength, type RequestContext, sendEmpty, uploadLocation } from "./context.js";

export async function startUpload(ctx: RequestContext, name: string): Promise<void> {
  const q = ctx.url.searchParams;
  const mount = q.get("mount");
  const from = q.get("from");
  if (mount !== null && from !== null && isValidName(from)) {
    const digest = checkDigest(mount);
    if ((await ctx.storage.layerSize(from, digest)) !== undefined) {
      await ctx.storage.linkLayer(name, digest);
      await ctx.storage.touchBlob(digest);
      ctx.req.resume();
      sendEmpty(ctx, 201, { Location: blobLocation(name, digest), "Docker-Content-Digest": digest });
      return;
    }
    // Not mountable: fall back to an ordinary session, as the spec asks (202).
  }
  const digestParam = q.get("digest");
  if (digestParam !== null && mount === null) {
    const digest = checkDigest(digestParam);
    const uuid = await ctx.uploads.start(name);
    try {
      await ctx.uploads.finish(name, uuid, digest, ctx.req, chunkOptions(ctx, false));
    } catch (err) {
      await ctx.uploads.cancel(name, uuid).catch(() => {});
      throw err;
    }
    sendEmpty(ctx, 201, { Location: blobLocation(name, digest), "Docker-Content-Digest": digest });
    return;
  }
  ctx.req.resume();
  const uuid = await ctx.uploads.start(name);
  sendEmpty(ctx, 202, sessionHeaders(name, uuid, 0));
}

export async function patchUpload(ctx: RequestContext, name: string, uuid: string): Promise<void> {
  const size = await withSessionHeaders(ctx, name, uuid, () =>
    ctx.uploads.append(name, uuid, ctx.req, chunkOptions(ctx, true)),
  );
  sendEmpty(ctx, 202, sessionHeaders(name, uuid, size));
}

export async function putUpload(ctx: RequestContext, name: string, uuid: string): Promise<void> {
  const raw = ctx.url.searchParams.get("digest");
  if (raw === null || raw === "") {
    ctx.req.resume();
    throw digestInvalid("closing an upload needs ?digest=<digest of the whole blob>");
  }
  const digest = checkDigest(raw);
  await withSessionHeaders(ctx, name, uuid, () =>
    ctx.uploads.finish(name, uuid, digest, ctx.req, chunkOptions(ctx, true)),
  );
  sendEmpty(ctx, 201, { Location: blobLocation(name, digest), "Docker-Content-Digest": digest });
}

export async function getUpload(ctx: RequestContext, name: string, uuid: string): Promise<void> {
  const size = await ctx.uploads.size(name, uuid);
  sendEmpty(ctx, 204, sessionHeaders(name, uuid, size));
}

export async function cancelUpload(ctx: RequestContext, name: string, uuid: string): Promise<void> {
  await ctx.uploads.cancel(name, uuid);
  sendEmpty(ctx, 204);
}

function sessionHeaders(name: string, uuid: string, size: number): Record<string, string> {
  return { Location: uploadLocation(name, uuid), Range: uploadRange(size), "Docker-Upload-UUID": uuid };
}

/** A 416 tells the client where the session stands, so it can resume from there. */
async function withSessionHeaders<T>(ctx: RequestContext, name: string, uuid: string, fn: () => Promise<T>) {
  try {
    return await fn();
  } catch (err) {
    if (isRegistryError(err) && err.status === 416) {
      const size = await ctx.uploads.size(name, uuid).catch(() => undefined);
      if (size !== undefined) Object.assign(err.headers, sessionHeaders(name, uuid, size));
    }
    throw err;
  }
}

function chunkOptions(ctx: RequestContext, rangeAllowed: boolean): { range?: ByteRange; length?: number } {
  const out: { range?: ByteRange; length?: number } = {};
  const length = contentLength(ctx);
  if (length !== undefined) out.length = length;
  const header = ctx.req.headers["content-range"];
  if (rangeAllowed && header !== undefined && header !== "") {
    const range = parseContentRange(header);
    if (range === undefined) {
      ctx.req.resume();
      throw blobUploadInvalid(`malformed Content-Range "${header}": expected <start>-<end>`);
    }
    out.range = range;
  }
  return out;
}
