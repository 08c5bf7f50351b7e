/**
 * -v/--volume, --mount and --tmpfs, as docker's CLI reads them:
 *
 *   -v /host:/ctr[:ro,z,rslave,nocopy]   bind (sources starting with / or . are paths; ./x is made absolute)
 *   -v name:/ctr[:opts]                  named volume
 *   -v /ctr                              anonymous volume (Config.Volumes)
 *   --mount type=bind|volume|tmpfs,source=,target=,readonly,volume-nocopy,bind-propagation=,tmpfs-size=
 *   --tmpfs /path[:opts]
 *
 * Beyond docker's CLI, problems its daemon would report are caught here with the daemon's words:
 * a relative host path that is not a valid volume name, a target that is not absolute. (pure)
 */
import type { MountSpec } from "../../../api/types/containers.js";
import { parseMemory } from "../../formatter/units.js";
import { parseGoBool } from "../../go-strconv.js";

const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export interface VolumeSpec {
  readonly source: string;
  readonly target: string;
  readonly type: "bind" | "volume";
}

/** A path joined onto `cwd` and normalized ("./data" -> "/cwd/data"). */
export function absolutePath(cwd: string, p: string): string {
  const parts: string[] = [];
  for (const seg of `${cwd}/${p}`.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") parts.pop();
    else parts.push(seg);
  }
  return `/${parts.join("/")}`;
}

/** Splits a -v spec into source, target and type (compose's ParseVolume, without Windows drives). */
export function parseVolumeSpec(spec: string): VolumeSpec {
  if (spec === "") throw new Error("invalid empty volume spec");
  if (spec.length <= 2) return { source: "", target: spec, type: "volume" };
  const sections = spec.split(":");
  if (sections.some((s) => s === "")) throw new Error(`invalid spec: ${spec}: empty section between colons`);
  if (sections.length > 3) throw new Error(`invalid spec: ${spec}: too many colons`);
  if (sections.length === 1) return { source: "", target: spec, type: "volume" };
  const source = sections[0]!;
  const isPath = source.startsWith("/") || source.startsWith(".") || source.startsWith("~");
  return { source, target: sections[1]!, type: isPath ? "bind" : "volume" };
}

function mountPathError(spec: string, type: string, p: string): Error {
  return new Error(
    `invalid volume specification: '${spec}': invalid mount config for type "${type}": invalid mount path: '${p}' mount path must be absolute`,
  );
}

/**
 * All -v values: binds (HostConfig.Binds, sources made absolute) and anonymous volumes
 * (Config.Volumes). `volumeDriver` set: volume names are the driver's business.
 */
export function parseVolumes(
  specs: readonly string[],
  cwd: string,
  volumeDriver = "",
): { binds: string[]; volumes: Record<string, Record<string, never>> } {
  const binds: string[] = [];
  const volumes: Record<string, Record<string, never>> = {};
  for (const spec of specs) {
    const v = parseVolumeSpec(spec);
    if (!v.target.startsWith("/")) throw mountPathError(spec, v.type, v.target);
    if (v.source === "") {
      volumes[spec] = {};
      continue;
    }
    if (v.type === "bind") {
      if (v.source.startsWith("~")) throw mountPathError(spec, "bind", v.source);
      const host = v.source.startsWith(".") ? absolutePath(cwd, v.source) : v.source;
      binds.push(host + spec.slice(v.source.length));
      continue;
    }
    if (volumeDriver === "" && !VOLUME_NAME.test(v.source)) {
      throw new Error(
        `create ${v.source}: ${JSON.stringify(v.source)} includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`,
      );
    }
    binds.push(spec);
  }
  return { binds, volumes };
}

