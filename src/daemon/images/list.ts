import type { Filters } from "../../api/types/filters.js";
import type { ImageSummary } from "../../api/types/images.js";
import type { ImageRecord } from "../../image/store.js";
import { invalidArgument } from "../../lib/errors.js";
import { familiarRepository, familiarString, parseReference } from "../../oci/reference.js";
import { matchLabel, parseTime } from "../filter-values.js";
import { type ImageDeps, imageConfig, imageSize } from "./deps.js";

export type { Filters };

export interface ListOptions {
  all?: boolean;
  filters?: Filters;
}

const FILTERS = new Set(["dangling", "reference", "label", "before", "since", "until"]);

/** `docker images`: newest first; intermediate (untagged parent) images only with `all`. */
export async function listImages(deps: ImageDeps, opts: ListOptions = {}): Promise<ImageSummary[]> {
  const filters = opts.filters ?? {};
  for (const k of Object.keys(filters)) if (!FILTERS.has(k)) throw invalidArgument(`invalid filter '${k}'`);
  const images = deps.store.list();
  const parents = new Set(images.map((i) => i.parent).filter(Boolean));
  const out: ImageSummary[] = [];
  const before = filters.before?.map((n) => deps.store.resolve(n));
  const since = filters.since?.map((n) => deps.store.resolve(n));
  for (const img of images) {
    const allTags = deps.store.tagsOf(img.id);
    // With a reference filter Docker lists only the names that match it.
    const tags = filters.reference
      ? allTags.filter((t) => filters.reference!.some((p) => matchReference(p, t)))
      : allTags;
    const cfg = await imageConfig(deps, img.id);
    const created = Date.parse(cfg.created ?? img.addedAt);
    if (filters.reference && tags.length === 0) continue;
    if (!opts.all && allTags.length === 0 && parents.has(img.id) && !filters.dangling) continue;
    if (filters.dangling) {
      const want = filters.dangling.map(parseBool);
      if (!want.includes(allTags.length === 0)) continue;
    }
    if (filters.label && !filters.label.every((l) => matchLabel(l, cfg.config?.Labels ?? {}))) continue;
    if (before && !(await allOlder(deps, before, created))) continue;
    if (since && !(await allNewer(deps, since, created))) continue;
    if (filters.until && !filters.until.every((u) => created <= parseTime(u))) continue;
    out.push(summary(deps, img, tags, created, cfg.config?.Labels));
  }
  return out.sort((a, b) => b.Created - a.Created || a.Id.localeCompare(b.Id));
}

function summary(
  deps: ImageDeps,
  img: ImageRecord,
  tags: string[],
  created: number,
  labels?: Record<string, string>,
): ImageSummary {
  const size = imageSize(deps, img.chain);
  return {
    Id: img.id,
    ParentId: img.parent ?? "",
    RepoTags: tags.map((t) => familiarString(parseReference(t))),
    RepoDigests: img.repoDigests.map((d) => familiarString(parseReference(d))),
    Created: Math.floor(created / 1000),
    Size: size,
    SharedSize: -1,
    VirtualSize: size,
    Labels: labels ?? null,
    Containers: deps.containersUsing(img.id).length,
  };
}

async function allOlder(deps: ImageDeps, refs: ImageRecord[], created: number): Promise<boolean> {
  for (const r of refs)
    if (created >= Date.parse((await imageConfig(deps, r.id)).created ?? r.addedAt)) return false;
  return true;
}
async function allNewer(deps: ImageDeps, refs: ImageRecord[], created: number): Promise<boolean> {
  for (const r of refs)
    if (created <= Date.parse((await imageConfig(deps, r.id)).created ?? r.addedAt)) return false;
  return true;
}

function parseBool(v: string): boolean {
  if (v === "true" || v === "1") return true;
  if (v === "false" || v === "0") return false;
  throw invalidArgument(`invalid filter 'dangling=${v}'`);
}

/** Docker matches the pattern (path.Match) against the familiar name with and without its tag. */
export function matchReference(pattern: string, fullRef: string): boolean {
  const ref = parseReference(fullRef);
  const re = globToRegExp(pattern);
  return re.test(familiarString(ref)) || re.test(familiarRepository(ref));
}

function globToRegExp(glob: string): RegExp {
  let re = "";
  for (const ch of glob) {
    if (ch === "*") re += "[^/]*";
    else if (ch === "?") re += "[^/]";
    else re += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}
