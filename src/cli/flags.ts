/**
 * Command-line flags as docker parses them (spf13/pflag under cobra), and its help text.
 *
 * A command declares its flags as data and parses argv in one call:
 *
 *   const FLAGS = defineFlags([
 *     { name: "all", short: "a", type: "bool", description: "Show all images" },
 *     { name: "filter", short: "f", type: "stringArray", valueName: "filter", description: "Filter output" },
 *   ]);
 *   const { flags, args } = parseFlags({ flags: FLAGS }, ["-a", "--filter", "dangling=true", "ubuntu"]);
 *   // flags.all === true, flags.filter = ["dangling=true"], args = ["ubuntu"]
 *
 * Syntax (pflag's): `--name=value`, `--name value`, `-n value`, `-nvalue`, `-n=value`, grouped
 * shorthands `-dit`, `-dp 80:80`, bools `--rm`, `--rm=false`; `--` ends the flags; flags may follow
 * positionals unless `interspersed: false` (docker run/exec: flags stop at the image). Errors are
 * FlagErrors worded as docker's: `unknown flag: --bogus`, `unknown shorthand flag: 'z' in -z`,
 * `flag needs an argument: --name`, `invalid argument "x" for "-n, --last" flag: ...`. (pure)
 */

import { BerthError, internal } from "../lib/errors.js";
import { formatDuration, parseDuration } from "./formatter/units.js";
import { goQuote, goQuoteRune, parseGoBool, parseGoInt } from "./go-strconv.js";

export type FlagType = "bool" | "string" | "stringArray" | "int" | "duration";

export interface FlagSpec {
  /** Long name, used as `--name` and as the key in the parsed flags. */
  readonly name: string;
  /** One-letter shorthand, used as `-n`. */
  readonly short?: string;
  readonly type: FlagType;
  /** Value when the flag is not given: false, "", 0, [] by default. Durations in milliseconds. */
  readonly default?: boolean | string | number | readonly string[];
  readonly description: string;
  /** Accepted but left out of the help text. */
  readonly hidden?: boolean;
  /** The word after the flag in help instead of the type: "list", "filter", "bytes". */
  readonly valueName?: string;
}

/** The JS type a flag parses to; durations are milliseconds. */
export type FlagValue<T extends FlagType> = T extends "bool"
  ? boolean
  : T extends "int" | "duration"
    ? number
    : T extends "stringArray"
      ? string[]
      : string;

/** The parsed flags of a declaration, keyed by long name. */
export type FlagValues<F extends readonly FlagSpec[]> = {
  -readonly [S in F[number] as S["name"]]: FlagValue<S["type"]>;
};

/** Keeps the literal names and types of a flag list so that parseFlags can type its result. */
export function defineFlags<const F extends readonly FlagSpec[]>(flags: F): F {
  return flags;
}

export interface FlagSetSpec<F extends readonly FlagSpec[] = readonly FlagSpec[]> {
  readonly flags: F;
  /** false: the first positional argument ends the flags (pflag SetInterspersed(false)). Default true. */
  readonly interspersed?: boolean;
}

export interface ParsedFlags<F extends readonly FlagSpec[] = readonly FlagSpec[]> {
  flags: FlagValues<F>;
  /** Positional arguments, in order. */
  args: string[];
  /** Long names of the flags given on the command line (cobra's Flags().Changed). */
  changed: ReadonlySet<string>;
  /** How many positionals came before `--`, or -1 without one (cobra's ArgsLenAtDash). */
  argsLenAtDash: number;
  /** `--help` or `-h` was given (cobra's implicit help flag). */
  help: boolean;
}

export type FlagErrorCode =
  | "unknown-flag"
  | "unknown-shorthand"
  | "missing-value"
  | "invalid-value"
  | "bad-syntax";

/** A command-line usage error; the CLI prints it with usageErrorText and exits 125. */
export class FlagError extends BerthError {
  readonly code: FlagErrorCode;
  constructor(code: FlagErrorCode, message: string, cause?: unknown) {
    super("invalid-argument", message, { cause });
    this.name = "FlagError";
    this.code = code;
  }
}

function flagDisplayName(spec: FlagSpec): string {
  return spec.short ? `-${spec.short}, --${spec.name}` : `--${spec.name}`;
}

