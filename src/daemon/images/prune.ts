import type { ImagePruneReport } from "../../api/types/images.js";
import { docOps } from "../../image/store.js";
import { invalidArgument } from "../../lib/errors.js";
import { familiarString, parseReference } from "../../oci/reference.js";
import { matchLabel, parseTime } from "../filter-values.js";
import { type ImageDeps, imageConfig } from "./deps.js";
import { collectGarbage } from "./gc.js";
import type { Filters } from "./list.js";

/** `docker image prune [-a]`: untagged images, or with -a every image no container uses. */
export async function pruneImages(deps: ImageDeps, filters: Filters = {}): Promise<ImagePruneReport> {
  for (const k of Object.keys(filters)) {
    if (!["dangling", "until", "label", "label!"].includes(k)) throw invalidArgument(`invalid filter '${k}'`);
  }
  const danglingOnly = !(filters.dangling ?? ["true"]).some((v) => v === "false" || v === "0");
  return deps.writeLock.run(async () => {
    const deleted: ImagePruneReport["ImagesDeleted"] = [];
    // Docker: an untagged image that is another image's parent (a build step) is not dangling.
    const parents = new Set(deps.store.list().map((i) => i.parent));
    for (const img of deps.store.list()) {
      const tags = deps.store.tagsOf(img.id);
      if (danglingOnly && (tags.length > 0 || parents.has(img.id))) continue;
      if (deps.containersUsing(img.id).length > 0) continue;
      const cfg = await imageConfig(deps, img.id);
      const created = Date.parse(cfg.created ?? img.addedAt);
      if (filters.until && !filters.until.every((u) => created < parseTime(u))) continue;
      const labels = cfg.config?.Labels ?? {};
      if (filters.label && !filters.label.every((l) => matchLabel(l, labels))) continue;
      if (filters["label!"]?.some((l) => matchLabel(l, labels))) continue;
      await deps.store.update((doc) => {
        for (const t of tags) docOps.removeTag(doc, t);
        docOps.removeImage(doc, img.id);
      });
      for (const t of tags) deleted.push({ Untagged: familiarString(parseReference(t)) });
      deleted.push({ Deleted: img.id });
      deps.publish({ Type: "image", Action: "delete", Actor: { ID: img.id, Attributes: { name: img.id } } });
    }
    const SpaceReclaimed = await collectGarbage(deps);
    deps.publish({
      Type: "image",
      Action: "prune",
      Actor: { ID: "", Attributes: { reclaimed: String(SpaceReclaimed) } },
    });
    return { ImagesDeleted: deleted.length ? deleted : null, SpaceReclaimed };
  });
}
