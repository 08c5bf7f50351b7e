/**
 * What watches containers while berthd runs: restart policies (restart-manager.ts) and healthchecks
 * (health.ts). Hooks them into the container lifecycle (deps.onStart, deps.onExit), starts what
 * must run when the daemon starts, and stops every timer when it shuts down.
 *
 *   const sup = superviseContainers(deps);   // before readoptContainers, so exits found there count
 *   await readoptContainers(deps);
 *   await sup.boot();
 *   ...
 *   sup.close();
 */
import { log } from "../../lib/log.js";
import type { ExecDeps } from "./exec.js";
import { HealthMonitor } from "./health.js";
import { RestartManager } from "./restart-manager.js";

export interface Supervisor {
  readonly restarts: RestartManager;
  readonly health: HealthMonitor;
  /** After re-adoption: healthchecks resume, restart policies start what they want running. */
  boot(): Promise<void>;
  close(): void;
}

export function superviseContainers(deps: ExecDeps): Supervisor {
  const restarts = new RestartManager(deps);
  const health = new HealthMonitor(deps);
  const prevStart = deps.onStart;
  const prevExit = deps.onExit;
  deps.onStart = (id) => {
    prevStart?.(id);
    health.start(id);
  };
  deps.onExit = (id) => {
    prevExit?.(id);
    health.stop(id);
    restarts.handleExit(id).catch((err) => log.warn("restart policy", { id, err: String(err) }));
  };
  return {
    restarts,
    health,
    async boot() {
      for (const c of deps.store.all()) {
        if (c.state.status === "running") await health.resume(c.id).catch(() => {});
      }
      await restarts.boot();
    },
    close() {
      restarts.close();
      health.close();
    },
  };
}
