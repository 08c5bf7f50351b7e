/**
 * `up`: networks and volumes, images (built or pulled before any container is touched), then each
 * service converged in dependency order once its dependencies meet their condition; independent
 * services go in parallel. A dependency that fails is explained (health output or exit code and log
 * tail), and a recreated container says which settings changed.
 */
import * as containers from "../../api/client/containers.js";
import type { ContainerSummary } from "../../api/types/containers.js";
import { BerthError, errorMessage } from "../../lib/errors.js";
import type { DependencyCondition } from "../model.js";
import {
  type ConvergeOptions,
  orphans,
  planService,
  replicasOf,
  type ServicePlan,
} from "../plan/converge.js";
import { buildGraph, withDependencies } from "../plan/graph.js";
import { type ComposeContext, event } from "./context.js";
import { createServiceContainer } from "./create.js";
import { type EnsureImagesOptions, ensureImages } from "./images.js";
import { nameOf, projectContainers } from "./project-containers.js";
import { ensureNetwork, ensureVolume, usedResources } from "./resources.js";
import { stopTimeoutOf } from "./stop.js";
import { type WaitGoal, waitFor } from "./wait.js";

export interface UpOptions
  extends EnsureImagesOptions,
    Pick<ConvergeOptions, "forceRecreate" | "noRecreate" | "scale"> {
  services?: readonly string[];
  noDeps?: boolean;
  removeOrphans?: boolean;
  noStart?: boolean;
  /** Wait for every container to be running/healthy (or exited 0) before returning. */
  wait?: boolean;
  waitTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface ServiceContainer {
  service: string;
  id: string;
  name: string;
}

const GOAL: Record<DependencyCondition, WaitGoal> = {
  service_started: "started",
  service_healthy: "healthy",
  service_completed_successfully: "completed",
};

export async function up(ctx: ComposeContext, opts: UpOptions = {}): Promise<ServiceContainer[]> {
  const { project, client } = ctx;
  for (const s of opts.services ?? [])
    if (!project.services[s]) throw new BerthError("invalid-argument", `no such service: ${s}`);
  const graph = buildGraph(project);
  const selected = opts.noDeps
    ? new Set(opts.services?.length ? opts.services : graph.order)
    : withDependencies(graph, opts.services ?? []);
  const order = graph.order.filter((s) => selected.has(s));
  for (const s of order) replicasOf(project, s, opts.scale); // refuse impossible scales before changing anything

  const existing = await projectContainers(client, project.name, { all: true, oneoff: false });
  const lost = orphans(project, existing) as ContainerSummary[];
  if (lost.length > 0) {
    if (opts.removeOrphans) {
      for (const c of lost) await removeContainer(ctx, c, "orphan");
    } else {
      ctx.progress(
        `WARN[0000] Found orphan containers ([${lost.map(nameOf).join(" ")}]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.`,
      );
    }
  }

  const used = usedResources(project, order);
  let networksOk = true;
  for (const n of used.networks) networksOk = (await ensureNetwork(ctx, n)) && networksOk;
  for (const v of used.volumes) await ensureVolume(ctx, v);
  const imageIds = await ensureImages(ctx, order, opts);

  const plans = new Map<string, ServicePlan>();
  for (const s of order) {
    plans.set(s, planService(project, s, existing, { ...opts, imageIds }));
  }

  const results = new Map<string, Promise<ServiceContainer[]>>();
  for (const service of order) {
    const deps = Object.entries(project.services[service]!.depends_on ?? {}).filter(([d]) => selected.has(d));
    results.set(
      service,
      (async () => {
        await Promise.all(
          deps.map(async ([dep, d]) => {
            let started: ServiceContainer[];
            try {
              started = await results.get(dep)!;
            } catch {
              throw new BerthError(
                "failed-precondition",
                `service "${service}" not started: its dependency "${dep}" failed`,
              );
            }
            if (opts.noStart) return;
            for (const c of started) {
              try {
                await waitFor(client, c.id, c.name, GOAL[d.condition], { signal: opts.signal });
              } catch (err) {
                const msg = `dependency failed to start: service "${dep}" (needed by "${service}"): ${errorMessage(err)}`;
                if (d.required === false) {
                  ctx.progress(`WARN[0000] ${msg}; continuing because the dependency is optional`);
                  continue;
                }
                throw new BerthError("failed-precondition", msg);
              }
              if (d.condition !== "service_started")
                ctx.progress(
                  event("Container", c.name, d.condition === "service_healthy" ? "Healthy" : "Exited"),
                );
            }
          }),
        );
        return converge(
          ctx,
          plans.get(service)!,
          imageIds[service],
          existing,
          opts.noStart ?? false,
          !networksOk,
        );
      })(),
    );
  }
  const settled = await Promise.allSettled(order.map((s) => results.get(s)!));
  const failures = settled.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
  if (failures.length > 0) {
    // The root causes first: a dependent's "its dependency failed" adds nothing to them.
    const root = failures.filter((e) => !/its dependency ".*" failed$/.test(errorMessage(e)));
    const shown = root.length ? root : failures;
    throw new BerthError("failed-precondition", shown.map(errorMessage).join("\n"), { cause: shown[0] });
  }
  const all = settled.flatMap((r) => (r.status === "fulfilled" ? r.value : []));
  if (opts.wait && !opts.noStart) {
    const waits = await Promise.allSettled(
      all.map(async (c) => {
        ctx.progress(event("Container", c.name, "Waiting"));
        await waitFor(client, c.id, c.name, "ready", { timeoutMs: opts.waitTimeoutMs, signal: opts.signal });
        ctx.progress(event("Container", c.name, "Healthy"));
      }),
    );
    const bad = waits.flatMap((r) => (r.status === "rejected" ? [errorMessage(r.reason)] : []));
    if (bad.length) throw new BerthError("failed-precondition", bad.join("\n"));
  }
  return all;
}

async function removeContainer(ctx: ComposeContext, c: ContainerSummary, why: string): Promise<void> {
  const name = nameOf(c);
  ctx.progress(event("Container", name, `Stopping (${why})`));
  if (c.State === "running" || c.State === "paused" || c.State === "restarting")
    await containers.stop(ctx.client, c.Id, {
      timeout: stopTimeoutOf(ctx, c.Labels["com.docker.compose.service"]),
    });
  ctx.progress(event("Container", name, "Removing"));
  await containers.remove(ctx.client, c.Id, { force: true });
  ctx.progress(event("Container", name, "Removed"));
}

async function converge(
  ctx: ComposeContext,
  plan: ServicePlan,
  imageId: string | undefined,
  existing: readonly ContainerSummary[],
  noStart: boolean,
  defaultNetworkOnly: boolean,
): Promise<ServiceContainer[]> {
  const out: ServiceContainer[] = [];
  await Promise.all(
    plan.actions.map(async (a) => {
      switch (a.kind) {
        case "remove":
          await removeContainer(ctx, a.container as ContainerSummary, a.reason);
          return;
        case "keep": {
          const name = nameOf(a.container);
          if (a.start && !noStart) {
            ctx.progress(event("Container", name, "Starting"));
            await containers.start(ctx.client, a.container.Id);
            ctx.progress(event("Container", name, "Started"));
          } else ctx.progress(event("Container", name, a.start ? "Created" : "Running"));
          out.push({ service: plan.service, id: a.container.Id, name });
          return;
        }
        case "recreate": {
          const name = nameOf(a.container);
          ctx.progress(
            event(
              "Container",
              name,
              `Recreate (${a.reasons.length === 1 ? a.reasons[0] : `${a.reasons.length} changes`})`,
            ),
          );
          if (a.reasons.length > 1) for (const r of a.reasons) ctx.progress(`   - ${r}`);
          await removeContainer(ctx, a.container as ContainerSummary, "recreate");
          const c = await createServiceContainer(ctx, plan.service, a.number, {
            imageId,
            running: existing,
            defaultNetworkOnly,
          });
          ctx.progress(event("Container", c.name, "Recreated"));
          if (!noStart) await startOne(ctx, c.id, c.name);
          out.push({ service: plan.service, ...c });
          return;
        }
        case "create": {
          const c = await createServiceContainer(ctx, plan.service, a.number, {
            imageId,
            running: existing,
            defaultNetworkOnly,
          });
          ctx.progress(event("Container", c.name, "Created"));
          if (!noStart) await startOne(ctx, c.id, c.name);
          out.push({ service: plan.service, ...c });
          return;
        }
      }
    }),
  );
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

async function startOne(ctx: ComposeContext, id: string, name: string): Promise<void> {
  ctx.progress(event("Container", name, "Starting"));
  try {
    await containers.start(ctx.client, id);
  } catch (err) {
    throw new BerthError("failed-precondition", `container ${name} failed to start: ${errorMessage(err)}`, {
      cause: err,
    });
  }
  ctx.progress(event("Container", name, "Started"));
}
