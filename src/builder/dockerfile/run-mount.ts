/**
 * `RUN --mount=<csv>` (BuildKit's instructions/commands_runmount.go):
 *
 *   type=bind (default)  from, source|src, target|dst|destination, ro|readonly, rw|readwrite
 *   type=cache           id, target, from, source, sharing=shared|private|locked, mode, uid, gid, ro
 *   type=tmpfs           target, size
 *   type=secret          id, target, env, required, mode, uid, gid
 *   type=ssh             id, target, required, mode, uid, gid
 *
 * bind/secret/ssh mounts are read-only unless rw is given; cache and tmpfs are writable.
 *
 * Values may reference build variables ($VAR). Without an `expand` function such values are kept
 * as written and not validated, and the mount is marked `unexpanded`: parse `raw` again with an
 * expander once the stage environment is known. `from` never supports variables.
 */
import { invalidArgument } from "../../lib/errors.js";
import { goParseBool, goParseUint32, ramInBytes, withSuggestion } from "./_go.js";

export type MountType = "bind" | "cache" | "tmpfs" | "secret" | "ssh";
export type CacheSharing = "shared" | "private" | "locked";

export interface RunMount {
  /** The flag value as written. */
  raw: string;
  type: MountType;
  from?: string;
  source?: string;
  target?: string;
  readOnly: boolean;
  /** tmpfs size in bytes. */
  sizeLimit?: number;
  /** Cache ID, or secret / ssh ID. */
  id?: string;
  sharing?: CacheSharing;
  /** secret/ssh: fail when the build does not provide it. */
  required: boolean;
  /** secret: expose as this environment variable. */
  env?: string;
  mode?: number;
  uid?: number;
  gid?: number;
  /** Some values contained variables and were kept unexpanded and unvalidated. */
  unexpanded: boolean;
}

export interface ParseMountOptions {
  /** Expands one value (ProcessWord with the stage environment). */
  expand?: (word: string) => string;
}

const MOUNT_TYPES: readonly MountType[] = ["bind", "cache", "tmpfs", "secret", "ssh"];
const SHARING: readonly CacheSharing[] = ["shared", "private", "locked"];
const KEYS = [
  "type",
  "from",
  "source",
  "target",
  "readonly",
  "id",
  "sharing",
  "required",
  "size",
  "mode",
  "uid",
  "gid",
  "src",
  "dst",
  "destination",
  "ro",
  "rw",
  "readwrite",
  "env",
];

/** One CSV record as Go's encoding/csv reads it (double quotes, "" escapes). */
export function parseCsvRecord(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  const s = line.replace(/\r?\n$/u, "");
  for (;;) {
    let field = "";
    if (s[i] === '"') {
      i++;
      for (;;) {
        const q = s.indexOf('"', i);
        if (q < 0) throw invalidArgument('extraneous or missing " in quoted-field');
        field += s.slice(i, q);
        i = q + 1;
        if (s[i] === '"') {
          field += '"';
          i++;
        } else if (i === s.length || s[i] === ",") break;
        else throw invalidArgument('extraneous or missing " in quoted-field');
      }
    } else {
      const comma = s.indexOf(",", i);
      field = s.slice(i, comma < 0 ? s.length : comma);
      if (field.includes('"')) throw invalidArgument('bare " in non-quoted-field');
      i += field.length;
    }
    fields.push(field);
    if (i >= s.length) return fields;
    i++; // the comma
  }
}

function badValue(key: string, value: string): Error {
  return invalidArgument(`invalid value for ${key}: ${value}`);
}

/** Parses one --mount value; throws invalidArgument with BuildKit's messages. */
export function parseMount(raw: string, options: ParseMountOptions = {}): RunMount {
  let fields: string[];
  try {
    fields = parseCsvRecord(raw);
  } catch (err) {
    throw invalidArgument(`failed to parse csv mounts: ${(err as Error).message}`, err);
  }
  const m: RunMount = { raw, type: "bind", readOnly: false, required: false, unexpanded: false };
  let roAuto = true;
  for (const field of fields) {
    const eq = field.indexOf("=");
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
    if (eq < 0) {
      if (key === "readonly" || key === "ro" || key === "readwrite" || key === "rw") {
        m.readOnly = key === "readonly" || key === "ro";
        roAuto = false;
      } else if (key === "required") {
        if (m.type !== "secret" && m.type !== "ssh") {
          throw invalidArgument(`unexpected key '${key}' for mount type '${m.type}'`);
        }
        m.required = true;
      } else throw invalidArgument(`invalid field '${field}' must be a key=value pair`);
      continue;
    }
    let value = field.slice(eq + 1);
    if (key === "from") {
      const idx = value.indexOf("$");
      if (idx !== -1 && idx !== value.length - 1) {
        throw invalidArgument(`'${key}' doesn't support variable expansion, define alias stage instead`);
      }
    } else if (options.expand) value = options.expand(value);
    else if (value.includes("$")) {
      m.unexpanded = true;
      if (["source", "src", "target", "dst", "destination", "id", "env"].includes(key))
        setString(m, key, value);
      else if (!KEYS.includes(key)) throw unexpectedKey(key, field);
      continue;
    }
    roAuto = applyField(m, key, value, field) && roAuto;
  }
  return finish(m, roAuto);
}

