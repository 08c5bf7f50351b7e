/**
 * HostConfig.Binds, HostConfig.Mounts and HostConfig.VolumesFrom read as Docker's daemon reads them
 * (moby volume/mounts/linux_parser.go), with its error messages:
 *
 *   Binds   "/host:/ctr[:mode]"   bind (the source is an absolute path)
 *           "name:/ctr[:mode]"    named volume (anything else as source; the name is checked later)
 *           "/ctr"                anonymous volume
 *           mode: rw|ro, z|Z, [r]private|[r]shared|[r]slave, nocopy, consistent|cached|delegated
 *   Mounts  {Type: bind|volume|tmpfs, Source, Target, ReadOnly, BindOptions, VolumeOptions, TmpfsOptions}
 *   VolumesFrom "container[:ro|rw]"
 *
 * Returns requests; volume creation, host-path checks and the stored mount points are the
 * caller's (see volume-mounts.ts). (pure)
 */
import { posix } from "node:path";
import type { MountSpec } from "../../api/types/containers.js";
import { invalidArgument } from "../../lib/errors.js";

export interface MountRequest {
  type: "bind" | "volume" | "tmpfs";
  /** bind: the host path; volume: its name ("" = anonymous); tmpfs: "". */
  source: string;
  destination: string;
  rw: boolean;
  /** The mode as given in Binds ("ro", "z", "rw,rslave"); "" otherwise. */
  mode: string;
  /** Bind propagation ("rprivate" by default for binds); "" for volumes unless given. */
  propagation: string;
  /** Binds: a missing host directory is created at start. Mounts: it must exist. */
  createSource: boolean;
  /** Copy the image's content into the volume when it is empty (not with nocopy). */
  copyData: boolean;
  nonRecursive?: boolean;
  /** tmpfs data options ("size=64m", "mode=1777"). */
  tmpfsOptions?: string[];
  /** Volume driver, its options and labels for a volume created by this mount. */
  driver?: string;
  driverOptions?: Record<string, string>;
  labels?: Record<string, string>;
}

const RW_MODES = new Set(["rw", "ro"]);
const LABEL_MODES = new Set(["z", "Z"]);
const PROPAGATION = new Set(["private", "rprivate", "slave", "rslave", "shared", "rshared"]);
const CONSISTENCY = new Set(["consistent", "cached", "delegated"]);

const invalidSpec = (raw: string) => invalidArgument(`invalid volume specification: '${raw}'`);
const invalidMode = (mode: string) => invalidArgument(`invalid mode: ${mode}`);
const mountConfig = (type: string, msg: string) =>
  invalidArgument(`invalid mount config for type ${JSON.stringify(type)}: ${msg}`);

/** moby linuxValidMountMode: each kind of option at most once, nothing unknown. */
export function validMountMode(mode: string): boolean {
  if (mode === "") return true;
  const counts = { rw: 0, label: 0, propagation: 0, copy: 0, consistency: 0 };
  for (const o of mode.split(",")) {
    if (RW_MODES.has(o)) counts.rw++;
    else if (LABEL_MODES.has(o)) counts.label++;
    else if (PROPAGATION.has(o)) counts.propagation++;
    else if (o === "nocopy") counts.copy++;
    else if (CONSISTENCY.has(o)) counts.consistency++;
    else return false;
  }
  return Object.values(counts).every((n) => n <= 1);
}

const modeParts = (mode: string) => (mode === "" ? [] : mode.split(","));

/** A destination as Docker stores it: absolute, cleaned, not "/". */
function cleanTarget(type: string, target: string): string {
  if (target === "") throw mountConfig(type, "field Target must not be empty");
  if (posix.normalize(target) === "/")
    throw mountConfig(type, "invalid specification: destination can't be '/'");
  if (!target.startsWith("/")) {
    throw mountConfig(type, `invalid mount path: '${target}' mount path must be absolute`);
  }
  return posix.normalize(target).replace(/(.)\/+$/, "$1");
}

/** One HostConfig.Binds entry (moby ParseMountRaw). */
export function parseBind(raw: string, volumeDriver = ""): MountRequest {
  const arr = raw.split(":");
  if (arr.some((s) => s === "")) throw invalidSpec(raw);
  let source = "";
  let target: string;
  let mode = "";
  if (arr.length === 1) target = arr[0]!;
  else if (arr.length === 2) {
    // "/foo:rw" is a destination with a mode: volumes cannot take one without a source.
    if (validMountMode(arr[1]!)) throw invalidSpec(raw);
    [source, target] = [arr[0]!, arr[1]!];
  } else if (arr.length === 3) [source, target, mode] = [arr[0]!, arr[1]!, arr[2]!];
  else throw invalidSpec(raw);
  if (!validMountMode(mode)) throw invalidMode(mode);
  const parts = modeParts(mode);
  const type = source.startsWith("/") ? "bind" : "volume";
  if (type === "bind" && parts.includes("nocopy")) throw invalidMode(mode);
  const destination = cleanTarget(type, target);
  const propagation = parts.find((p) => PROPAGATION.has(p)) ?? (type === "bind" ? "rprivate" : "");
  return {
    type,
    source: type === "bind" ? posix.normalize(source) : source,
    destination,
    rw: !parts.includes("ro"),
    mode,
    propagation,
    createSource: type === "bind",
    copyData: type === "volume" && !parts.includes("nocopy"),
    ...(type === "volume" && volumeDriver ? { driver: volumeDriver } : {}),
  };
}

