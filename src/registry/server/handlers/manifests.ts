/**
 * /v2/<name>/manifests/<reference>: pull (GET/HEAD by tag or digest), push (PUT, with ?tag= when
 * pushing by digest) and delete (a tag, or a manifest by digest with the tags naming it).
 */
import { type Digest, sha256 } from "../../../lib/digest.js";
import { digestInvalid, manifestInvalid, manifestUnknown, RegistryError, sizeInvalid } from "../errors.js";
import { checkManifest, MANIFEST_MAX } from "../manifest-check.js";
import { checkTag, parseManifestReference } from "../names.js";
import type { ManifestRecord } from "../storage.js";
import { manifestLocation, type RequestContext, readBody, sendEmpty } from "./context.js";

async function resolve(ctx: RequestContext, name: string, reference: string): Promise<Digest> {
  const ref = parseManifestReference(reference);
  const digest = ref.kind === "digest" ? ref.digest : await ctx.storage.resolveTag(name, ref.tag);
  if (digest === undefined) throw manifestUnknown(reference);
  return digest;
}

export async function getManifest(ctx: RequestContext, name: string, reference: string): Promise<void> {
  const digest = await resolve(ctx, name, reference);
  const record = await ctx.storage.manifestRecord(name, digest);
  const bytes = record && (await ctx.storage.readBlob(digest));
  if (!record || !bytes) throw manifestUnknown(reference);
  ctx.res.writeHead(200, {
    "Content-Type": record.mediaType,
    "Content-Length": String(bytes.length),
    "Docker-Content-Digest": digest,
    ETag: `"${digest}"`,
  });
  ctx.res.end(ctx.req.method === "HEAD" ? undefined : bytes);
}

export async function putManifest(ctx: RequestContext, name: string, reference: string): Promise<void> {
  const ref = parseManifestReference(reference);
  const tags = ref.kind === "tag" ? [ref.tag] : ctx.url.searchParams.getAll("tag").map(checkTag);
  const bytes = await readBody(ctx, MANIFEST_MAX);
  if (bytes === undefined) {
    throw sizeInvalid(`manifest is larger than ${MANIFEST_MAX} bytes, the most this registry takes`, 413);
  }
  const digest = sha256(bytes);
  if (ref.kind === "digest" && ref.digest !== digest) {
    throw digestInvalid(`manifest digest is ${digest}, not ${ref.digest} as the URL says`, {
      expected: ref.digest,
      actual: digest,
    });
  }
  const facts = checkManifest(bytes, ctx.req.headers["content-type"]);
  await checkReferences(ctx, name, facts.blobs, facts.manifests);
  const record: ManifestRecord = { mediaType: facts.mediaType, size: bytes.length };
  if (facts.subject) record.subject = facts.subject.digest;
  if (facts.artifactType) record.artifactType = facts.artifactType;
  if (facts.annotations) record.annotations = facts.annotations;
  await ctx.storage.putManifest(name, digest, bytes, record);
  for (const tag of tags) await ctx.storage.setTag(name, tag, digest);
  const headers: Record<string, string> = {
    Location: manifestLocation(name, digest),
    "Docker-Content-Digest": digest,
  };
  if (facts.subject) headers["OCI-Subject"] = facts.subject.digest;
  if (ref.kind === "digest" && tags.length > 0) headers["OCI-Tag"] = tags.join(", ");
  sendEmpty(ctx, 201, headers);
}

/**
 * Every blob the manifest names must be in this repository with the size the descriptor says, and
 * every child of an index must be a manifest of this repository. One MANIFEST_BLOB_UNKNOWN per
 * missing piece. Present blobs are touched, so a concurrent gc spares them.
 */
async function checkReferences(
  ctx: RequestContext,
  name: string,
  blobs: readonly { digest: Digest; size: number; mediaType: string }[],
  manifests: readonly { digest: Digest; mediaType: string }[],
): Promise<void> {
  let err: RegistryError | undefined;
  const missing = (what: string, digest: Digest) => {
    const message = `manifest references ${what} ${digest}, which is not in repository ${name}`;
    if (err) err.with("MANIFEST_BLOB_UNKNOWN", message, { digest });
    else err = new RegistryError(400, "MANIFEST_BLOB_UNKNOWN", message, { digest });
  };
  for (const b of blobs) {
    const size = await ctx.storage.layerSize(name, b.digest);
    if (size === undefined) missing("blob", b.digest);
    else if (size !== b.size) {
      throw manifestInvalid(`descriptor of ${b.digest} says ${b.size} bytes, but the blob has ${size}`);
    } else await ctx.storage.touchBlob(b.digest);
  }
  for (const m of manifests) {
    if (!(await ctx.storage.manifestRecord(name, m.digest))) missing("manifest", m.digest);
    else await ctx.storage.touchBlob(m.digest);
  }
  if (err) throw err;
}

export async function deleteManifest(ctx: RequestContext, name: string, reference: string): Promise<void> {
  const ref = parseManifestReference(reference);
  const ok =
    ref.kind === "tag"
      ? await ctx.storage.deleteTag(name, ref.tag)
      : await ctx.storage.deleteManifest(name, ref.digest);
  if (!ok) throw manifestUnknown(reference);
  sendEmpty(ctx, 202);
}