/**
 * The error for a value a command rejects after parsing, in pflag's words:
 * `invalid argument "12zz" for "-m, --memory" flag: invalid suffix: 'zz'`.
 */
export function invalidFlagValue(spec: FlagSpec, value: string, cause: unknown): FlagError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new FlagError(
    "invalid-value",
    `invalid argument ${goQuote(value)} for ${goQuote(flagDisplayName(spec))} flag: ${reason}`,
    cause,
  );
}

const HELP_FLAG: FlagSpec = { name: "help", type: "bool", description: "Print usage", hidden: true };

interface FlagIndex {
  long: Map<string, FlagSpec>;
  short: Map<string, FlagSpec>;
}

function indexFlags(flags: readonly FlagSpec[]): FlagIndex {
  const long = new Map<string, FlagSpec>();
  const short = new Map<string, FlagSpec>();
  for (const f of flags) {
    if (long.has(f.name)) throw internal(`flag redefined: ${f.name}`);
    long.set(f.name, f);
    if (f.short !== undefined) {
      if ([...f.short].length !== 1) throw internal(`flag ${f.name}: shorthand must be one letter`);
      if (short.has(f.short)) throw internal(`unable to redefine ${goQuote(f.short)} shorthand`);
      short.set(f.short, f);
    }
  }
  // cobra adds --help, with -h unless a command uses it (docker run -h is --hostname).
  if (!long.has("help")) {
    const help = short.has("h") ? HELP_FLAG : { ...HELP_FLAG, short: "h" };
    long.set("help", help);
    if (help.short) short.set("h", help);
  }
  return { long, short };
}

/** The value of an unset flag, by type. */
function defaultValue(spec: FlagSpec): unknown {
  if (spec.default !== undefined) return Array.isArray(spec.default) ? [...spec.default] : spec.default;
  switch (spec.type) {
    case "bool":
      return false;
    case "int":
    case "duration":
      return 0;
    case "stringArray":
      return [];
    default:
      return "";
  }
}

function convert(spec: FlagSpec, raw: string): unknown {
  try {
    switch (spec.type) {
      case "bool":
        return parseGoBool(raw);
      case "int":
        return parseGoInt(raw);
      case "duration":
        return parseDuration(raw);
      default:
        return raw;
    }
  } catch (err) {
    throw invalidFlagValue(spec, raw, err);
  }
}

interface ParseState {
  values: Record<string, unknown>;
  changed: Set<string>;
}

function setFlag(state: ParseState, spec: FlagSpec, raw: string): void {
  const value = convert(spec, raw);
  if (spec.type === "stringArray") {
    // pflag: the first Set replaces the default, later ones append.
    const prev = state.changed.has(spec.name) ? (state.values[spec.name] as string[]) : [];
    state.values[spec.name] = [...prev, value as string];
  } else state.values[spec.name] = value;
  state.changed.add(spec.name);
}

/** `--name`, `--name=value`, `--name value`; returns the remaining args. */
function parseLong(state: ParseState, index: FlagIndex, s: string, rest: string[]): string[] {
  const body = s.slice(2);
  if (body === "" || body[0] === "-" || body[0] === "=") {
    throw new FlagError("bad-syntax", `bad flag syntax: ${s}`);
  }
  const eq = body.indexOf("=");
  const name = eq < 0 ? body : body.slice(0, eq);
  const spec = index.long.get(name);
  if (!spec) throw new FlagError("unknown-flag", `unknown flag: --${name}`);
  if (eq >= 0) setFlag(state, spec, body.slice(eq + 1));
  else if (spec.type === "bool") setFlag(state, spec, "true");
  else if (rest.length > 0) {
    setFlag(state, spec, rest[0] ?? "");
    return rest.slice(1);
  } else throw new FlagError("missing-value", `flag needs an argument: --${name}`);
  return rest;
}

