/**
 * Service volume specs, short to long syntax: "/data" (anonymous), "name:/data" (named),
 * "./dir:/data:ro,z" and "/abs:/data" and "~/x:/x" (binds). Paths are resolved later
 * (resolveVolumePaths) against the project directory.
 */
import type { ServiceVolume } from "../model.js";

export class VolumeError extends Error {}

const PROPAGATION = new Set(["shared", "rshared", "slave", "rslave", "private", "rprivate"]);
const CONSISTENCY = new Set(["cached", "delegated", "consistent"]);

export function isFilePath(source: string): boolean {
  return source.startsWith(".") || source.startsWith("/") || source.startsWith("~");
}

export function parseVolumeSpec(spec: string): ServiceVolume {
  const parts = spec.split(":");
  if (parts.some((p) => p === "") || parts.length > 3) {
    throw new VolumeError(`invalid volume ${JSON.stringify(spec)}: expected [SOURCE:]TARGET[:MODE]`);
  }
  if (parts.length === 1) return { type: "volume", target: parts[0]!, volume: {} };
  const [source, target, mode] = parts as [string, string, string | undefined];
  const bind = isFilePath(source);
  const vol: ServiceVolume = bind
    ? { type: "bind", source, target, bind: { create_host_path: true } }
    : { type: "volume", source, target, volume: {} };
  for (const opt of mode ? mode.split(",") : []) {
    if (opt === "ro") vol.read_only = true;
    else if (opt === "rw") vol.read_only = false;
    else if (opt === "z" || opt === "Z") {
      if (!bind)
        throw new VolumeError(`invalid volume ${JSON.stringify(spec)}: ${opt} applies to binds only`);
      vol.bind!.selinux = opt;
    } else if (PROPAGATION.has(opt)) {
      if (!bind)
        throw new VolumeError(`invalid volume ${JSON.stringify(spec)}: ${opt} applies to binds only`);
      vol.bind!.propagation = opt;
    } else if (opt === "nocopy") {
      if (bind)
        throw new VolumeError(`invalid volume ${JSON.stringify(spec)}: nocopy applies to volumes only`);
      vol.volume!.nocopy = true;
    } else if (CONSISTENCY.has(opt)) vol.consistency = opt;
    else throw new VolumeError(`invalid volume ${JSON.stringify(spec)}: unknown mode ${JSON.stringify(opt)}`);
  }
  if (vol.read_only === false) delete vol.read_only;
  return vol;
}

/** Long syntax with defaults: binds create their host path unless told not to, volumes carry `volume: {}`. */
export function normalizeVolumeObject(raw: Record<string, unknown>): ServiceVolume {
  const vol = { ...raw } as unknown as ServiceVolume;
  if (vol.type === "bind") vol.bind = { create_host_path: true, ...(vol.bind ?? {}) };
  if (vol.type === "volume" && !vol.volume) vol.volume = {};
  return vol;
}

/** Makes a bind source absolute: `~` from `home`, relative paths against `baseDir`. */
export function resolveHostPath(source: string, baseDir: string, home: string | undefined): string {
  let p = source;
  if (p === "~" || p.startsWith("~/")) p = (home ?? "~") + p.slice(1);
  if (!p.startsWith("/")) p = joinPath(baseDir, p);
  return normalizePath(p);
}

export function joinPath(base: string, rel: string): string {
  return rel.startsWith("/") ? normalizePath(rel) : normalizePath(`${base}/${rel}`);
}

/** POSIX path normalisation without node:path (pure). */
export function normalizePath(p: string): string {
  const abs = p.startsWith("/");
  const out: string[] = [];
  for (const seg of p.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      if (out.length > 0 && out.at(-1) !== "..") out.pop();
      else if (!abs) out.push("..");
    } else out.push(seg);
  }
  const s = out.join("/");
  return abs ? `/${s}` : s || ".";
}

export function dirname(p: string): string {
  const i = p.lastIndexOf("/");
  return i <= 0 ? "/" : p.slice(0, i);
}
