/** Content discovery: tags list, catalog (both paginated) and the referrers API. */
import type { Digest } from "../../../lib/digest.js";
import type { Descriptor } from "../../../oci/descriptor.js";
import { OCI_INDEX } from "../../../oci/media-types.js";
import { nameUnknown } from "../errors.js";
import { checkDigest } from "../names.js";
import { nextLink, paginate, parsePageQuery } from "../pagination.js";
import { referrerDescriptor } from "../storage.js";
import { type RequestContext, sendJson } from "./context.js";

export async function listTags(ctx: RequestContext, name: string): Promise<void> {
  const q = parsePageQuery(ctx.url.searchParams);
  const tags = await ctx.storage.listTags(name);
  if (tags === undefined) throw nameUnknown(name);
  const page = paginate(tags, q);
  const headers: Record<string, string> = {};
  if (page.next !== undefined)
    headers.Link = nextLink(`/v2/${name}/tags/list`, q.n ?? page.items.length, page.next);
  sendJson(ctx, 200, { name, tags: page.items }, headers);
}

export async function catalog(ctx: RequestContext): Promise<void> {
  const q = parsePageQuery(ctx.url.searchParams);
  const page = paginate(await ctx.storage.listRepositories(), q);
  const headers: Record<string, string> = {};
  if (page.next !== undefined) headers.Link = nextLink("/v2/_catalog", q.n ?? page.items.length, page.next);
  sendJson(ctx, 200, { repositories: page.items }, headers);
}

/** Manifests of `name` whose subject is `digest`, optionally filtered by artifactType. */
export async function referrers(ctx: RequestContext, name: string, rawDigest: string): Promise<void> {
  const digest = checkDigest(rawDigest);
  const filter = ctx.url.searchParams.get("artifactType");
  const manifests: Descriptor[] = [];
  for (const rev of await ctx.storage.listRevisions(name)) {
    const record = await ctx.storage.manifestRecord(name, rev as Digest);
    if (!record || record.subject !== digest) continue;
    if (filter !== null && record.artifactType !== filter) continue;
    manifests.push(referrerDescriptor(rev, record));
  }
  const headers: Record<string, string> = { "Content-Type": OCI_INDEX };
  if (filter !== null) headers["OCI-Filters-Applied"] = "artifactType";
  sendJson(ctx, 200, { schemaVersion: 2, mediaType: OCI_INDEX, manifests }, headers);
}
