import { invalidArgument } from "../../lib/errors.js";
import { log } from "../../lib/log.js";
import { isPaused, notRunning } from "./_errors.js";
import { eventAttributes, findContainer } from "./deps.js";
import type { ContainerRecord } from "./record.js";
import { cancelRestart } from "./restart-manager.js";
import type { RuntimeDeps } from "./runtime-deps.js";
import { startLocked } from "./start.js";

const up = (c: ContainerRecord) => c.state.status === "running" || c.state.status === "paused";

/** Docker's signal names and numbers: "SIGTERM", "TERM", "15". */
export function normalizeSignal(sig: string): string {
  const s = sig.trim().toUpperCase();
  if (/^\d+$/.test(s)) {
    if (Number(s) < 1 || Number(s) > 64) throw invalidArgument(`Invalid signal: ${sig}`);
    return s;
  }
  const name = s.startsWith("SIG") ? s : `SIG${s}`;
  if (!/^SIG(RTMIN(\+\d+)?|RTMAX(-\d+)?|[A-Z]+[0-9]*)$/.test(name))
    throw invalidArgument(`Invalid signal: ${sig}`);
  return name;
}

/** Waits until the container is no longer running (exit recorded), or the timeout passes. */
function exited(deps: RuntimeDeps, id: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const check = () => {
      const c = deps.store.get(id);
      if (!c || !up(c)) {
        off();
        clearTimeout(timer);
        resolve(true);
      }
    };
    const off = deps.watch.on(id, check);
    const timer = setTimeout(() => {
      off();
      resolve(false);
    }, timeoutMs);
    check();
  });
}

/**
 * Records that the user asked for the coming exit (restart policies leave it alone). Under the
 * container's lock, on its current record, so a concurrent write (a health result) cannot undo it.
 */
async function markStoppedByUser(deps: RuntimeDeps, id: string): Promise<void> {
  await deps.locks.run(id, async () => {
    const cur = deps.store.get(id);
    if (cur && !cur.stoppedByUser) await deps.store.put({ ...cur, stoppedByUser: true });
  });
}

/**
 * Sends the stop signal, then SIGKILL after the timeout (the request's, else StopTimeout, else
 * 10 s), and waits for the exit to be recorded. Call without the container's lock: the exit
 * handler takes it.
 */
async function stopAndWait(
  deps: RuntimeDeps,
  c: ContainerRecord,
  opts: { timeout?: number; signal?: string },
) {
  const signal = normalizeSignal(opts.signal || c.config.StopSignal || "SIGTERM");
  const timeout = opts.timeout ?? c.config.StopTimeout ?? 10;
  await markStoppedByUser(deps, c.id);
  if (c.state.status === "paused") await deps.runtime.resume(c.id).catch(() => {});
  await deps.runtime
    .kill(c.id, signal, { all: false })
    .catch((err) => log.debug("stop signal", { err: String(err) }));
  if (timeout < 0 ? await exited(deps, c.id, 2 ** 31 - 1) : await exited(deps, c.id, timeout * 1000)) return;
  await deps.runtime.kill(c.id, "SIGKILL", { all: true }).catch(() => {});
  if (!(await exited(deps, c.id, 30_000))) throw new Error(`container ${c.id} did not exit after SIGKILL`);
}

/** `docker stop`: false when it was not running (304). */
export async function stopContainer(
  deps: RuntimeDeps,
  ref: string,
  opts: { timeout?: number; signal?: string } = {},
): Promise<boolean> {
  const found = findContainer(deps, ref);
  // A pending restart is cancelled; the container stays exited.
  if (found.state.status === "restarting" && (await cancelRestart(deps, found.id))) {
    deps.publish({
      Type: "container",
      Action: "stop",
      Actor: { ID: found.id, Attributes: eventAttributes(found) },
    });
    return true;
  }
  const c = deps.store.get(found.id) ?? found;
  if (!up(c)) return false;
  await stopAndWait(deps, c, opts);
  deps.publish({ Type: "container", Action: "stop", Actor: { ID: c.id, Attributes: eventAttributes(c) } });
  return true;
}

