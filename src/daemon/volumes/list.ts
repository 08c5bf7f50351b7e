import {
  boolFilter,
  exactMatch,
  type Filters,
  filterValues,
  hasFilter,
  matchKVList,
  validateFilters,
} from "../../api/types/filters.js";
import type { VolumeListResponse } from "../../api/types/volumes.js";
import type { VolumeDeps } from "./deps.js";
import { toVolume } from "./inspect.js";

const FILTERS = ["dangling", "name", "driver", "label"];

/** A name filter value is a regular expression, as in moby (filters.Match); a bad one matches nothing. */
function nameMatches(filters: Filters, name: string): boolean {
  const values = filterValues(filters, "name");
  if (values.length === 0) return true;
  return values.some((v) => {
    try {
      return new RegExp(v).test(name);
    } catch {
      return false;
    }
  });
}

/** `docker volume ls`: filters dangling, name, driver, label; sorted by name. */
export function listVolumes(deps: VolumeDeps, filters: Filters = {}): VolumeListResponse {
  validateFilters(filters, FILTERS);
  const dangling = hasFilter(filters, "dangling") ? boolFilter(filters, "dangling", false) : undefined;
  const volumes = deps.store
    .all()
    .filter((rec) => {
      if (dangling !== undefined && (deps.containersUsing(rec.id).length === 0) !== dangling) return false;
      if (!nameMatches(filters, rec.id)) return false;
      if (!exactMatch(filters, "driver", rec.driver)) return false;
      return matchKVList(filters, "label", rec.labels);
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((rec) => toVolume(deps, rec));
  return { Volumes: volumes, Warnings: null };
}
