/**
 * Docker's path patterns (github.com/moby/patternmatcher), as used by .dockerignore:
 *
 *   *        any run of characters except "/"        ?      one character except "/"
 *   [a-z]    a character class ([^...] negates)      \x     the character x
 *   **       any number of directories, even none    !pat   an exception (re-includes)
 *
 * Patterns are cleaned like Go's filepath.Clean ("docs/" → "docs", "./a/../b" → "b"). The last
 * pattern that matches a path decides; a pattern that matches a parent directory matches
 * everything below it. Paths are slash-separated and relative to the context root.
 *
 * Deviations: Go's regexp escapes like "\d" mean a literal "d" here (filepath.Match semantics),
 * and POSIX classes ("[[:alpha:]]") are not supported. A pattern that cannot be compiled fails
 * when the matcher is built, not on first use.
 */
import { invalidArgument } from "./errors.js";

/** Go's path.Clean for slash-separated paths. */
export function cleanPath(p: string): string {
  if (p === "") return ".";
  const rooted = p.startsWith("/");
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!rooted) out.push("..");
      continue;
    }
    out.push(part);
  }
  const joined = (rooted ? "/" : "") + out.join("/");
  return joined === "" ? "." : joined;
}

/** Whether `p` is well-formed for Go's filepath.Match (otherwise ErrBadPattern). */
export function isValidGlob(p: string): boolean {
  const c = Array.from(p);
  let i = 0;
  const esc = (): boolean => {
    if (i >= c.length || c[i] === "-" || c[i] === "]") return false;
    if (c[i] === "\\" && ++i >= c.length) return false;
    i++;
    return i < c.length;
  };
  while (i < c.length) {
    if (c[i] === "\\") {
      if (i + 1 >= c.length) return false;
      i += 2;
    } else if (c[i] === "[") {
      i++;
      if (c[i] === "^") i++;
      for (let n = 0; ; n++) {
        if (c[i] === "]" && n > 0) {
          i++;
          break;
        }
        if (!esc()) return false;
        if (c[i] === "-") {
          i++;
          if (!esc()) return false;
        }
      }
    } else i++;
  }
  return true;
}

type MatchType = "exact" | "prefix" | "suffix" | "regexp";

/** Regex metacharacters that mean nothing to filepath.Match and are escaped. */
const ESCAPE = new Set([".", "+", "(", ")", "|", "{", "}", "$"]);

/** One cleaned pattern. */
export class Pattern {
  /** The cleaned pattern, without "!". */
  readonly source: string;
  readonly exclusion: boolean;
  #type: MatchType;
  #regexp: RegExp | undefined;

  constructor(source: string, exclusion: boolean) {
    this.source = source;
    this.exclusion = exclusion;
    const { type, regexp } = compile(source);
    this.#type = type;
    this.#regexp = regexp;
  }

  /** Whether this pattern alone matches `path` (not its parents). */
  match(path: string): boolean {
    switch (this.#type) {
      case "exact":
        return path === this.source;
      case "prefix":
        return path.startsWith(this.source.slice(0, -2));
      case "suffix": {
        const suffix = this.source.slice(2);
        return path.endsWith(suffix) || (suffix.startsWith("/") && path === suffix.slice(1));
      }
      default:
        return this.#regexp!.test(path);
    }
  }

  toString(): string {
    return this.exclusion ? `!${this.source}` : this.source;
  }
}

function compile(pattern: string): { type: MatchType; regexp?: RegExp } {
  let re = "^";
  let type: MatchType = "exact";
  const c = Array.from(pattern);
  for (let i = 0; i < c.length; ) {
    const first = i === 0;
    const ch = c[i++]!;
    if (ch === "*") {
      if (c[i] === "*") {
        i++;
        if (c[i] === "/") i++;
        if (i >= c.length) {
          if (type === "exact") type = "prefix";
          else {
            re += ".*";
            type = "regexp";
          }
        } else {
          re += "(.*/)?";
          type = "regexp";
        }
        if (first) type = "suffix";
      } else {
        re += "[^/]*";
        type = "regexp";
      }
    } else if (ch === "?") {
      re += "[^/]";
      type = "regexp";
    } else if (ESCAPE.has(ch)) re += `\\${ch}`;
    else if (ch === "\\") {
      const next = c[i];
      if (next === undefined) re += "\\\\";
      else {
        i++;
        re += /[A-Za-z0-9]/.test(next) ? next : `\\${next}`;
        type = "regexp";
      }
    } else if (ch === "[" || ch === "]") {
      re += ch;
      type = "regexp";
    } else re += ch;
  }
  if (type !== "regexp") return { type };
  try {
    return { type, regexp: new RegExp(`${re}$`) };
  } catch (err) {
    throw invalidArgument(`syntax error in pattern: ${pattern}`, err);
  }
}

/** A list of patterns where the last match wins. */
export class PatternMatcher {
  readonly patterns: readonly Pattern[];
  /** Some pattern is an exception ("!..."). */
  readonly hasExclusions: boolean;

  /** Throws invalidArgument for "!" alone and for malformed patterns ("syntax error in pattern"). */
  constructor(patterns: readonly string[]) {
    const out: Pattern[] = [];
    for (const raw of patterns) {
      let p = raw.trim();
      if (p === "") continue;
      p = cleanPath(p);
      let exclusion = false;
      if (p.startsWith("!")) {
        if (p.length === 1) throw invalidArgument('illegal exclusion pattern: "!"');
        exclusion = true;
        p = p.slice(1);
      }
      if (!isValidGlob(p)) throw invalidArgument(`syntax error in pattern: ${p}`);
      out.push(new Pattern(p, exclusion));
    }
    this.patterns = out;
    this.hasExclusions = out.some((p) => p.exclusion);
  }

  /**
   * Whether `file` (slash-separated, relative) is matched: by the last pattern that matches it or
   * one of its parent directories (patternmatcher's MatchesOrParentMatches).
   */
  matches(file: string): boolean {
    const path = cleanPath(file);
    const slash = path.lastIndexOf("/");
    const parents = slash < 0 ? [] : path.slice(0, slash).split("/");
    let matched = false;
    for (const pattern of this.patterns) {
      if (pattern.exclusion !== matched) continue;
      let hit = pattern.match(path);
      for (let i = 0; !hit && i < parents.length; i++) hit = pattern.match(parents.slice(0, i + 1).join("/"));
      if (hit) matched = !pattern.exclusion;
    }
    return matched;
  }

  /**
   * For a matched directory: whether an exception could re-include something below it, so a
   * walker must still descend (BuildKit fsutil's rule). With an exception that has wildcards
   * (besides a trailing "/*" or "/**") any directory may need walking; otherwise only the
   * directories on the way to an exception's path.
   */
  mightMatchBelow(dir: string): boolean {
    if (!this.hasExclusions) return false;
    const exceptions = this.patterns.filter((p) => p.exclusion).map((p) => withoutTrailingGlob(p.source));
    if (exceptions.some((p) => /[*[\]?^\\]/.test(p))) return true;
    const dirSlash = `${cleanPath(dir)}/`;
    return exceptions.some((p) => `${p}/`.startsWith(dirSlash));
  }
}

function withoutTrailingGlob(p: string): string {
  let s = p;
  if (s.endsWith("/**")) s = s.slice(0, -3);
  if (s.endsWith("/*")) s = s.slice(0, -2);
  return s;
}