/** `-abc`, `-n value`, `-nvalue`, `-n=value`; returns the remaining args. */
function parseShort(state: ParseState, index: FlagIndex, s: string, rest: string[]): string[] {
  let shorthands = s.slice(1);
  let remaining = rest;
  while (shorthands.length > 0) {
    const c = String.fromCodePoint(shorthands.codePointAt(0) ?? 0);
    const after = shorthands.slice(c.length);
    const spec = index.short.get(c);
    if (!spec) {
      throw new FlagError(
        "unknown-shorthand",
        `unknown shorthand flag: ${goQuoteRune(c.codePointAt(0) ?? 0)} in -${shorthands}`,
      );
    }
    if (after.length > 1 && after[0] === "=") {
      setFlag(state, spec, after.slice(1));
      shorthands = "";
    } else if (spec.type === "bool") {
      setFlag(state, spec, "true");
      shorthands = after;
    } else if (after.length > 0) {
      setFlag(state, spec, after);
      shorthands = "";
    } else if (remaining.length > 0) {
      setFlag(state, spec, remaining[0] ?? "");
      remaining = remaining.slice(1);
      shorthands = "";
    } else {
      throw new FlagError(
        "missing-value",
        `flag needs an argument: ${goQuoteRune(c.codePointAt(0) ?? 0)} in -${shorthands}`,
      );
    }
  }
  return remaining;
}

/** Parses argv (without the command words) against a command's flags. Throws FlagError. */
export function parseFlags<const F extends readonly FlagSpec[]>(
  spec: FlagSetSpec<F>,
  argv: readonly string[],
): ParsedFlags<F> {
  const index = indexFlags(spec.flags);
  const values: Record<string, unknown> = {};
  for (const f of spec.flags) values[f.name] = defaultValue(f);
  const state: ParseState = { values, changed: new Set() };
  const args: string[] = [];
  let argsLenAtDash = -1;
  let rest = [...argv];
  while (rest.length > 0) {
    const s = rest[0] ?? "";
    rest = rest.slice(1);
    if (s.length < 2 || s[0] !== "-") {
      args.push(s);
      if (spec.interspersed === false) {
        args.push(...rest);
        break;
      }
      continue;
    }
    if (s === "--") {
      argsLenAtDash = args.length;
      args.push(...rest);
      break;
    }
    rest = s[1] === "-" ? parseLong(state, index, s, rest) : parseShort(state, index, s, rest);
  }
  const declaresHelp = spec.flags.some((f) => f.name === "help");
  const help = declaresHelp ? values.help === true : state.changed.has("help");
  return { flags: values as FlagValues<F>, args, changed: state.changed, argsLenAtDash, help };
}

