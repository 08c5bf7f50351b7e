/**
 * Per-file canonical form (before merging): short syntax becomes long syntax, list forms become
 * maps, scalars get their model types. Paths stay as written (resolved after merging); nothing is
 * read from the environment here.
 */
import { type DocPath, formatPath } from "./errors.js";
import { copyMarks, isPlainObject, markOf } from "./interpolate.js";
import { normalizePortObject, PortError, parsePortSpec } from "./ports.js";
import { shellSplit } from "./shell-words.js";
import { formatDuration, parseBytes, parseDuration } from "./units.js";
import { normalizeVolumeObject, parseVolumeSpec, VolumeError } from "./volumes.js";

export class CanonicalError extends Error {
  readonly path: DocPath;
  readonly detail: string;
  constructor(path: DocPath, message: string) {
    super(`${formatPath(path)}: ${message}`);
    this.path = path;
    this.detail = message;
  }
}

type Obj = Record<string, unknown>;

/** ["A=1", "B"] or {A: 1, B: null} → {A: "1", B: null} (B: `nullValue` for list items without "="). */
export function toStringMap(v: unknown, nullValue: string | null = null): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (Array.isArray(v)) {
    for (const item of v) {
      const s = String(item);
      const eq = s.indexOf("=");
      if (eq < 0) out[s] = nullValue;
      else out[s.slice(0, eq)] = s.slice(eq + 1);
    }
  } else if (isPlainObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (markOf(x) === "reset") (out as Record<string, unknown>)[k] = x;
      else out[k] = x === null || x === undefined ? nullValue : String(x);
    }
  }
  copyMarks(v as object, out);
  return out;
}

function toList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
}

function duration(v: unknown, path: DocPath): string {
  const ns = parseDuration(v as string | number);
  if (ns === undefined)
    throw new CanonicalError(path, `${JSON.stringify(v)} is not a duration (e.g. 30s, 1m30s)`);
  return formatDuration(ns);
}

function bytes(v: unknown, path: DocPath): string {
  if (v === -1 || v === "-1") return "-1";
  const n = parseBytes(v as string | number);
  if (n === undefined)
    throw new CanonicalError(path, `${JSON.stringify(v)} is not a byte size (e.g. 512m, 1g)`);
  return String(n);
}

function shellCommand(v: unknown, path: DocPath): unknown {
  if (typeof v !== "string") return v;
  try {
    return shellSplit(v);
  } catch (e) {
    throw new CanonicalError(path, (e as Error).message);
  }
}

const DURATION_KEYS = ["interval", "timeout", "start_period", "start_interval"] as const;

