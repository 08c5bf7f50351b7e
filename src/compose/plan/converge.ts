/**
 * Convergence: what `up` must do to bring a project's containers to its model. Each service's
 * existing containers are compared by config hash (and image id); a container whose hash differs is
 * recreated, and the reason says which settings changed (from the canonical JSON kept in the
 * `berth.compose.config` label). Scale decides how many containers exist; containers of services
 * no longer in the model are orphans. (pure)
 */
import type { ContainerSummary } from "../../api/types/containers.js";
import { invalidArgument } from "../../lib/errors.js";
import type { Project } from "../model.js";
import { canonicalService, configHash, diffConfig } from "./config-hash.js";
import { L } from "./labels.js";

export type Existing = Pick<ContainerSummary, "Id" | "Names" | "Labels" | "State" | "ImageID">;

export type ContainerAction =
  | { kind: "create"; number: number }
  | { kind: "keep"; container: Existing; number: number; start: boolean }
  | { kind: "recreate"; container: Existing; number: number; reasons: string[] }
  | { kind: "remove"; container: Existing; reason: string };

export interface ServicePlan {
  service: string;
  hash: string;
  actions: ContainerAction[];
}

export interface ConvergeOptions {
  /** service -> replicas, from `--scale`. */
  scale?: Readonly<Record<string, number>>;
  forceRecreate?: boolean;
  noRecreate?: boolean;
  /** service -> the id of the image it should run now (recreate when a container runs another). */
  imageIds?: Readonly<Record<string, string>>;
}

export function replicasOf(
  project: Project,
  service: string,
  scale?: Readonly<Record<string, number>>,
): number {
  const svc = project.services[service]!;
  const n = scale?.[service] ?? svc.scale ?? svc.deploy?.replicas ?? 1;
  if (svc.container_name && n > 1)
    throw invalidArgument(
      `service "${service}" has container_name "${svc.container_name}" and cannot be scaled to ${n}: container names must be unique`,
    );
  return n;
}

export function containerNumber(c: Existing): number {
  return Number(c.Labels[L.number] ?? "0") || 0;
}

/** Why an existing container no longer matches the service, or [] when it does. */
export function recreateReasons(
  project: Project,
  service: string,
  c: Existing,
  hash: string,
  imageId: string | undefined,
): string[] {
  const reasons: string[] = [];
  if (c.Labels[L.hash] !== hash) {
    const stored = c.Labels[L.config];
    let diff: string[] = [];
    if (stored) {
      try {
        diff = diffConfig(JSON.parse(stored), canonicalService(project.services[service]!));
      } catch {
        diff = [];
      }
    }
    reasons.push(...(diff.length ? diff : ["configuration changed (config hash differs)"]));
  }
  if (imageId && c.ImageID && c.ImageID !== imageId)
    reasons.push(`image changed (${short(c.ImageID)} -> ${short(imageId)})`);
  return reasons;
}

const short = (id: string) => id.replace(/^sha256:/, "").slice(0, 12);

export function planService(
  project: Project,
  service: string,
  existing: readonly Existing[],
  opts: ConvergeOptions = {},
): ServicePlan {
  const hash = configHash(project.services[service]!);
  const want = replicasOf(project, service, opts.scale);
  const mine = existing
    .filter((c) => c.Labels[L.service] === service && c.Labels[L.oneoff] !== "True")
    .sort((a, b) => containerNumber(a) - containerNumber(b));
  const actions: ContainerAction[] = [];
  // Keep the lowest numbers, remove the rest (scale down removes the highest, as Compose does).
  const kept = mine.slice(0, want);
  for (const c of mine.slice(want))
    actions.push({ kind: "remove", container: c, reason: `scale down to ${want}` });
  const used = new Set<number>();
  for (const c of kept) {
    const number = containerNumber(c);
    used.add(number);
    const reasons = opts.forceRecreate
      ? ["--force-recreate"]
      : opts.noRecreate
        ? []
        : recreateReasons(project, service, c, hash, opts.imageIds?.[service]);
    if (reasons.length) actions.push({ kind: "recreate", container: c, number, reasons });
    else actions.push({ kind: "keep", container: c, number, start: c.State !== "running" });
  }
  let next = 1;
  for (let i = kept.length; i < want; i++) {
    while (used.has(next)) next++;
    used.add(next);
    actions.push({ kind: "create", number: next });
  }
  return { service, hash, actions };
}

/** Containers of the project whose service is not in the model (one-off `run` containers aside). */
export function orphans(project: Project, existing: readonly Existing[]): Existing[] {
  return existing.filter(
    (c) =>
      c.Labels[L.oneoff] !== "True" &&
      c.Labels[L.service] !== undefined &&
      !project.services[c.Labels[L.service]!],
  );
}
