/**
 * Parser directives (`# syntax=`, `# escape=`, `# check=`): comments of the form `# key=value` at
 * the very top of a Dockerfile. The first line that is not such a directive (an instruction, an
 * empty line, any other comment, or an unknown key) ends the directive block; later look-alikes
 * are plain comments. Keys are case-insensitive; each may appear once.
 */
import { invalidArgument } from "../../lib/errors.js";
import { goParseBool, goTrimLeftSpace, goTrimSpace } from "./_go.js";

export type DirectiveName = "syntax" | "escape" | "check";

export interface Directive {
  name: DirectiveName;
  value: string;
  /** 1-based line number. */
  line: number;
}

const DIRECTIVE_RE = /^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/u;
const NAMES: readonly string[] = ["syntax", "escape", "check"];

/** A comment line that only looks like a directive once the directive block has ended. */
export function looksLikeDirective(line: string): DirectiveName | undefined {
  const m = DIRECTIVE_RE.exec(goTrimLeftSpace(line.replace(/^\s*#/u, "")));
  const name = m?.[1]?.toLowerCase();
  return /^\s*#/u.test(line) && name !== undefined && NAMES.includes(name)
    ? (name as DirectiveName)
    : undefined;
}

/**
 * The directive parser of BuildKit (DirectiveParser.ParseLine): feed it lines in order; it
 * returns a Directive while the block lasts and undefined afterwards.
 */
export class DirectiveParser {
  #line = 0;
  #done = false;
  #seen = new Set<string>();

  get done(): boolean {
    return this.#done;
  }

  /** `line` is one physical line without its newline. Throws on a repeated directive. */
  parseLine(line: string): Directive | undefined {
    this.#line++;
    if (this.#done) return undefined;
    if (!line.startsWith("#")) {
      this.#done = true;
      return undefined;
    }
    const m = DIRECTIVE_RE.exec(goTrimLeftSpace(line.slice(1)));
    const name = m?.[1]?.toLowerCase();
    if (m === null || name === undefined || !NAMES.includes(name)) {
      this.#done = true;
      return undefined;
    }
    if (this.#seen.has(name)) throw invalidArgument(`only one ${name} parser directive can be used`);
    this.#seen.add(name);
    return { name: name as DirectiveName, value: m[2]!, line: this.#line };
  }
}

/** Validates an `# escape=` value: only backslash and backtick are allowed. */
export function parseEscapeToken(value: string): "\\" | "`" {
  if (value !== "`" && value !== "\\") {
    throw invalidArgument(`invalid escape token '${value}' does not match \` or \\`);
  }
  return value;
}

/** The `# check=` options (BuildKit's linter.ParseLintOptions). */
export interface CheckOptions {
  skipAll: boolean;
  skip: string[];
  experimentalAll: boolean;
  experimental: string[];
  /** `error=true`: build checks fail the build. */
  error: boolean;
}

/** Parses `skip=A,B;error=true;experimental=all`. Only the first word of the value counts. */
export function parseCheckOptions(directiveValue: string): CheckOptions {
  const opts: CheckOptions = {
    skipAll: false,
    skip: [],
    experimentalAll: false,
    experimental: [],
    error: false,
  };
  const value = goTrimSpace(directiveValue.split(" ")[0] ?? "");
  if (value === "") return opts;
  const parts = value.split(";");
  const limited = parts.length > 3 ? [...parts.slice(0, 2), parts.slice(2).join(";")] : parts;
  for (const part of limited) {
    const eq = part.indexOf("=");
    if (eq < 0) throw invalidArgument(`invalid check option ${JSON.stringify(part)}`);
    const key = goTrimSpace(part.slice(0, eq));
    const v = goTrimSpace(part.slice(eq + 1));
    switch (key) {
      case "skip":
        if (v === "all") opts.skipAll = true;
        else opts.skip = v.split(",").map((r) => goTrimSpace(r));
        break;
      case "experimental":
        if (v === "all") opts.experimentalAll = true;
        else opts.experimental = v.split(",").map((r) => goTrimSpace(r));
        break;
      case "error": {
        const b = goParseBool(v);
        if (b === undefined) {
          throw invalidArgument(
            `failed to parse check option ${JSON.stringify(part)}: strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`,
          );
        }
        opts.error = b;
        break;
      }
      default:
        throw invalidArgument(`invalid check option ${JSON.stringify(key)}`);
    }
  }
  return opts;
}
