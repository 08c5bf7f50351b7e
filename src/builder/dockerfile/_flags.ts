/**
 * Builder flags of one instruction (BuildKit's instructions/bflag.go): `--name=value` for strings,
 * `--name` / `--name=true|false` for booleans, repeatable `--name=value` for string lists. Unknown
 * flags fail with a "did you mean" suggestion; `--` ends the flags.
 */
import { invalidArgument } from "../../lib/errors.js";
import { withSuggestion } from "./_go.js";

export type FlagKind = "bool" | "string" | "strings";
export type FlagSpec = Readonly<Record<string, FlagKind>>;

export interface ParsedFlags {
  /** Names of the flags that were given. */
  used: Set<string>;
  bool(name: string): boolean;
  /** The value, or "" when not given. */
  string(name: string): string;
  strings(name: string): string[];
}

/** Parses `args` (Node.flags) against `spec`; throws invalidArgument with BuildKit's messages. */
export function parseFlags(args: readonly string[], spec: FlagSpec): ParsedFlags {
  const values = new Map<string, string>();
  const lists = new Map<string, string[]>();
  const used = new Set<string>();
  for (const a of args) {
    if (a === "--") break;
    if (!a.startsWith("--")) throw invalidArgument(`arg should start with -- : ${a}`);
    const eq = a.indexOf("=");
    const flagName = eq < 0 ? a : a.slice(0, eq);
    const hasValue = eq >= 0;
    const value = hasValue ? a.slice(eq + 1) : "";
    const name = flagName.slice(2);
    const kind = Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (kind === undefined) {
      throw invalidArgument(withSuggestion(`unknown flag: ${flagName}`, name, Object.keys(spec), true));
    }
    if (used.has(name) && kind !== "strings") throw invalidArgument(`duplicate flag specified: ${flagName}`);
    used.add(name);
    if (kind === "bool") {
      if (hasValue && value === "") throw invalidArgument(`missing a value on flag: ${flagName}`);
      const v = value.toLowerCase();
      if (v !== "true" && v !== "" && v !== "false") {
        throw invalidArgument(`expecting boolean value for flag ${flagName}, not: ${value}`);
      }
      values.set(name, v === "false" ? "false" : "true");
    } else {
      if (!hasValue) throw invalidArgument(`missing a value on flag: ${flagName}`);
      if (kind === "string") values.set(name, value);
      else lists.set(name, [...(lists.get(name) ?? []), value]);
    }
  }
  return {
    used,
    bool: (name) => values.get(name) === "true",
    string: (name) => values.get(name) ?? "",
    strings: (name) => lists.get(name) ?? [],
  };
}
