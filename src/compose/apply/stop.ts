/** Stopping, starting and removing a project's containers in (reverse) dependency order. */
import * as containers from "../../api/client/containers.js";
import type { ContainerSummary } from "../../api/types/containers.js";
import { isKind } from "../../lib/errors.js";
import { buildGraph } from "../plan/graph.js";
import { L } from "../plan/labels.js";
import { durationNs } from "../plan/units.js";
import { type ComposeContext, event } from "./context.js";
import { nameOf } from "./project-containers.js";

/** Seconds from the service's stop_grace_period, or undefined (the container's own StopTimeout). */
export function stopTimeoutOf(ctx: ComposeContext, service: string | undefined): number | undefined {
  const g = service ? ctx.project.services[service]?.stop_grace_period : undefined;
  return g ? Math.round(durationNs(g) / 1e9) : undefined;
}

/** Groups containers by dependency level: dependents first when `reverse` (stop), else dependencies first. */
export function levels(
  ctx: ComposeContext,
  list: readonly ContainerSummary[],
  reverse: boolean,
): ContainerSummary[][] {
  // A service's level is one more than its deepest dependency's: services of one level are independent.
  const rank = new Map<string, number>();
  try {
    const graph = buildGraph(ctx.project);
    for (const s of graph.order)
      rank.set(s, 1 + Math.max(-1, ...(graph.deps.get(s) ?? []).map((d) => rank.get(d) ?? 0)));
  } catch {
    // a cyclic model: one level
  }
  const groups = new Map<number, ContainerSummary[]>();
  for (const c of list) {
    const r = rank.get(c.Labels[L.service] ?? "") ?? 1e6; // unknown services (orphans) stop first
    const key = reverse ? -r : r;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return [...groups.entries()].sort(([a], [b]) => a - b).map(([, g]) => g);
}

export async function stopContainers(
  ctx: ComposeContext,
  list: readonly ContainerSummary[],
  timeout?: number,
): Promise<void> {
  for (const group of levels(ctx, list, true)) {
    await Promise.all(
      group.map(async (c) => {
        if (c.State !== "running" && c.State !== "paused" && c.State !== "restarting") return;
        const name = nameOf(c);
        ctx.progress(event("Container", name, "Stopping"));
        await containers.stop(ctx.client, c.Id, {
          timeout: timeout ?? stopTimeoutOf(ctx, c.Labels[L.service]),
        });
        ctx.progress(event("Container", name, "Stopped"));
      }),
    );
  }
}

export async function removeContainers(
  ctx: ComposeContext,
  list: readonly ContainerSummary[],
  opts: { volumes?: boolean; timeout?: number } = {},
): Promise<void> {
  for (const group of levels(ctx, list, true)) {
    await Promise.all(
      group.map(async (c) => {
        const name = nameOf(c);
        if (c.State === "running" || c.State === "paused" || c.State === "restarting") {
          ctx.progress(event("Container", name, "Stopping"));
          await containers.stop(ctx.client, c.Id, {
            timeout: opts.timeout ?? stopTimeoutOf(ctx, c.Labels[L.service]),
          });
          ctx.progress(event("Container", name, "Stopped"));
        }
        ctx.progress(event("Container", name, "Removing"));
        try {
          await containers.remove(ctx.client, c.Id, { force: true, volumes: opts.volumes });
        } catch (err) {
          if (!isKind(err, "not-found")) throw err;
        }
        ctx.progress(event("Container", name, "Removed"));
      }),
    );
  }
}

export async function startContainers(ctx: ComposeContext, list: readonly ContainerSummary[]): Promise<void> {
  for (const group of levels(ctx, list, false)) {
    await Promise.all(
      group.map(async (c) => {
        if (c.State === "running") return;
        const name = nameOf(c);
        ctx.progress(event("Container", name, "Starting"));
        await containers.start(ctx.client, c.Id);
        ctx.progress(event("Container", name, "Started"));
      }),
    );
  }
}
