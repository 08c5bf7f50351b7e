import { log } from "../../lib/log.js";
import { phaseTimer } from "../../lib/phase-timer.js";
import { exitFilePath, readExitFile, waitExitFile, wasOomKilled } from "../../runtime/exit-file.js";
import { unmountAll } from "../../snapshot/mount.js";
import { cgroupSawOomKill } from "./cgroup.js";
import { eventAttributes } from "./deps.js";
import type { ContainerRecord } from "./record.js";
import { destroyContainer } from "./remove.js";
import { liveOf, type RuntimeDeps, runPaths } from "./runtime-deps.js";
import { detachMounts } from "./volume-mounts.js";

/**
 * Watches for the exit file conmon writes when the container's init exits (see runtime/conmon.ts),
 * then records the exit. One watcher per running container; a restarted berthd re-arms them.
 */
export function watchExit(deps: RuntimeDeps, id: string): void {
  const live = liveOf(deps, id);
  live.exitWatch?.abort();
  const ctl = new AbortController();
  live.exitWatch = ctl;
  const file = exitFilePath(runPaths(deps, id).exitDir, id);
  waitExitFile(file, { signal: ctl.signal }).then(
    (code) => recordExit(deps, id, code),
    (err) => {
      if (!ctl.signal.aborted) log.error("watching container exit", { id, err: String(err) });
    },
  );
}

/** Records an exit: state, cleanup of the runtime and mounts, events; then --rm or the restart policy. */
export async function recordExit(deps: RuntimeDeps, id: string, code: number): Promise<void> {
  const recorded = await deps.locks.run(id, async () => {
    const t = phaseTimer();
    const c = await recordExitLocked(deps, id, code, t);
    if (c?.hostConfig.AutoRemove) {
      await destroyContainer(deps, c);
      t.mark("remove");
    }
    if (c) log.debug("container exit recorded", { id, ...t.fields() });
    return c !== undefined;
  });
  if (recorded) deps.onExit?.(id);
}

/** The state change of an exit; the caller holds the container's lock. Undefined when not running. */
export async function recordExitLocked(
  deps: RuntimeDeps,
  id: string,
  code: number,
  t = phaseTimer(),
): Promise<ContainerRecord | undefined> {
  const c = deps.store.get(id);
  if (!c || (c.state.status !== "running" && c.state.status !== "paused")) return undefined;
  const live = liveOf(deps, id);
  live.exitWatch?.abort();
  live.exitWatch = undefined;
  const p = runPaths(deps, id);
  // conmon's `oom` file, else the cgroup's own OOM-kill counter (read before delete removes it).
  const oomKilled = (await wasOomKilled(p.persist).catch(() => false)) || (await cgroupSawOomKill(deps, id));
  t.mark("oom");
  // Independent of each other: the runtime's state and cgroups, the network, the host's view of
  // the rootfs (the container's processes, if any are left, hold their own mount namespace).
  await Promise.all([
    deps.runtime
      .delete(id, { force: true })
      .catch((err) => log.warn("runtime delete", { id, err: String(err) })),
    deps.network?.disconnect(id),
    unmountAll(p.rootfs)
      .catch((err) => log.warn("unmount rootfs", { id, err: String(err) }))
      .then(() => detachMounts(deps, c)),
  ]);
  t.mark("cleanup");
  const updated: ContainerRecord = {
    ...c,
    state: {
      ...c.state,
      status: "exited",
      pid: 0,
      conmonPid: 0,
      exitCode: code,
      oomKilled,
      finishedAt: new Date().toISOString(),
    },
  };
  await deps.store.put(updated);
  const attrs = eventAttributes(c);
  if (oomKilled) deps.publish({ Type: "container", Action: "oom", Actor: { ID: id, Attributes: attrs } });
  deps.publish({
    Type: "container",
    Action: "die",
    Actor: { ID: id, Attributes: { ...attrs, exitCode: String(code) } },
  });
  deps.changed(id);
  return updated;
}

/** SIGKILL and record the exit without waiting for the watcher (for rm -f, under the lock). */
export async function killAndRecordLocked(deps: RuntimeDeps, c: ContainerRecord): Promise<void> {
  await deps.store.put({ ...c, stoppedByUser: true });
  await deps.runtime.kill(c.id, "SIGKILL", { all: true }).catch(() => {});
  const file = exitFilePath(runPaths(deps, c.id).exitDir, c.id);
  const code = await waitExitFile(file, { timeoutMs: 30_000 }).catch(() => 137);
  await recordExitLocked(deps, c.id, code);
}

/**
 * After a daemon restart: containers recorded as running are still running (their conmon is
 * alive) or exited while berthd was down (their exit file is there).
 */
export async function readoptContainers(deps: RuntimeDeps): Promise<void> {
  for (const c of deps.store.all()) {
    if (c.state.status !== "running" && c.state.status !== "paused") continue;
    const file = exitFilePath(runPaths(deps, c.id).exitDir, c.id);
    const code = await readExitFile(file).catch(() => undefined);
    if (code !== undefined) {
      await recordExit(deps, c.id, code);
    } else if (c.state.conmonPid && alive(c.state.conmonPid)) {
      watchExit(deps, c.id);
    } else {
      // The monitor is gone without an exit file (a reboot): the container is dead.
      await recordExit(deps, c.id, 255);
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
