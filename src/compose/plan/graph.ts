/**
 * The services graph from `depends_on`: edges point from a service to what it needs. Gives a start
 * order in levels (each level's services are independent of each other), the reverse order for
 * stopping, and names a cycle when there is one. (pure)
 */
import { invalidArgument } from "../../lib/errors.js";
import type { Project } from "../model.js";

export interface ServiceGraph {
  /** service -> the services it depends on (only those present in the project). */
  readonly deps: ReadonlyMap<string, readonly string[]>;
  /** Start order: every service comes after all its dependencies. */
  readonly order: readonly string[];
}

export function buildGraph(project: Project): ServiceGraph {
  const names = Object.keys(project.services).sort();
  const deps = new Map<string, string[]>();
  for (const name of names) {
    const list: string[] = [];
    for (const [dep, d] of Object.entries(project.services[name]!.depends_on ?? {})) {
      if (project.services[dep]) list.push(dep);
      else if (d.required !== false)
        throw invalidArgument(
          `service "${name}" depends on undefined service "${dep}": invalid compose project`,
        );
    }
    deps.set(name, list.sort());
  }
  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (n: string): void => {
    const s = state.get(n);
    if (s === "done") return;
    if (s === "visiting") {
      const cycle = [...stack.slice(stack.indexOf(n)), n];
      throw invalidArgument(`dependency cycle detected: ${cycle.join(" -> ")}`);
    }
    state.set(n, "visiting");
    stack.push(n);
    for (const d of deps.get(n) ?? []) visit(d);
    stack.pop();
    state.set(n, "done");
    order.push(n);
  };
  for (const n of names) visit(n);
  return { deps, order };
}

/** The services named plus everything they need, transitively (all services when none are named). */
export function withDependencies(graph: ServiceGraph, selected: readonly string[]): Set<string> {
  if (selected.length === 0) return new Set(graph.order);
  const out = new Set<string>();
  const add = (n: string): void => {
    if (out.has(n)) return;
    out.add(n);
    for (const d of graph.deps.get(n) ?? []) add(d);
  };
  for (const s of selected) add(s);
  return out;
}

/** The services that depend on `name`, transitively. */
export function dependents(graph: ServiceGraph, name: string): Set<string> {
  const out = new Set<string>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const [svc, ds] of graph.deps) {
      if (out.has(svc)) continue;
      if (ds.some((d) => d === name || out.has(d))) {
        out.add(svc);
        changed = true;
      }
    }
  }
  return out;
}
