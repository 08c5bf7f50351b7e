/**
 * Healthcheck monitors: one per running container with a healthcheck (health-state.ts has the
 * rules, health-probe.ts runs a probe). A monitor starts when its container starts (deps.onStart)
 * and at daemon start for re-adopted containers, and stops at exit, removal and daemon shutdown.
 *
 * Each monitor is a chain of single timers, never an interval: the next probe is scheduled only
 * after the previous one finished, so probes never overlap, and a probe is itself bounded by its
 * timeout. A result is recorded under the container's lock and only while the container still runs.
 *
 * Beyond Docker, HostConfig.HealthOnFailure acts when the status turns unhealthy:
 *   kill     SIGKILL, as an exit of its own: the restart policy applies to it
 *   stop     as `docker stop` (the restart policy does not restart it)
 *   restart  as `docker restart`, counted in RestartCount
 */
import { log } from "../../lib/log.js";
import { eventAttributes } from "./deps.js";
import type { ExecDeps } from "./exec.js";
import { runProbe } from "./health-probe.js";
import {
  applyProbeResult,
  type HealthState,
  nextProbeDelay,
  type ProbePlan,
  probePlan,
} from "./health-state.js";
import { restartContainer, stopContainer } from "./stop.js";

interface Monitor {
  plan: ProbePlan;
  abort: AbortController;
  timer?: ReturnType<typeof setTimeout>;
  /** Stops listening for the container's state changes. */
  unwatch: () => void;
}

const STARTING: HealthState = { status: "starting", failingStreak: 0, log: [] };

export class HealthMonitor {
  readonly #deps: ExecDeps;
  readonly #monitors = new Map<string, Monitor>();
  #closed = false;

  constructor(deps: ExecDeps) {
    this.#deps = deps;
  }

  /** Starts (or restarts) the container's monitor; nothing when it has no healthcheck. */
  start(id: string): void {
    this.stop(id);
    const c = this.#deps.store.get(id);
    const plan = c ? probePlan(c.config) : undefined;
    if (this.#closed || !plan) return;
    // Any state change that leaves it not running (an exit, rm -f) ends the monitor at once.
    const unwatch = this.#deps.watch.on(id, () => {
      const cur = this.#deps.store.get(id);
      if (!cur || (cur.state.status !== "running" && cur.state.status !== "paused")) this.stop(id);
    });
    const m: Monitor = { plan, abort: new AbortController(), unwatch };
    this.#monitors.set(id, m);
    this.#schedule(id, m);
  }

  /** Stops the monitor and kills a probe in flight. */
  stop(id: string): void {
    const m = this.#monitors.get(id);
    if (!m) return;
    this.#monitors.delete(id);
    clearTimeout(m.timer);
    m.unwatch();
    m.abort.abort();
  }

  /** Daemon shutdown: every monitor stops. */
  close(): void {
    this.#closed = true;
    for (const id of [...this.#monitors.keys()]) this.stop(id);
  }

  /** Running monitors (for tests and diagnostics). */
  get size(): number {
    return this.#monitors.size;
  }

  /**
   * At daemon start, for a re-adopted running container: its status starts over at "starting"
   * (as Docker's restore does), then probes resume.
   */
  async resume(id: string): Promise<void> {
    const deps = this.#deps;
    const c = deps.store.get(id);
    if (c?.state.status !== "running" || !probePlan(c.config)) return;
    await deps.locks.run(id, async () => {
      const cur = deps.store.get(id);
      if (cur?.state.status === "running")
        await deps.store.put({ ...cur, health: { ...STARTING, log: cur.health?.log ?? [] } });
    });
    this.start(id);
  }

  #schedule(id: string, m: Monitor): void {
    const c = this.#deps.store.get(id);
    if (!c || m.abort.signal.aborted || this.#monitors.get(id) !== m) return;
    const sinceStart = Date.now() - Date.parse(c.state.startedAt);
    const delay = nextProbeDelay(
      m.plan,
      c.health?.status ?? "starting",
      Number.isFinite(sinceStart) ? sinceStart : 0,
    );
    m.timer = setTimeout(() => void this.#tick(id, m), delay);
  }

  async #tick(id: string, m: Monitor): Promise<void> {
    m.timer = undefined;
    try {
      const c = this.#deps.store.get(id);
      if (!c || (c.state.status !== "running" && c.state.status !== "paused")) {
        if (this.#monitors.get(id) === m) this.stop(id);
        return;
      }
      if (c.state.status === "paused" || m.abort.signal.aborted) return; // no probes while paused
      const result = await runProbe(this.#deps, id, m.plan, m.abort.signal);
      if (result && !m.abort.signal.aborted) await this.#record(id, m, result);
    } catch (err) {
      log.warn("healthcheck", { id, err: String(err) });
    } finally {
      this.#schedule(id, m);
    }
  }

  async #record(id: string, m: Monitor, result: Parameters<typeof applyProbeResult>[1]): Promise<void> {
    const deps = this.#deps;
    const turned = await deps.locks.run(id, async () => {
      const cur = deps.store.get(id);
      if (cur?.state.status !== "running" || m.abort.signal.aborted) return undefined;
      const { health, changed } = applyProbeResult(cur.health ?? STARTING, result, {
        retries: m.plan.retries,
        startPeriodMs: m.plan.startPeriodMs,
        startedAt: cur.state.startedAt,
      });
      await deps.store.put({ ...cur, health });
      return changed ? { status: health.status, attrs: eventAttributes(cur) } : undefined;
    });
    if (!turned) return;
    deps.publish({
      Type: "container",
      Action: `health_status: ${turned.status}`,
      Actor: { ID: id, Attributes: turned.attrs },
    });
    deps.changed(id);
    if (turned.status === "unhealthy") void actOnUnhealthy(deps, id);
  }
}

/** HostConfig.HealthOnFailure, run apart from the monitor (which the action itself stops). */
async function actOnUnhealthy(deps: ExecDeps, id: string): Promise<void> {
  const action = deps.store.get(id)?.hostConfig.HealthOnFailure;
  if (!action || action === "none") return;
  log.info("container unhealthy", { id, action });
  try {
    if (action === "kill") {
      await deps.runtime.kill(id, "SIGKILL", { all: true });
    } else if (action === "stop") {
      await stopContainer(deps, id);
    } else if (action === "restart") {
      await restartContainer(deps, id, { byDaemon: true });
    }
  } catch (err) {
    log.warn("health-on-failure action failed", { id, action, err: String(err) });
  }
}
