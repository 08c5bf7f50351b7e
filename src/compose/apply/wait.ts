/**
 * Waiting on a container for a dependency condition or for `up --wait`: running, healthy, or exited
 * 0, each bounded in time. A failure explains itself (health output, exit code and log tail).
 */
import type { ApiClient } from "../../api/client/client.js";
import { inspect } from "../../api/client/containers.js";
import type { ContainerInspect } from "../../api/types/containers.js";
import { BerthError } from "../../lib/errors.js";
import { explainExit, explainUnhealthy } from "./diagnose.js";

export type WaitGoal = "started" | "healthy" | "completed" | "ready";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The bound for a health wait: long enough for the healthcheck's own schedule, at least 60 s. */
function healthBoundMs(c: ContainerInspect): number {
  const h = c.Config.Healthcheck;
  if (!h) return 60_000;
  const ns = (v: number | undefined, d: number) => (v && v > 0 ? v : d);
  const interval = ns(h.Interval, 30e9);
  const timeout = ns(h.Timeout, 30e9);
  const retries = ns(h.Retries, 3);
  const start = ns(h.StartPeriod, 0);
  return Math.max(60_000, (start + (interval + timeout) * (retries + 2)) / 1e6);
}

/**
 * Resolves when the container reached the goal; throws a BerthError saying why not.
 * - started: running (or already exited: it did start);
 * - healthy: State.Health healthy;
 * - completed: exited with code 0;
 * - ready (`up --wait`): healthy if it has a healthcheck, running otherwise, or exited 0.
 */
export async function waitFor(
  client: ApiClient,
  id: string,
  name: string,
  goal: WaitGoal,
  opts: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<void> {
  let c = await inspect(client, id);
  const bound = opts.timeoutMs ?? (goal === "healthy" || goal === "ready" ? healthBoundMs(c) : 3_600_000);
  const deadline = Date.now() + bound;
  for (let i = 0; ; i++) {
    const s = c.State;
    const exited = s.Status === "exited" || s.Status === "dead";
    const hasHealth = !!s.Health && s.Health.Status !== "none";
    switch (goal) {
      case "started":
        if (s.Running || exited) return;
        break;
      case "completed":
        if (exited && s.ExitCode === 0) return;
        if (exited) throw fail(`container ${name} ${await explainExit(client, c)}`);
        break;
      case "healthy":
      case "ready":
        if (goal === "healthy" && !hasHealth && !exited)
          throw fail(`container ${name} has no healthcheck configured, so it cannot become healthy`);
        if (goal === "ready" && exited && s.ExitCode === 0) return;
        if (exited) throw fail(`container ${name} ${await explainExit(client, c)}`);
        if (hasHealth && s.Health!.Status === "healthy") return;
        if (hasHealth && s.Health!.Status === "unhealthy")
          throw fail(`container ${name} ${explainUnhealthy(c)}`);
        if (goal === "ready" && !hasHealth && s.Running) return;
        break;
    }
    if (opts.signal?.aborted) throw new BerthError("canceled", `waiting for ${name} canceled`);
    if (Date.now() > deadline) {
      const what =
        goal === "completed" ? "to complete" : goal === "started" ? "to start" : "to become healthy";
      const health = c.State.Health?.Log?.at(-1);
      throw fail(
        `timed out after ${Math.round(bound / 1000)}s waiting for container ${name} ${what} (state ${s.Status}${
          hasHealth ? `, health ${s.Health!.Status}` : ""
        }${health ? `, last healthcheck exit code ${health.ExitCode}: ${health.Output.trim() || "(no output)"}` : ""})`,
      );
    }
    await sleep(Math.min(50 * 2 ** Math.min(i, 3), 400));
    c = await inspect(client, id);
  }
}

function fail(msg: string): BerthError {
  return new BerthError("failed-precondition", msg);
}
