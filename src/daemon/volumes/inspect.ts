import type { Volume } from "../../api/types/volumes.js";
import { notFound } from "../../lib/errors.js";
import type { VolumeDeps } from "./deps.js";
import type { VolumeRecord } from "./record.js";

/** The volume's record, or Docker's 404: "get NAME: no such volume". */
export function findVolume(deps: Pick<VolumeDeps, "store">, name: string): VolumeRecord {
  const rec = name === "" ? undefined : deps.store.get(name);
  if (!rec) throw notFound(`get ${name}: no such volume`);
  return rec;
}

/** `docker volume inspect`. */
export function inspectVolume(deps: VolumeDeps, name: string): Volume {
  return toVolume(deps, findVolume(deps, name));
}

/** Docker's Volume shape; UsageData only in /system/df. */
export function toVolume(deps: Pick<VolumeDeps, "driver">, rec: VolumeRecord): Volume {
  return {
    CreatedAt: rec.createdAt,
    Driver: rec.driver,
    Labels: rec.labels,
    Mountpoint: deps.driver.path(rec.id),
    Name: rec.id,
    Options: rec.options,
    Scope: "local",
  };
}
