import { boolFilter, type Filters, matchKVList, validateFilters } from "../../api/types/filters.js";
import type { VolumePruneReport } from "../../api/types/volumes.js";
import { log } from "../../lib/log.js";
import { ANONYMOUS_LABEL } from "../../volume/names.js";
import type { VolumeDeps } from "./deps.js";
import { destroyVolume } from "./remove.js";

/**
 * `docker volume prune`: unused anonymous volumes; with the filter all=true (the CLI's -a) every
 * unused volume. Filters label and label! narrow it down.
 */
export async function pruneVolumes(deps: VolumeDeps, filters: Filters = {}): Promise<VolumePruneReport> {
  validateFilters(filters, ["label", "label!", "all"]);
  const all = boolFilter(filters, "all", false);
  const deleted: string[] = [];
  let reclaimed = 0;
  for (const rec of deps.store.all()) {
    if (!all && !Object.hasOwn(rec.labels, ANONYMOUS_LABEL)) continue;
    if (!matchKVList(filters, "label", rec.labels)) continue;
    if ((filters["label!"]?.length ?? 0) > 0 && matchKVList(filters, "label!", rec.labels)) continue;
    await deps.locks.run(rec.id, async () => {
      const cur = deps.store.get(rec.id);
      if (!cur || deps.containersUsing(cur.id).length > 0) return;
      try {
        const size = await deps.driver.usage(cur.id).catch(() => 0);
        await destroyVolume(deps, cur.id, cur.driver);
        deleted.push(cur.id);
        reclaimed += size;
      } catch (err) {
        log.warn("pruning volume", { name: cur.id, err: String(err) });
      }
    });
  }
  deps.publish({
    Type: "volume",
    Action: "prune",
    Actor: { ID: "", Attributes: { reclaimed: String(reclaimed) } },
  });
  return { VolumesDeleted: deleted.length ? deleted : null, SpaceReclaimed: reclaimed };
}
