/**
 * Applies restart policies (see restart-policy.ts for the rules): after an exit it marks the
 * container "restarting", waits the back-off and starts it again; when berthd starts it starts the
 * containers their policies want running.
 *
 * The record's status is the truth, the timers only a reminder: a restart happens only if, when its
 * timer fires, the container is still "restarting". So `docker stop`, `kill`, `start`, `restart` and
 * `rm` cancel a pending restart just by changing the record (cancelRestart below, or removal); the
 * timer then finds nothing to do. One timer per container at most; close() clears them all, and a
 * restart still pending when the daemon stops happens when it starts again.
 */
import { log } from "../../lib/log.js";
import { decideRestart, startsWithDaemon } from "./restart-policy.js";
import type { RuntimeDeps } from "./runtime-deps.js";
import { startLocked } from "./start.js";

export class RestartManager {
  readonly #deps: RuntimeDeps;
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** The back-off used before each container's last restart. */
  readonly #delays = new Map<string, number>();
  #closed = false;

  constructor(deps: RuntimeDeps) {
    this.#deps = deps;
  }

  /** Whether a restart of this container is waiting for its timer. */
  pending(id: string): boolean {
    return this.#timers.has(id);
  }

  /** For deps.onExit: applies the policy to the exit that was just recorded. */
  async handleExit(id: string): Promise<void> {
    const deps = this.#deps;
    const c = deps.store.get(id);
    if (!c) this.#delays.delete(id);
    if (this.#closed || !c || c.state.status !== "exited") return;
    const ranForMs = Date.parse(c.state.finishedAt) - Date.parse(c.state.startedAt);
    const decision = decideRestart({
      policy: c.hostConfig.RestartPolicy,
      exitCode: c.state.exitCode,
      stoppedByUser: c.stoppedByUser,
      restartCount: c.restartCount,
      ranForMs: Number.isFinite(ranForMs) ? Math.max(0, ranForMs) : 0,
      previousDelayMs: this.#delays.get(id) ?? 0,
    });
    if (!decision.restart) {
      this.#delays.delete(id);
      return;
    }
    const marked = await deps.locks.run(id, async () => {
      const cur = deps.store.get(id);
      // Someone got there first (a start, a stop, an rm): their word stands.
      if (cur?.state.status !== "exited" || cur.state.finishedAt !== c.state.finishedAt) return false;
      if (cur.stoppedByUser) return false;
      await deps.store.put({
        ...cur,
        restartCount: cur.restartCount + 1,
        state: { ...cur.state, status: "restarting" },
      });
      return true;
    });
    if (!marked) return;
    deps.changed(id);
    this.#delays.set(id, decision.delayMs);
    if (this.#closed) return;
    clearTimeout(this.#timers.get(id));
    this.#timers.set(
      id,
      setTimeout(() => {
        this.#timers.delete(id);
        void this.#restart(id);
      }, decision.delayMs),
    );
  }

  async #restart(id: string): Promise<void> {
    try {
      await this.#deps.locks.run(id, async () => {
        const cur = this.#deps.store.get(id);
        if (this.#closed || !cur || cur.state.status !== "restarting") return;
        await startLocked(this.#deps, cur);
      });
    } catch (err) {
      // As Docker: a restart that fails to start leaves the container exited; no further tries.
      log.warn("restart policy: start failed", { id, err: String(err) });
    }
  }

  /**
   * After the daemon has re-adopted its containers: starts those their policy wants running (see
   * startsWithDaemon). Those whose exit during the downtime was just recorded already wait for
   * their timer and are left to it.
   */
  async boot(): Promise<void> {
    const deps = this.#deps;
    const wanted = (c: ReturnType<typeof deps.store.all>[number]) =>
      !this.#timers.has(c.id) &&
      startsWithDaemon({
        policy: c.hostConfig.RestartPolicy,
        status: c.state.status,
        stoppedByUser: c.stoppedByUser,
      });
    for (const c of deps.store.all()) {
      if (this.#closed) return;
      if (!wanted(c)) continue;
      try {
        await deps.locks.run(c.id, async () => {
          const cur = deps.store.get(c.id);
          if (!cur || !wanted(cur)) return;
          // As Docker's restore: a start by the daemon, which resets the count (except for a
          // restart that was already decided and counted).
          await startLocked(deps, cur.state.status === "restarting" ? cur : { ...cur, restartCount: 0 });
        });
      } catch (err) {
        log.warn("restart policy: start at daemon start failed", { id: c.id, err: String(err) });
      }
    }
  }

  /** Clears every timer; pending restarts stay recorded as "restarting" for the next daemon start. */
  close(): void {
    this.#closed = true;
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
  }
}

/**
 * Cancels a pending restart (`docker stop` or `kill` of a restarting container): the container
 * stays exited and counts as stopped by the user. False when none was pending.
 */
export async function cancelRestart(
  deps: Pick<RuntimeDeps, "store" | "locks" | "changed">,
  id: string,
): Promise<boolean> {
  const done = await deps.locks.run(id, async () => {
    const cur = deps.store.get(id);
    if (cur?.state.status !== "restarting") return false;
    await deps.store.put({ ...cur, stoppedByUser: true, state: { ...cur.state, status: "exited" } });
    return true;
  });
  if (done) deps.changed(id);
  return done;
}
