/**
 * Container environment, with Docker's semantics:
 *
 * - Config.Env (what inspect shows) is the run env followed by the image entries whose names the
 *   run env does not mention (moby daemon/commit.go merge).
 * - The process env starts from PATH=<default>, HOSTNAME=<hostname> and (with a tty) TERM=xterm;
 *   Config.Env entries then replace by name or are appended (ReplaceOrAppendEnvValues).
 * - An entry without "=" ("NAME") unsets NAME. The docker CLI turns `-e NAME` into NAME=<value>
 *   from its own environment and sends "NAME" as-is only when it has no such variable; the daemon
 *   then removes NAME (also from the image env and the defaults). berth does the same, so a bare
 *   name reaching the engine means "unset", never "empty".
 */
import { invalidArgument } from "../../lib/errors.js";

export const DEFAULT_PATH_ENV = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export interface EnvDefaults {
  hostname: string;
  tty: boolean;
  /** Default PATH; DEFAULT_PATH_ENV when absent. */
  path?: string;
}

const keyOf = (entry: string): string => {
  const eq = entry.indexOf("=");
  return eq < 0 ? entry : entry.slice(0, eq);
};

/** Config.Env: run entries first, then the image entries they do not name. */
export function mergeConfigEnv(imageEnv: readonly string[], runEnv: readonly string[]): string[] {
  if (runEnv.length === 0) return [...imageEnv];
  const runKeys = new Set(runEnv.map(keyOf));
  return [...runEnv, ...imageEnv.filter((e) => !runKeys.has(keyOf(e)))];
}

/**
 * Overrides replace the default with the same name in place or are appended; "NAME" without "="
 * removes NAME (moby daemon/container ReplaceOrAppendEnvValues). Unlike Docker, a repeated name
 * among the overrides also replaces the earlier override, so a name appears at most once.
 */
export function replaceOrAppendEnv(defaults: readonly string[], overrides: readonly string[]): string[] {
  const out: Array<string | undefined> = [...defaults];
  const index = new Map<string, number>();
  for (const [i, e] of defaults.entries()) index.set(keyOf(e), i);
  for (const value of overrides) {
    const hasValue = value.includes("=");
    const key = keyOf(value);
    const i = index.get(key);
    if (!hasValue) {
      if (i !== undefined) out[i] = undefined;
      continue;
    }
    if (i !== undefined) {
      out[i] = value;
    } else {
      index.set(key, out.length);
      out.push(value);
    }
  }
  return out.filter((e): e is string => e !== undefined);
}

/** The process environment of a container (see the module comment). */
export function mergeEnv(
  imageEnv: readonly string[],
  runEnv: readonly string[],
  defaults: EnvDefaults,
): string[] {
  const base = [`PATH=${defaults.path ?? DEFAULT_PATH_ENV}`, `HOSTNAME=${defaults.hostname}`];
  if (defaults.tty) base.push("TERM=xterm");
  return replaceOrAppendEnv(base, mergeConfigEnv(imageEnv, runEnv));
}

/**
 * Parses an `--env-file` as the docker CLI does (pkg/kvfile): a leading BOM is dropped, leading
 * whitespace is trimmed, blank lines and lines starting with "#" are skipped, "KEY=VALUE" is kept
 * verbatim (no quote removal, trailing whitespace kept), and a bare "KEY" takes its value from
 * `lookup` (the client's environment) or is left out when absent there. A line with an empty name
 * or a name containing whitespace is invalidArgument naming the line.
 */
export function parseEnvFile(
  text: string,
  lookup: Readonly<Record<string, string | undefined>> | ReadonlyMap<string, string> = {},
): string[] {
  const get = (k: string): string | undefined =>
    lookup instanceof Map
      ? lookup.get(k)
      : Object.hasOwn(lookup, k)
        ? (lookup as Record<string, string>)[k]
        : undefined;
  const out: string[] = [];
  const rows = text.split("\n");
  for (let n = 0; n < rows.length; n++) {
    let row = rows[n]!.replace(/\r$/, "");
    if (n === 0 && row.startsWith("\uFEFF")) row = row.slice(1);
    const line = row.replace(/^\s+/, "");
    if (line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    const key = eq < 0 ? line : line.slice(0, eq);
    if (key === "") throw invalidArgument(`no variable name on line '${line}' (line ${n + 1})`);
    if (/[ \t]/.test(key)) throw invalidArgument(`variable '${key}' contains whitespaces (line ${n + 1})`);
    if (eq >= 0) {
      out.push(line);
      continue;
    }
    const value = get(key);
    if (value !== undefined) out.push(`${key}=${value}`);
  }
  return out;
}