function unexpectedKey(key: string, field: string): Error {
  return invalidArgument(withSuggestion(`unexpected key '${key}' in '${field}'`, key, KEYS, true));
}

function setString(m: RunMount, key: string, value: string): void {
  if (key === "source" || key === "src") m.source = value;
  else if (key === "target" || key === "dst" || key === "destination") m.target = value;
  else if (key === "id") m.id = value;
  else if (key === "env") m.env = value;
}

/** Applies one key=value; returns false when it set read-only explicitly. */
function applyField(m: RunMount, key: string, value: string, field: string): boolean {
  switch (key) {
    case "type": {
      const t = value.toLowerCase() as MountType;
      if (!MOUNT_TYPES.includes(t)) {
        throw invalidArgument(withSuggestion(`unsupported mount type "${value}"`, value, MOUNT_TYPES, true));
      }
      m.type = t;
      return true;
    }
    case "from":
      m.from = value;
      return true;
    case "readonly":
    case "ro":
    case "readwrite":
    case "rw": {
      const b = goParseBool(value);
      if (b === undefined) throw badValue(key, value);
      m.readOnly = key === "readonly" || key === "ro" ? b : !b;
      return false;
    }
    case "required": {
      if (m.type !== "secret" && m.type !== "ssh") {
        throw invalidArgument(`unexpected key '${key}' for mount type '${m.type}'`);
      }
      const b = goParseBool(value);
      if (b === undefined) throw badValue(key, value);
      m.required = b;
      return true;
    }
    case "size":
      if (m.type !== "tmpfs") throw invalidArgument(`unexpected key '${key}' for mount type '${m.type}'`);
      try {
        m.sizeLimit = ramInBytes(value);
      } catch {
        throw badValue(key, value);
      }
      return true;
    case "sharing": {
      const s = value.toLowerCase() as CacheSharing;
      if (!SHARING.includes(s)) {
        throw invalidArgument(withSuggestion(`unsupported sharing value "${value}"`, value, SHARING, true));
      }
      m.sharing = s;
      return true;
    }
    case "mode":
    case "uid":
    case "gid": {
      const n = goParseUint32(value, key === "mode" ? 8 : 10);
      if (n === undefined) throw invalidArgument(`invalid value ${value} for ${key}`);
      m[key] = n;
      return true;
    }
    case "source":
    case "src":
    case "target":
    case "dst":
    case "destination":
    case "id":
    case "env":
      setString(m, key, value);
      return true;
    default:
      throw unexpectedKey(key, field);
  }
}

function finish(m: RunMount, roAuto: boolean): RunMount {
  if (m.type !== "secret" && m.type !== "ssh" && m.type !== "cache") {
    for (const k of ["mode", "uid", "gid"] as const) {
      if (m[k] !== undefined) throw invalidArgument(`${k} not allowed for "${m.type}" type mounts`);
    }
  }
  if (roAuto) m.readOnly = m.type !== "cache" && m.type !== "tmpfs";
  if (m.type === "secret") {
    if (m.from !== undefined && m.from !== "") throw invalidArgument("secret mount should not have a from");
    if (m.sharing !== undefined) throw invalidArgument("secret mount should not define sharing");
    if (!m.source && !m.target && !m.id && !m.unexpanded) {
      throw invalidArgument("invalid secret mount. one of source, target required");
    }
    if (m.source && m.id) throw invalidArgument("both source and id can't be set");
  }
  if (m.sharing !== undefined && m.type !== "cache") {
    throw invalidArgument(`invalid cache sharing set for ${m.type} mount`);
  }
  return m;
}
