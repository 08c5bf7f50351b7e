/**
 * From the merged document to the Project of model.ts: profiles decide which services are on,
 * services get their defaults (default network, dockerfile, scale), top-level resources get their
 * engine names (`<project>_<key>`), and the default network is declared when a service uses it.
 */
import type { NetworkConfig, Project, Service } from "../model.js";
import { composeError } from "./errors.js";
import { isPlainObject } from "./interpolate.js";

type Obj = Record<string, unknown>;

export interface FinalizeOptions {
  name: string;
  /** Active profiles; "*" enables all. */
  profiles: string[];
  /** Services named on the command line: on whatever their profiles, with their dependencies. */
  services?: string[];
}

export interface Finalized {
  project: Project;
  disabled: Record<string, Service>;
  warnings: string[];
}

export function finalizeProject(dict: Obj, opts: FinalizeOptions): Finalized {
  const all = (isPlainObject(dict.services) ? dict.services : {}) as Record<string, Obj>;
  const enabled = enabledServices(all, opts);
  const services: Record<string, Service> = {};
  const disabled: Record<string, Service> = {};
  for (const name of Object.keys(all).sort()) {
    const svc = serviceDefaults(name, all[name]!);
    if (enabled.has(name)) services[name] = svc;
    else disabled[name] = svc;
  }
  const warnings = dropMissingOptionalDependencies(services, enabled, all);
  const project: Project = { name: opts.name, services };
  const networks = named(dict.networks, opts.name) as Record<string, NetworkConfig>;
  const usesDefault = Object.values(services).some((s) => s.networks && Object.hasOwn(s.networks, "default"));
  if (usesDefault && !networks.default) networks.default = { name: `${opts.name}_default` };
  if (Object.keys(networks).length > 0) project.networks = networks;
  for (const top of ["volumes", "secrets", "configs"] as const) {
    const res = named(dict[top], opts.name);
    if (Object.keys(res).length > 0) (project as unknown as Obj)[top] = res;
  }
  for (const [k, v] of Object.entries(dict)) if (k.startsWith("x-")) (project as unknown as Obj)[k] = v;
  return { project, disabled, warnings };
}

function enabledServices(all: Record<string, Obj>, opts: FinalizeOptions): Set<string> {
  const active = new Set(opts.profiles);
  const on = new Set<string>();
  for (const [name, svc] of Object.entries(all)) {
    const profiles = (svc.profiles as string[] | undefined) ?? [];
    if (profiles.length === 0 || active.has("*") || profiles.some((p) => active.has(p))) on.add(name);
  }
  const queue = [...(opts.services ?? [])];
  for (const name of queue) {
    if (!all[name]) throw composeError({}, `no such service: ${name}`);
    on.add(name);
    const deps = (all[name]!.depends_on ?? {}) as Record<string, { required?: boolean }>;
    for (const [dep, d] of Object.entries(deps))
      if (all[dep] && !on.has(dep) && d.required !== false) queue.push(dep);
  }
  return on;
}

function serviceDefaults(name: string, raw: Obj): Service {
  const s: Obj = { ...raw };
  if (s.networks === undefined && s.network_mode === undefined) s.networks = { default: null };
  if (Array.isArray(s.extra_hosts)) s.extra_hosts = [...s.extra_hosts].sort();
  const implicit = implicitDependencies(s);
  if (implicit.length > 0) {
    const deps = { ...((s.depends_on as Obj | undefined) ?? {}) };
    for (const d of implicit) deps[d] ??= { condition: "service_started", restart: true, required: true };
    s.depends_on = deps;
  }
  if (isPlainObject(s.build)) {
    const b: Obj = { ...s.build };
    if (b.dockerfile === undefined && b.dockerfile_inline === undefined) b.dockerfile = "Dockerfile";
    s.build = b;
  }
  const deploy = isPlainObject(s.deploy) ? s.deploy : undefined;
  const replicas = deploy?.replicas as number | undefined;
  const scale = s.scale as number | undefined;
  if (scale !== undefined && replicas !== undefined && scale !== replicas) {
    throw composeError(
      { path: ["services", name] },
      `scale (${scale}) and deploy.replicas (${replicas}) disagree: set only one of them`,
    );
  }
  if (scale !== undefined || replicas !== undefined) {
    const n = scale ?? replicas!;
    s.scale = n;
    s.deploy = { ...(deploy ?? {}), replicas: n };
  }
  return s as Service;
}

/** Top-level resources with their engine name. */
function named(raw: unknown, project: string): Record<string, Obj & { name: string }> {
  const out: Record<string, Obj & { name: string }> = {};
  if (!isPlainObject(raw)) return out;
  for (const key of Object.keys(raw).sort()) {
    const r = (raw[key] ?? {}) as Obj;
    const name = typeof r.name === "string" ? r.name : r.external === true ? key : `${project}_${key}`;
    out[key] = { ...r, name };
  }
  return out;
}

/** Services a service needs running without saying so in depends_on (as compose-go adds them). */
function implicitDependencies(s: Obj): string[] {
  const out: string[] = [];
  const nm = /^service:(.+)$/.exec(String(s.network_mode ?? ""));
  if (nm) out.push(nm[1]!);
  for (const link of (s.links as string[] | undefined) ?? []) out.push(link.split(":")[0]!);
  for (const vf of (s.volumes_from as string[] | undefined) ?? []) {
    if (!vf.startsWith("container:")) out.push(vf.split(":")[0]!);
  }
  return out;
}

/** An optional dependency that is not there (or not enabled) is dropped, with a word about it. */
function dropMissingOptionalDependencies(
  services: Record<string, Service>,
  enabled: Set<string>,
  all: Record<string, Obj>,
): string[] {
  const warnings: string[] = [];
  for (const [name, svc] of Object.entries(services)) {
    if (!svc.depends_on) continue;
    for (const [dep, d] of Object.entries(svc.depends_on)) {
      if (d.required !== false || enabled.has(dep)) continue;
      delete svc.depends_on[dep];
      const why = all[dep] ? "disabled by its profiles" : "not defined";
      warnings.push(`service "${name}": optional dependency "${dep}" is ${why}; ignored`);
    }
    if (Object.keys(svc.depends_on).length === 0) delete svc.depends_on;
  }
  return warnings;
}
