/**
 * Checks the schema cannot make: references between services and resources, dependency cycles
 * (named: `a -> b -> a`), image or build present, container_name uniqueness with scale.
 */
import type { Project, Service } from "../model.js";
import { composeError, type DocPath } from "./errors.js";

export interface SemanticInput {
  project: Project;
  disabled: Record<string, Service>;
  /** Which file defined each service, for error messages. */
  origin: (service: string) => Origin | undefined;
}

/** The file a service came from, and where paths sit in it. */
export interface Origin {
  file: string;
  locate(path: DocPath): { line: number; col: number } | undefined;
}

export function checkProject({ project, disabled, origin }: SemanticInput): void {
  const where = (svc: string, ...rest: (string | number)[]) => {
    const path = ["services", svc, ...rest];
    const o = origin(svc);
    return { file: o?.file, path, ...o?.locate(path) };
  };
  const containerNames = new Map<string, string>();
  for (const [name, svc] of Object.entries(project.services)) {
    if (!svc.image && !svc.build) {
      throw composeError(where(name), `service "${name}" has neither an image nor a build context specified`);
    }
    for (const [dep, d] of Object.entries(svc.depends_on ?? {})) {
      if (project.services[dep] || d.required === false) continue;
      if (disabled[dep]) {
        const profiles = disabled[dep].profiles?.join(", ") ?? "";
        throw composeError(
          where(name, "depends_on", dep),
          `service "${name}" depends on service "${dep}", which is disabled by its profiles (${profiles}); enable one with --profile or COMPOSE_PROFILES`,
        );
      }
      throw composeError(
        where(name, "depends_on", dep),
        `service "${name}" depends on undefined service "${dep}"`,
      );
    }
    if (svc.network_mode && svc.networks && Object.keys(svc.networks).length > 0) {
      throw composeError(
        where(name, "network_mode"),
        `service "${name}" sets both network_mode and networks; use one`,
      );
    }
    const nm = /^service:(.+)$/.exec(svc.network_mode ?? "");
    if (nm && !project.services[nm[1]!]) {
      throw composeError(
        where(name, "network_mode"),
        `service "${name}" uses the network of undefined service "${nm[1]}"`,
      );
    }
    for (const net of Object.keys(svc.networks ?? {})) {
      if (!project.networks?.[net]) {
        throw composeError(
          where(name, "networks", net),
          `service "${name}" refers to undefined network "${net}"; declare it under the top-level networks:`,
        );
      }
    }
    for (const [i, v] of (svc.volumes ?? []).entries()) {
      if (v.type === "volume" && v.source && !project.volumes?.[v.source]) {
        throw composeError(
          where(name, "volumes", i),
          `service "${name}" refers to undefined volume "${v.source}"; declare it under the top-level volumes:`,
        );
      }
    }
    if (svc.container_name) {
      const scale = svc.scale ?? svc.deploy?.replicas ?? 1;
      if (scale > 1) {
        throw composeError(
          where(name, "container_name"),
          `container_name "${svc.container_name}" cannot be used with scale ${scale}: container names must be unique`,
        );
      }
      const other = containerNames.get(svc.container_name);
      if (other) {
        throw composeError(
          where(name, "container_name"),
          `container_name "${svc.container_name}" is already used by service "${other}"`,
        );
      }
      containerNames.set(svc.container_name, name);
    }
  }
  const cycle = findCycle(project.services);
  if (cycle)
    throw composeError({ file: origin(cycle[0]!)?.file }, `dependency cycle detected: ${cycle.join(" -> ")}`);
}

/** The first dependency cycle found (in name order), as a closed path, or undefined. */
export function findCycle(services: Record<string, Pick<Service, "depends_on">>): string[] | undefined {
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === "done") return undefined;
    if (state.get(name) === "visiting") return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, "visiting");
    stack.push(name);
    for (const dep of Object.keys(services[name]?.depends_on ?? {}).sort()) {
      if (!services[dep]) continue;
      const c = visit(dep);
      if (c) return c;
    }
    stack.pop();
    state.set(name, "done");
    return undefined;
  };
  for (const name of Object.keys(services).sort()) {
    const c = visit(name);
    if (c) return c;
  }
  return undefined;
}
