import { invalidArgument } from "../lib/errors.js";
import type { ContainerConfig, ImageConfig } from "../oci/image-config.js";

/**
 * `docker import --change` / `docker commit --change`: applies single Dockerfile instructions to an
 * image config. Pure: returns a new config. Only the instructions Docker allows here are accepted.
 */
const ALLOWED = [
  "CMD",
  "ENTRYPOINT",
  "ENV",
  "EXPOSE",
  "LABEL",
  "ONBUILD",
  "STOPSIGNAL",
  "USER",
  "VOLUME",
  "WORKDIR",
];

export function applyChanges(config: ImageConfig, changes: readonly string[]): ImageConfig {
  const out: ImageConfig = structuredClone(config);
  const c: ContainerConfig = out.config ?? {};
  out.config = c;
  for (const change of changes) {
    const m = /^\s*([A-Za-z]+)\s*(.*)$/s.exec(change);
    if (!m) throw invalidArgument(`invalid change "${change}": expected an instruction such as CMD ["sh"]`);
    const instr = m[1]!.toUpperCase();
    const rest = m[2]!.trim();
    if (!ALLOWED.includes(instr)) {
      throw invalidArgument(`${instr} is not a valid change command (allowed: ${ALLOWED.join(", ")})`);
    }
    switch (instr) {
      case "CMD":
        c.Cmd = commandForm(rest);
        break;
      case "ENTRYPOINT":
        c.Entrypoint = commandForm(rest);
        break;
      case "ENV":
        for (const [k, v] of keyValues(rest, instr)) {
          c.Env = [...(c.Env ?? []).filter((e) => e.split("=", 1)[0] !== k), `${k}=${v}`];
        }
        break;
      case "LABEL":
        for (const [k, v] of keyValues(rest, instr)) c.Labels = { ...c.Labels, [k]: v };
        break;
      case "EXPOSE":
        for (const p of rest.split(/\s+/).filter(Boolean)) {
          if (!/^\d{1,5}(-\d{1,5})?(\/(tcp|udp|sctp))?$/i.test(p))
            throw invalidArgument(`invalid port "${p}" in EXPOSE`);
          c.ExposedPorts = { ...c.ExposedPorts, [p.includes("/") ? p.toLowerCase() : `${p}/tcp`]: {} };
        }
        break;
      case "VOLUME":
        for (const v of rest.startsWith("[") ? jsonArray(rest, instr) : rest.split(/\s+/).filter(Boolean)) {
          c.Volumes = { ...c.Volumes, [v]: {} };
        }
        break;
      case "USER":
        c.User = requireArg(rest, instr);
        break;
      case "WORKDIR":
        c.WorkingDir = requireArg(rest, instr);
        break;
      case "STOPSIGNAL":
        c.StopSignal = requireArg(rest, instr);
        break;
      case "ONBUILD":
        c.OnBuild = [...(c.OnBuild ?? []), requireArg(rest, instr)];
        break;
    }
  }
  return out;
}

function requireArg(rest: string, instr: string): string {
  if (!rest) throw invalidArgument(`${instr} requires exactly one argument`);
  return unquote(rest);
}

function commandForm(rest: string): string[] {
  if (rest.startsWith("[")) {
    try {
      const v: unknown = JSON.parse(rest);
      if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v;
    } catch {
      // not JSON: Docker then treats the text as shell form
    }
  }
  return ["/bin/sh", "-c", rest];
}

function jsonArray(rest: string, instr: string): string[] {
  try {
    const v: unknown = JSON.parse(rest);
    if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v;
  } catch {
    // fall through
  }
  throw invalidArgument(`${instr}: invalid JSON array ${rest}`);
}

function unquote(s: string): string {
  const m = /^"(.*)"$/s.exec(s) ?? /^'(.*)'$/s.exec(s);
  return m ? m[1]! : s;
}

/** "A=b C='d e'" or the legacy "A b c" (one pair: key, then the rest as value). */
function keyValues(rest: string, instr: string): [string, string][] {
  if (!rest) throw invalidArgument(`${instr} requires at least one argument`);
  const words = rest.match(/(?:[^\s"']+|"(?:\\.|[^"\\])*"|'[^']*')+/g) ?? [];
  if (!words[0]!.includes("=")) {
    const sp = rest.search(/\s/);
    if (sp < 0) throw invalidArgument(`${instr} ${rest}: expected KEY=VALUE`);
    return [[rest.slice(0, sp), rest.slice(sp).trim()]];
  }
  return words.map((w) => {
    const eq = w.indexOf("=");
    if (eq <= 0) throw invalidArgument(`${instr}: "${w}" is not KEY=VALUE`);
    return [unquote(w.slice(0, eq)), unquote(w.slice(eq + 1)).replace(/\\(.)/g, "$1")];
  });
}