export function canonicalService(raw: Obj, path: DocPath): Obj {
  const s: Obj = { ...raw };
  copyMarks(raw, s);
  const at = (...k: (string | number)[]) => [...path, ...k];
  const live = (k: string) => s[k] !== undefined && markOf(s[k]) !== "reset";

  if (typeof s.extends === "string") s.extends = { service: s.extends };
  if (live("build")) {
    const b: Obj = typeof s.build === "string" ? { context: s.build } : { ...(s.build as Obj) };
    if (b.args !== undefined) b.args = toStringMap(b.args);
    if (b.labels !== undefined) b.labels = toStringMap(b.labels, "");
    if (b.shm_size !== undefined) b.shm_size = bytes(b.shm_size, at("build", "shm_size"));
    copyMarks(s.build as object, b);
    s.build = b;
  }
  for (const k of ["command", "entrypoint"]) if (live(k)) s[k] = shellCommand(s[k], at(k));
  if (live("depends_on")) {
    const deps: Obj = {};
    if (Array.isArray(s.depends_on)) {
      for (const name of s.depends_on) deps[String(name)] = { condition: "service_started", required: true };
    } else {
      for (const [name, d] of Object.entries(s.depends_on as Obj)) {
        deps[name] = { condition: "service_started", required: true, ...(d as Obj) };
      }
    }
    copyMarks(s.depends_on as object, deps);
    s.depends_on = deps;
  }
  for (const k of ["dns", "dns_search", "tmpfs"]) if (live(k)) s[k] = toList(s[k]).map(String);
  if (live("env_file")) {
    s.env_file = toList(s.env_file).map((e) =>
      typeof e === "string" ? { path: e, required: true } : { required: true, ...(e as Obj) },
    );
  }
  if (live("environment")) s.environment = toStringMap(s.environment);
  for (const k of ["labels", "annotations"]) if (live(k)) s[k] = toStringMap(s[k], "");
  if (live("sysctls")) s.sysctls = toStringMap(s.sysctls, "");
  if (live("expose")) s.expose = toList(s.expose).map(String);
  if (live("extra_hosts")) {
    // compose-go prints "host=ip" (readable with IPv6), sorted.
    s.extra_hosts = (
      isPlainObject(s.extra_hosts)
        ? Object.entries(s.extra_hosts).flatMap(([h, ips]) => toList(ips).map((ip) => `${h}=${ip}`))
        : toList(s.extra_hosts).map((e) => String(e).replace(/^([^=:]+)[=:]/, "$1="))
    ).sort();
  }
  if (live("healthcheck")) {
    const h: Obj = { ...(s.healthcheck as Obj) };
    if (typeof h.test === "string") h.test = ["CMD-SHELL", h.test];
    for (const k of DURATION_KEYS) if (h[k] !== undefined) h[k] = duration(h[k], at("healthcheck", k));
    copyMarks(s.healthcheck as object, h);
    s.healthcheck = h;
  }
  if (live("ports")) {
    const ports = (s.ports as unknown[]).flatMap((p, i) => {
      try {
        return isPlainObject(p) ? [normalizePortObject(p)] : parsePortSpec(p as string | number);
      } catch (e) {
        if (e instanceof PortError) throw new CanonicalError(at("ports", i), e.message);
        throw e;
      }
    });
    copyMarks(s.ports as object, ports);
    s.ports = ports;
  }
  if (live("volumes")) {
    const vols = (s.volumes as unknown[]).map((v, i) => {
      try {
        const vol = isPlainObject(v) ? normalizeVolumeObject(v) : parseVolumeSpec(String(v));
        if (vol.tmpfs?.size !== undefined)
          vol.tmpfs.size = bytes(vol.tmpfs.size, at("volumes", i, "tmpfs", "size"));
        return vol;
      } catch (e) {
        if (e instanceof VolumeError) throw new CanonicalError(at("volumes", i), e.message);
        throw e;
      }
    });
    copyMarks(s.volumes as object, vols);
    s.volumes = vols;
  }
  if (live("networks") && Array.isArray(s.networks)) {
    const nets: Obj = {};
    for (const n of s.networks) nets[String(n)] = null;
    copyMarks(s.networks, nets);
    s.networks = nets;
  }
  for (const k of ["secrets", "configs"]) {
    if (live(k)) s[k] = toList(s[k]).map((x) => (typeof x === "string" ? { source: x } : x));
  }
  if (live("logging") && isPlainObject(s.logging) && isPlainObject(s.logging.options)) {
    s.logging = { ...s.logging, options: toStringMap(s.logging.options, "") };
  }
  if (live("stop_grace_period")) s.stop_grace_period = duration(s.stop_grace_period, at("stop_grace_period"));
  for (const k of ["mem_limit", "mem_reservation", "memswap_limit", "shm_size"]) {
    if (live(k)) s[k] = bytes(s[k], at(k));
  }
  if (live("cpus")) s.cpus = Number(s.cpus);
  if (live("deploy")) s.deploy = canonicalDeploy(s.deploy as Obj, at("deploy"));
  return s;
}

function canonicalDeploy(raw: Obj, path: DocPath): Obj {
  const d: Obj = { ...raw };
  copyMarks(raw, d);
  if (d.labels !== undefined) d.labels = toStringMap(d.labels, "");
  if (isPlainObject(d.resources)) {
    const r: Obj = { ...d.resources };
    for (const k of ["limits", "reservations"]) {
      if (!isPlainObject(r[k])) continue;
      const spec: Obj = { ...(r[k] as Obj) };
      if (spec.cpus !== undefined) spec.cpus = Number(spec.cpus);
      if (spec.memory !== undefined) spec.memory = bytes(spec.memory, [...path, "resources", k, "memory"]);
      r[k] = spec;
    }
    d.resources = r;
  }
  if (isPlainObject(d.restart_policy)) {
    const rp: Obj = { ...d.restart_policy };
    for (const k of ["delay", "window"])
      if (rp[k] !== undefined) rp[k] = duration(rp[k], [...path, "restart_policy", k]);
    d.restart_policy = rp;
  }
  return d;
}

/** Top-level networks/volumes/secrets/configs: null entries become {}, legacy `external: {name}` is unfolded. */
export function canonicalResource(raw: unknown): Obj {
  const r: Obj = isPlainObject(raw) ? { ...raw } : {};
  if (isPlainObject(raw)) copyMarks(raw, r);
  if (isPlainObject(r.external)) {
    if (r.external.name !== undefined && r.name === undefined) r.name = r.external.name;
    r.external = true;
  }
  if (r.labels !== undefined) r.labels = toStringMap(r.labels, "");
  if (isPlainObject(r.driver_opts)) r.driver_opts = toStringMap(r.driver_opts, "");
  return r;
}

export function canonicalFile(dict: Obj): Obj {
  const out: Obj = { ...dict };
  if (isPlainObject(dict.services)) {
    const services: Obj = {};
    for (const [name, svc] of Object.entries(dict.services)) {
      services[name] =
        isPlainObject(svc) && markOf(svc) !== "reset" ? canonicalService(svc, ["services", name]) : svc;
    }
    out.services = services;
  }
  for (const top of ["networks", "volumes", "secrets", "configs"]) {
    if (!isPlainObject(dict[top])) continue;
    const res: Obj = {};
    for (const [k, v] of Object.entries(dict[top] as Obj))
      res[k] = markOf(v) === "reset" ? v : canonicalResource(v);
    out[top] = res;
  }
  return out;
}
