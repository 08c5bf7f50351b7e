import { promises as fs } from "node:fs";
import { log } from "../../lib/log.js";
import { runningNoForce } from "./_errors.js";
import { type ContainerDeps, eventAttributes, findContainer } from "./deps.js";
import type { ContainerRecord } from "./record.js";
import { removeAnonymousVolumes } from "./volume-mounts.js";

export interface RemoveDeps extends ContainerDeps {
  /** Kills a running container and waits until it has exited (for rm -f). */
  killAndWait(c: ContainerRecord): Promise<void>;
}

/**
 * `docker rm [-f] [-v]`: a running container needs -f; its writable layer and files go with it,
 * and with -v its anonymous volumes.
 */
export async function removeContainer(
  deps: RemoveDeps,
  ref: string,
  opts: { force?: boolean; volumes?: boolean } = {},
): Promise<void> {
  const c = findContainer(deps, ref);
  await deps.locks.run(c.id, async () => {
    const cur = deps.store.get(c.id);
    if (!cur) return;
    const status = cur.state.status;
    if (status === "running" || status === "paused" || status === "restarting") {
      if (!opts.force) throw runningNoForce(cur.id);
      // A restarting container has no process: removing the record cancels its pending restart.
      if (status !== "restarting") await deps.killAndWait(cur);
    }
    await destroyContainer(deps, cur, { volumes: opts.volumes });
  });
}

/**
 * Removes what a stopped container owns: its snapshot, run dir and record, and with `volumes` its
 * anonymous volumes (always for --rm containers, as Docker does). Callers hold its lock.
 */
export async function destroyContainer(
  deps: ContainerDeps,
  c: ContainerRecord,
  opts: { volumes?: boolean } = {},
): Promise<void> {
  await deps.store.put({ ...c, state: { ...c.state, status: "removing" } }).catch(() => {});
  try {
    await deps.snapshots.remove(c.snapshotKey);
  } catch (err) {
    log.warn("removing container layer", { id: c.id, err: String(err) });
  }
  // An exec's monitor (a health probe cut off by the stop) may still write its exit file here while
  // the tree is removed: retry on ENOTEMPTY instead of failing the removal.
  await fs.rm(`${deps.runDir}/${c.id}`, { recursive: true, force: true, maxRetries: 10, retryDelay: 20 });
  await deps.store.delete(c.id);
  if (opts.volumes || c.hostConfig.AutoRemove === true) await removeAnonymousVolumes(deps, c);
  deps.publish({ Type: "container", Action: "destroy", Actor: { ID: c.id, Attributes: eventAttributes(c) } });
  deps.changed(c.id);
}
