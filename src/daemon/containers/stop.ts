import { invalidArgument } from "../../lib/errors.js";
import { log } from "../../lib/log.js";
import { isPaused, notRunning } from "./_errors.js";
import { eventAttributes, findContainer } from "./deps.js";
import type { ContainerRecord } from "./record.js";
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
  await deps.store.put({ ...c, stoppedByUser: true });
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
  const c = findContainer(deps, ref);
  if (!up(c)) return false;
  await stopAndWait(deps, c, opts);
  deps.publish({ Type: "container", Action: "stop", Actor: { ID: c.id, Attributes: eventAttributes(c) } });
  return true;
}

/** `docker kill -s`. */
export async function killContainer(deps: RuntimeDeps, ref: string, signal = "SIGKILL"): Promise<void> {
  const c = findContainer(deps, ref);
  const sig = normalizeSignal(signal);
  if (!up(c)) throw notRunning(c.id);
  if (c.state.status === "paused" && sig !== "SIGKILL" && sig !== "9") throw isPaused(c.id);
  if (sig === "SIGKILL" || sig === "9") await deps.store.put({ ...c, stoppedByUser: true });
  const fatal = sig === "SIGKILL" || sig === "9";
  await deps.runtime.kill(c.id, sig, { all: fatal });
  // As Docker: a SIGKILL returns once the exit is recorded, so the next inspect shows it.
  if (fatal) await exited(deps, c.id, 10_000);
  deps.publish({
    Type: "container",
    Action: "kill",
    Actor: { ID: c.id, Attributes: { ...eventAttributes(c), signal: sig.replace(/^SIG/, "") } },
  });
}

/** `docker restart`: stop (if running), then start. */
export async function restartContainer(
  deps: RuntimeDeps,
  ref: string,
  opts: { timeout?: number; signal?: string } = {},
): Promise<void> {
  const c = findContainer(deps, ref);
  if (up(c)) await stopAndWait(deps, c, opts);
  await deps.locks.run(c.id, async () => {
    const cur = deps.store.get(c.id);
    if (cur && !up(cur)) await startLocked(deps, cur);
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