/** Docker's tmpfs data from TmpfsOptions: size with the largest exact unit, mode in octal. */
function tmpfsData(o: MountSpec["TmpfsOptions"]): string[] {
  const out: string[] = [];
  const size = o?.SizeBytes ?? 0;
  if (size < 0) throw mountConfig("tmpfs", "invalid tmpfs size");
  if (size !== 0) {
    const unit = (
      [
        ["g", 2 ** 30],
        ["m", 2 ** 20],
        ["k", 2 ** 10],
      ] as const
    ).find(([, d]) => size % d === 0);
    out.push(unit ? `size=${size / unit[1]}${unit[0]}` : `size=${size}`);
  }
  if (o?.Mode) out.push(`mode=${o.Mode.toString(8)}`);
  for (const flag of o?.Options ?? []) out.push(flag.length > 1 ? `${flag[0]}=${flag[1]}` : (flag[0] ?? ""));
  return out.filter((s) => s !== "");
}

/** One HostConfig.Mounts entry (moby ParseMountSpec and validateMountConfig). */
export function parseMountSpec(m: MountSpec, volumeDriver = ""): MountRequest {
  const type = m.Type as string;
  if (type !== "bind" && type !== "volume" && type !== "tmpfs") throw mountConfig(type, "mount type unknown");
  const destination = cleanTarget(type, m.Target ?? "");
  const source = m.Source ?? "";
  const rw = !m.ReadOnly;
  if (type === "bind") {
    if (source === "") throw mountConfig(type, "field Source must not be empty");
    const propagation = m.BindOptions?.Propagation ?? "";
    if (propagation !== "" && !PROPAGATION.has(propagation)) {
      throw mountConfig(type, `invalid propagation mode: ${propagation}`);
    }
    if (m.VolumeOptions) throw mountConfig(type, "field VolumeOptions must not be specified");
    if (!source.startsWith("/")) {
      throw mountConfig(type, `invalid mount path: '${source}' mount path must be absolute`);
    }
    return {
      type,
      source: posix.normalize(source),
      destination,
      rw,
      mode: "",
      propagation: propagation || "rprivate",
      createSource: m.BindOptions?.CreateMountpoint === true,
      copyData: false,
      ...(m.BindOptions?.NonRecursive ? { nonRecursive: true } : {}),
    };
  }
  if (m.BindOptions) throw mountConfig(type, "field BindOptions must not be specified");
  if (type === "tmpfs") {
    if (source !== "") throw mountConfig(type, "field Source must not be specified");
    return {
      type,
      source: "",
      destination,
      rw,
      mode: "",
      propagation: "",
      createSource: false,
      copyData: false,
      tmpfsOptions: tmpfsData(m.TmpfsOptions),
    };
  }
  if (m.ReadOnly && source === "") {
    throw mountConfig(type, "must not set ReadOnly mode when using anonymous volumes");
  }
  const driver = m.VolumeOptions?.DriverConfig?.Name || volumeDriver;
  return {
    type,
    source,
    destination,
    rw,
    mode: "",
    propagation: "",
    createSource: false,
    copyData: !m.VolumeOptions?.NoCopy,
    ...(driver ? { driver } : {}),
    ...(m.VolumeOptions?.DriverConfig?.Options
      ? { driverOptions: m.VolumeOptions.DriverConfig.Options }
      : {}),
    ...(m.VolumeOptions?.Labels ? { labels: m.VolumeOptions.Labels } : {}),
  };
}

/** One --volumes-from value: the container and whether its mounts stay writable. */
export function parseVolumesFrom(spec: string): { container: string; rw: boolean } {
  if (spec === "") throw invalidArgument("volumes-from specification cannot be an empty string");
  const colon = spec.indexOf(":");
  if (colon < 0) return { container: spec, rw: true };
  const mode = spec.slice(colon + 1);
  const parts = modeParts(mode);
  if (!validMountMode(mode) || parts.some((p) => PROPAGATION.has(p) || p === "nocopy"))
    throw invalidMode(mode);
  return { container: spec.slice(0, colon), rw: !parts.includes("ro") };
}

/** The cleaned destination of an image VOLUME or a `Config.Volumes` key. */
export function volumeDestination(spec: string): string {
  return cleanTarget("volume", spec);
}