/** `docker kill -s`. */
export async function killContainer(deps: RuntimeDeps, ref: string, signal = "SIGKILL"): Promise<void> {
  const found = findContainer(deps, ref);
  const sig = normalizeSignal(signal);
  const attrs = { ...eventAttributes(found), signal: sig.replace(/^SIG/, "") };
  // As Docker: killing a restarting container cancels its restart.
  if (found.state.status === "restarting" && (await cancelRestart(deps, found.id))) {
    deps.publish({ Type: "container", Action: "kill", Actor: { ID: found.id, Attributes: attrs } });
    return;
  }
  const c = deps.store.get(found.id) ?? found;
  if (!up(c)) throw notRunning(c.id);
  if (c.state.status === "paused" && sig !== "SIGKILL" && sig !== "9") throw isPaused(c.id);
  const fatal = sig === "SIGKILL" || sig === "9";
  // SIGKILL or the container's stop signal: the exit is the user's, restart policies leave it.
  if (fatal || sig === normalizeSignal(c.config.StopSignal || "SIGTERM")) await markStoppedByUser(deps, c.id);
  await deps.runtime.kill(c.id, sig, { all: fatal });
  // As Docker: a SIGKILL returns once the exit is recorded, so the next inspect shows it.
  if (fatal) await exited(deps, c.id, 10_000);
  deps.publish({
    Type: "container",
    Action: "kill",
    Actor: { ID: c.id, Attributes: { ...eventAttributes(c), signal: sig.replace(/^SIG/, "") } },
  });
}

/**
 * `docker restart`: stop (if running), then start. A user's restart resets RestartCount, as
 * Docker's does; one by the daemon (`byDaemon`: a healthcheck's action) counts one more.
 */
export async function restartContainer(
  deps: RuntimeDeps,
  ref: string,
  opts: { timeout?: number; signal?: string; byDaemon?: boolean } = {},
): Promise<void> {
  const c = findContainer(deps, ref);
  if (c.state.status === "restarting") await cancelRestart(deps, c.id);
  if (up(c)) await stopAndWait(deps, c, opts);
  await deps.locks.run(c.id, async () => {
    const cur = deps.store.get(c.id);
    if (cur && !up(cur))
      await startLocked(deps, { ...cur, restartCount: opts.byDaemon ? cur.restartCount + 1 : 0 });
  });
  deps.publish({ Type: "container", Action: "restart", Actor: { ID: c.id, Attributes: eventAttributes(c) } });
}

export async function pauseContainer(deps: RuntimeDeps, ref: string): Promise<void> {
  const c = findContainer(deps, ref);
  await deps.locks.run(c.id, async () => {
    const cur = deps.store.get(c.id) ?? c;
    if (cur.state.status === "paused") throw invalidArgument(`Container ${c.id} is already paused`);
    if (cur.state.status !== "running") throw notRunning(c.id);
    await deps.runtime.pause(c.id);
    await deps.store.put({ ...cur, state: { ...cur.state, status: "paused" } });
  });
  deps.publish({ Type: "container", Action: "pause", Actor: { ID: c.id, Attributes: eventAttributes(c) } });
  deps.changed(c.id);
}

export async function unpauseContainer(deps: RuntimeDeps, ref: string): Promise<void> {
  const c = findContainer(deps, ref);
  await deps.locks.run(c.id, async () => {
    const cur = deps.store.get(c.id) ?? c;
    if (cur.state.status !== "paused") throw invalidArgument(`Container ${c.id} is not paused`);
    await deps.runtime.resume(c.id);
    await deps.store.put({ ...cur, state: { ...cur.state, status: "running" } });
  });
  deps.publish({ Type: "container", Action: "unpause", Actor: { ID: c.id, Attributes: eventAttributes(c) } });
  deps.changed(c.id);
}
