import { conflict } from "../../lib/errors.js";
import type { VolumeDeps } from "./deps.js";
import { findVolume } from "./inspect.js";

/**
 * `docker volume rm [-f]`: a volume referenced by any container (running or not) is a 409,
 * "remove NAME: volume is in use - [ids]", with or without force; force only makes a missing
 * volume a success.
 */
export async function removeVolume(
  deps: VolumeDeps,
  name: string,
  opts: { force?: boolean } = {},
): Promise<void> {
  if (opts.force && !deps.store.get(name)) return;
  findVolume(deps, name);
  await deps.locks.run(name, async () => {
    const rec = deps.store.get(name);
    if (!rec) {
      if (opts.force) return;
      findVolume(deps, name);
      return;
    }
    const users = deps.containersUsing(name);
    if (users.length > 0) throw conflict(`remove ${name}: volume is in use - [${users.join(", ")}]`);
    await destroyVolume(deps, name, rec.driver);
  });
}

/** Removes the data, then the record; the caller holds the volume's lock and checked it is unused. */
export async function destroyVolume(deps: VolumeDeps, name: string, driver: string): Promise<void> {
  await deps.driver.remove(name);
  await deps.store.delete(name);
  deps.publish({ Type: "volume", Action: "destroy", Actor: { ID: name, Attributes: { driver } } });
}