/** pflag's writeAsCSV for a string array's default: `[a,"b,c"]`. */
function csvField(field: string): string {
  const needsQuotes = field === "\\." || /[,"\r\n]/.test(field) || /^\s/u.test(field);
  return needsQuotes ? `"${field.replaceAll('"', '""')}"` : field;
}

/** pflag's DefValue text and whether it is the zero value (then help does not show it). */
function defaultText(spec: FlagSpec): { text: string; zero: boolean } {
  const v = defaultValue(spec);
  switch (spec.type) {
    case "bool":
      return { text: String(v), zero: v === false };
    case "int":
      return { text: String(v), zero: v === 0 };
    case "duration": {
      const text = formatDuration(v as number);
      return { text, zero: text === "0s" };
    }
    case "stringArray": {
      const arr = v as string[];
      return { text: `[${arr.map(csvField).join(",")}]`, zero: arr.length === 0 };
    }
    default:
      return { text: goQuote(String(v)), zero: v === "" };
  }
}

/** pflag's UnquoteUsage: a `backquoted` word in the description names the value. */
function unquoteUsage(spec: FlagSpec): { varname: string; usage: string } {
  const usage = spec.description;
  const i = usage.indexOf("`");
  if (i >= 0) {
    const j = usage.indexOf("`", i + 1);
    if (j >= 0) {
      const varname = usage.slice(i + 1, j);
      return { varname, usage: usage.slice(0, i) + varname + usage.slice(j + 1) };
    }
  }
  if (spec.valueName !== undefined) return { varname: spec.valueName, usage };
  return { varname: spec.type === "bool" ? "" : spec.type, usage };
}

function lastIndexAny(s: string, chars: string): number {
  for (let i = s.length - 1; i >= 0; i--) if (chars.includes(s[i] ?? "")) return i;
  return -1;
}

/** pflag's wrapN: splits s at the last space before i (allowing `slop` more on the last line). */
function wrapN(i: number, slop: number, s: string): [string, string] {
  if (i + slop > s.length) return [s, ""];
  const head = s.slice(0, i);
  const w = lastIndexAny(head, " \t\n");
  if (w <= 0) return [s, ""];
  const nl = head.lastIndexOf("\n");
  if (nl > 0 && nl < w) return [s.slice(0, nl), s.slice(nl + 1)];
  return [s.slice(0, w), s.slice(w + 1)];
}

/** pflag's wrap: wraps s to width w, continuation lines indented by i. */
function wrap(indent: number, w: number, text: string): string {
  let i = indent;
  if (w === 0) return text.replaceAll("\n", `\n${" ".repeat(i)}`);
  let width = w - i;
  let r = "";
  if (width < 24) {
    i = 16;
    width = w - i;
    r += `\n${" ".repeat(i)}`;
  }
  if (width < 24) return text.replaceAll("\n", r);
  const slop = 5;
  width -= slop;
  let [l, s] = wrapN(width, slop, text);
  r += l.replaceAll("\n", `\n${" ".repeat(i)}`);
  while (s !== "") {
    let t: string;
    [t, s] = wrapN(width, slop, s);
    r += `\n${" ".repeat(i)}${t.replaceAll("\n", `\n${" ".repeat(i)}`)}`;
  }
  return r;
}

/**
 * pflag's FlagUsagesWrapped(cols): one line per visible flag, sorted by name, descriptions
 * aligned and wrapped to cols (0: no wrapping). Ends with a newline when any flag is visible.
 */
export function renderFlagUsages(flags: readonly FlagSpec[], cols: number): string {
  const visible = flags.filter((f) => !f.hidden).sort((a, b) => (a.name < b.name ? -1 : 1));
  const lines: { head: string; usage: string }[] = [];
  let maxlen = 0;
  for (const f of visible) {
    let head = f.short ? `  -${f.short}, --${f.name}` : `      --${f.name}`;
    const { varname, usage } = unquoteUsage(f);
    if (varname !== "") head += ` ${varname}`;
    maxlen = Math.max(maxlen, head.length + 1);
    const def = defaultText(f);
    lines.push({ head, usage: def.zero ? usage : `${usage} (default ${def.text})` });
  }
  let out = "";
  for (const { head, usage } of lines) {
    out += `${head} ${" ".repeat(maxlen - head.length)} ${wrap(maxlen + 2, cols, usage)}\n`;
  }
  return out;
}

/** What a command's help and usage errors say about it. */
export interface CommandUsage {
  /** The command as typed: "berth images", "berth image ls". */
  readonly path: string;
  /** What follows the path in the usage line: "[OPTIONS] [REPOSITORY[:TAG]]". */
  readonly usage: string;
  /** One-line (or longer) description. */
  readonly description: string;
  /** Full alternative spellings, e.g. ["berth image ls", "berth image list", "berth images"]. */
  readonly aliases?: readonly string[];
  readonly examples?: string;
  readonly flags: readonly FlagSpec[];
}

/** "berth images [OPTIONS] [REPOSITORY[:TAG]]" (cobra's UseLine). */
export function usageLine(cmd: CommandUsage): string {
  return cmd.usage === "" ? cmd.path : `${cmd.path} ${cmd.usage}`;
}

/**
 * `--help` output in docker's layout: Usage, description, Aliases, Examples, Options, wrapped to a
 * terminal `width` (docker uses the terminal's, else 80). Ends with a newline.
 */
export function renderHelp(cmd: CommandUsage, width = 80): string {
  let out = `Usage:  ${usageLine(cmd)}\n\n${cmd.description.trim()}`;
  if (cmd.aliases && cmd.aliases.length > 0) out += `\n\nAliases:\n  ${cmd.aliases.join(", ")}`;
  if (cmd.examples) out += `\n\nExamples:\n${cmd.examples}`;
  const usages = renderFlagUsages(cmd.flags, width - 1).trimEnd();
  if (usages !== "") out += `\n\nOptions:\n${usages}`;
  return `${out}\n`;
}

/**
 * A usage error as docker prints it (no trailing newline):
 *
 *   unknown flag: --bogus
 *
 *   Usage:  berth run [OPTIONS] IMAGE [COMMAND] [ARG...]
 *
 *   Run 'berth run --help' for more information
 */
export function usageErrorText(err: unknown, cmd: CommandUsage): string {
  const message = err instanceof Error ? err.message : String(err);
  return `${message}\n\nUsage:  ${usageLine(cmd)}\n\nRun '${cmd.path} --help' for more information`;
}
