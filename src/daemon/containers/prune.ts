import type { Filters } from "../../api/types/filters.js";
import { invalidArgument } from "../../lib/errors.js";
import { matchLabel, parseTime } from "../filter-values.js";
import type { ContainerDeps } from "./deps.js";
import { destroyContainer } from "./remove.js";

/** `docker container prune`: every stopped container (filters: until, label, label!). */
export async function pruneContainers(
  deps: ContainerDeps,
  filters: Filters = {},
  now = Date.now(),
): Promise<{ ContainersDeleted: string[] | null; SpaceReclaimed: number }> {
  for (const k of Object.keys(filters)) {
    if (!["until", "label", "label!"].includes(k)) throw invalidArgument(`invalid filter '${k}'`);
  }
  const deleted: string[] = [];
  let reclaimed = 0;
  for (const c of deps.store.all()) {
    if (c.state.status !== "exited" && c.state.status !== "created" && c.state.status !== "dead") continue;
    const labels = c.config.Labels ?? {};
    if (filters.until && !filters.until.every((u) => Date.parse(c.created) < parseTime(u, now))) continue;
    if (filters.label && !filters.label.every((l) => matchLabel(l, labels))) continue;
    if (filters["label!"]?.some((l) => matchLabel(l, labels))) continue;
    await deps.locks.run(c.id, async () => {
      const cur = deps.store.get(c.id);
      if (
        !cur ||
        (cur.state.status !== "exited" && cur.state.status !== "created" && cur.state.status !== "dead")
      )
        return;
      reclaimed += (await deps.snapshots.usage(cur.snapshotKey).catch(() => ({ size: 0 }))).size;
      await destroyContainer(deps, cur);
      deleted.push(cur.id);
    });
  }
  deps.publish({
    Type: "container",
    Action: "prune",
    Actor: { ID: "", Attributes: { reclaimed: String(reclaimed) } },
  });
  return { ContainersDeleted: deleted.length ? deleted : null, SpaceReclaimed: reclaimed };
}
