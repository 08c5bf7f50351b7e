import type { Volume, VolumeCreateRequest } from "../../api/types/volumes.js";
import { conflict, notFound, wrap } from "../../lib/errors.js";
import { LOCAL_DRIVER } from "../../volume/local-driver.js";
import { ANONYMOUS_LABEL, anonymousVolumeName, validateVolumeName } from "../../volume/names.js";
import type { VolumeDeps } from "./deps.js";
import { toVolume } from "./inspect.js";
import type { VolumeRecord } from "./record.js";

/** RFC 3339 with seconds, as Go's time.RFC3339 prints a UTC time. */
export function rfc3339Seconds(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, "Z");
}

/**
 * `docker volume create`: makes the volume, or returns the existing one of that name unchanged (as
 * Docker does). No name: an anonymous volume with a random 64-hex name.
 */
export async function createVolume(deps: VolumeDeps, req: VolumeCreateRequest): Promise<Volume> {
  return toVolume(deps, (await ensureVolume(deps, req)).record);
}

/** createVolume's core: the record, and whether this call made it. */
export async function ensureVolume(
  deps: VolumeDeps,
  req: VolumeCreateRequest,
): Promise<{ record: VolumeRecord; created: boolean }> {
  const driver = req.Driver || LOCAL_DRIVER;
  const anonymous = !req.Name;
  const name = req.Name || anonymousVolumeName();
  if (driver !== LOCAL_DRIVER) {
    throw notFound(`error looking up volume plugin ${driver}: plugin "${driver}" not found`);
  }
  try {
    validateVolumeName(name);
  } catch (err) {
    throw wrap(err, `create ${name}`);
  }
  return deps.locks.run(name, async () => {
    const existing = deps.store.get(name);
    if (existing) {
      if (existing.driver !== driver) throw conflict(`create ${name}: volume name must be unique`);
      return { record: existing, created: false };
    }
    const options = { ...(req.DriverOpts ?? {}) };
    try {
      await deps.driver.create(name, options);
    } catch (err) {
      throw wrap(err, `create ${name}`);
    }
    const record: VolumeRecord = {
      schemaVersion: 1,
      id: name,
      driver,
      createdAt: rfc3339Seconds(new Date()),
      labels: { ...(req.Labels ?? {}), ...(anonymous ? { [ANONYMOUS_LABEL]: "" } : {}) },
      options,
    };
    try {
      await deps.store.put(record);
    } catch (err) {
      await deps.driver.remove(name).catch(() => {});
      throw err;
    }
    deps.publish({ Type: "volume", Action: "create", Actor: { ID: name, Attributes: { driver } } });
    return { record, created: true };
  });
}