/** One CSV record (encoding/csv): fields split at commas, "double quotes" allowed. */
export function csvFields(value: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (quoted) {
      if (c === '"' && value[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      fields.push(field);
      field = "";
    } else field += c;
  }
  if (quoted)
    throw new Error(
      `parse error on line 1, column ${value.length + 1}: extraneous or missing " in quoted-field`,
    );
  fields.push(field);
  return fields;
}

function parseBoolOption(key: string, val: string): boolean {
  try {
    return parseGoBool(val);
  } catch {
    throw new Error(`invalid value for ${key}: ${val}`);
  }
}

type Mount = MountSpec & {
  VolumeOptions?: MountSpec["VolumeOptions"] & { Subpath?: string };
  BindOptions?: MountSpec["BindOptions"] & {
    ReadOnlyNonRecursive?: boolean;
    ReadOnlyForceRecursive?: boolean;
  };
  ImageOptions?: { Subpath?: string };
};

function setKV(target: Record<string, string>, value: string): void {
  const eq = value.indexOf("=");
  const k = eq < 0 ? value : value.slice(0, eq);
  if (k !== "") target[k] = eq < 0 ? "" : value.slice(eq + 1);
}

/** Applies one key=value field of --mount. */
/** The option groups of a mount, created on first use (docker's volumeOptions() and friends). */
function groups(m: Mount) {
  const volume = () => {
    m.VolumeOptions ??= {};
    return m.VolumeOptions;
  };
  const driver = () => {
    const v = volume();
    v.DriverConfig ??= {};
    return v.DriverConfig;
  };
  const bind = () => {
    m.BindOptions ??= {};
    return m.BindOptions;
  };
  const tmpfs = () => {
    m.TmpfsOptions ??= {};
    return m.TmpfsOptions;
  };
  const image = () => {
    m.ImageOptions ??= {};
    return m.ImageOptions;
  };
  return { volume, driver, bind, tmpfs, image };
}

function applyField(m: Mount, key: string, val: string, field: string, cwd: string): void {
  const { bind, volume, driver, tmpfs, image } = groups(m);
  switch (key) {
    case "type":
      m.Type = val.toLowerCase() as Mount["Type"];
      return;
    case "source":
    case "src":
      m.Source = val.startsWith(".") ? absolutePath(cwd, val) : val;
      return;
    case "target":
    case "dst":
    case "destination":
      m.Target = val;
      return;
    case "readonly":
    case "ro":
      m.ReadOnly = parseBoolOption(key, val);
      return;
    case "consistency":
      m.Consistency = val.toLowerCase();
      return;
    case "bind-propagation":
      bind().Propagation = val.toLowerCase();
      return;
    case "bind-nonrecursive":
      bind().NonRecursive = parseBoolOption(key, val);
      return;
    case "bind-recursive":
      if (val === "disabled") bind().NonRecursive = true;
      else if (val === "writable") bind().ReadOnlyNonRecursive = true;
      else if (val === "readonly") bind().ReadOnlyForceRecursive = true;
      else if (val === "enabled") bind();
      else {
        throw new Error(
          `invalid value for ${key}: ${val} (must be "enabled", "disabled", "writable", or "readonly")`,
        );
      }
      return;
    case "volume-subpath":
      volume().Subpath = val;
      return;
    case "volume-nocopy":
      try {
        volume().NoCopy = parseGoBool(val);
      } catch {
        throw new Error(`invalid value for volume-nocopy: ${val}`);
      }
      return;
    case "volume-label":
      volume().Labels ??= {};
      setKV(volume().Labels ?? {}, val);
      return;
    case "volume-driver":
      driver().Name = val;
      return;
    case "volume-opt":
      driver().Options ??= {};
      setKV(driver().Options ?? {}, val);
      return;
    case "image-subpath":
      image().Subpath = val;
      return;
    case "tmpfs-size":
      try {
        tmpfs().SizeBytes = parseMemory(val);
      } catch {
        throw new Error(`invalid value for ${key}: ${val}`);
      }
      return;
    case "tmpfs-mode":
      if (!/^[0-7]+$/.test(val) || Number.parseInt(val, 8) > 0xffffffff) {
        throw new Error(`invalid value for ${key}: ${val}`);
      }
      tmpfs().Mode = Number.parseInt(val, 8);
      return;
    default:
      throw new Error(`unexpected key '${key}' in '${field}'`);
  }
}

/** One --mount value (docker's MountOpt.Set). */
export function parseMount(value: string, cwd: string): MountSpec {
  const m: Mount = { Type: "volume", Target: "" };
  for (const field of csvFields(value)) {
    const eq = field.indexOf("=");
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
    if (eq < 0) {
      if (key === "readonly" || key === "ro") m.ReadOnly = true;
      else if (key === "volume-nocopy") groups(m).volume().NoCopy = true;
      else if (key === "bind-nonrecursive") groups(m).bind().NonRecursive = true;
      else throw new Error(`invalid field '${field}' must be a key=value pair`);
      continue;
    }
    applyField(m, key, field.slice(eq + 1), field, cwd);
  }
  if ((m.Type as string) === "") throw new Error("type is required");
  if (m.Target === "") throw new Error("target is required");
  const mixes: [unknown, string, string][] = [
    [m.VolumeOptions, "volume", "volume-*"],
    [m.ImageOptions, "image", "image-*"],
    [m.BindOptions, "bind", "bind-*"],
    [m.TmpfsOptions, "tmpfs", "tmpfs-*"],
  ];
  for (const [opts, type, name] of mixes) {
    if (opts !== undefined && m.Type !== type) {
      throw new Error(`cannot mix '${name}' options with mount type '${m.Type}'`);
    }
  }
  if (m.BindOptions?.ReadOnlyNonRecursive && !m.ReadOnly) {
    throw new Error("option 'bind-recursive=writable' requires 'readonly' to be specified in conjunction");
  }
  if (m.BindOptions?.ReadOnlyForceRecursive) {
    if (!m.ReadOnly) {
      throw new Error("option 'bind-recursive=readonly' requires 'readonly' to be specified in conjunction");
    }
    if (m.BindOptions.Propagation !== "rprivate") {
      throw new Error(
        "option 'bind-recursive=readonly' requires 'bind-propagation=rprivate' to be specified in conjunction",
      );
    }
  }
  return m;
}

/** --tmpfs /path[:options] values as HostConfig.Tmpfs. */
export function parseTmpfs(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of values) {
    const colon = t.indexOf(":");
    out[colon < 0 ? t : t.slice(0, colon)] = colon < 0 ? "" : t.slice(colon + 1);
  }
  return out;
}
