import type { Filters } from "../../api/types/filters.js";
import type { Volume, VolumeCreateRequest } from "../../api/types/volumes.js";
import { wrap } from "../../lib/errors.js";
import { log } from "../../lib/log.js";
import { createVolume, ensureVolume } from "./create.js";
import type { VolumeDeps } from "./deps.js";
import { findVolume, inspectVolume, toVolume } from "./inspect.js";
import { listVolumes } from "./list.js";
import { pruneVolumes } from "./prune.js";
import { destroyVolume, removeVolume } from "./remove.js";

/** Where a container mounts a volume, for the mount event. */
export interface VolumeMountInfo {
  destination: string;
  rw: boolean;
  propagation: string;
}

/**
 * The volume use cases bound to their dependencies: the first five satisfy the volume routes'
 * backend; the rest are what containers need (create on first use, mount at start, unmount at
 * exit, removal of anonymous volumes).
 */
export function volumeService(deps: VolumeDeps) {
  return {
    list: async (filters: Filters) => listVolumes(deps, filters),
    create: (req: VolumeCreateRequest) => createVolume(deps, req),
    inspect: async (name: string) => inspectVolume(deps, name),
    remove: (name: string, o: { force: boolean }) => removeVolume(deps, name, o),
    prune: (filters: Filters) => pruneVolumes(deps, filters),

    /** Every volume with its size and how many containers reference it (system df). */
    usage: async (): Promise<Volume[]> =>
      Promise.all(
        deps.store.all().map(async (rec) => ({
          ...toVolume(deps, rec),
          UsageData: {
            Size: await deps.driver.usage(rec.id).catch(() => -1),
            RefCount: deps.containersUsing(rec.id).length,
          },
        })),
      ),

    /** The named volume, created when missing; no name: a new anonymous volume. */
    ensure: async (
      name: string | undefined,
      o: { driver?: string; options?: Record<string, string>; labels?: Record<string, string> } = {},
    ) => {
      const { record } = await ensureVolume(deps, {
        Name: name,
        Driver: o.driver,
        DriverOpts: o.options,
        Labels: o.labels,
      });
      return { name: record.id, driver: record.driver, path: deps.driver.path(record.id) };
    },

    /** Mounts the volume for a starting container; returns the host path to bind. */
    mount: async (name: string, containerId: string, info: VolumeMountInfo): Promise<string> => {
      const rec = findVolume(deps, name);
      const p = await deps.driver
        .mount(name, rec.options, containerId)
        .catch((err) => Promise.reject(wrap(err, `error while mounting volume '${deps.driver.path(name)}'`)));
      deps.publish({
        Type: "volume",
        Action: "mount",
        Actor: {
          ID: name,
          Attributes: {
            container: containerId,
            destination: info.destination,
            driver: rec.driver,
            propagation: info.propagation,
            "read/write": String(info.rw),
          },
        },
      });
      return p;
    },

    /** Lets go of a stopped container's mount; a volume that is gone is fine. */
    unmount: async (name: string, containerId: string): Promise<void> => {
      const rec = deps.store.get(name);
      if (!rec) return;
      await deps.driver.unmount(name, rec.options, containerId);
      deps.publish({
        Type: "volume",
        Action: "unmount",
        Actor: { ID: name, Attributes: { container: containerId, driver: rec.driver } },
      });
    },

    /** Removes the volume unless a container still references it (rm -v, --rm); failures are logged. */
    removeIfUnused: async (name: string): Promise<void> => {
      await deps.locks.run(name, async () => {
        const rec = deps.store.get(name);
        if (!rec || deps.containersUsing(name).length > 0) return;
        await destroyVolume(deps, name, rec.driver).catch((err) =>
          log.warn("removing anonymous volume", { name, err: String(err) }),
        );
      });
    },
  };
}

export type VolumeService = ReturnType<typeof volumeService>;
