/**
 * BuildKit's shell lexer (frontend/dockerfile/shell/lex.go): variable expansion and word splitting
 * for Dockerfile instructions. It mimics the POSIX shell only as far as Dockerfiles need:
 *
 *   $VAR  ${VAR}                      value, or "" when unset
 *   ${VAR:-word}  ${VAR-word}          default when unset (":" also when empty)
 *   ${VAR:+word}  ${VAR+word}          alternative when set (":" only when non-empty)
 *   ${VAR:?msg}   ${VAR?msg}           error when unset (":" also when empty)
 *   ${VAR#pat} ${VAR##pat} ${VAR%pat} ${VAR%%pat}   remove shortest/longest prefix/suffix
 *   ${VAR/pat/repl}  ${VAR//pat/repl}  replace first/all
 *   'single'  "double"  \x (the escape token, \ or `)
 *
 * Positional ($1) and special ($@ $* $# $? $- $$ $! $0) parameters are never set. Every expansion
 * reports which variables it looked up and found (`matched`) or not (`unmatched`): the build
 * cache keys on the former, the UndefinedVar check on the latter.
 *
 * Deviation: BuildKit shares one word buffer between nested ${...} scans, which loses the text
 * before "${X:-y}" when splitting words; here each scan keeps its own buffer.
 */
import { invalidArgument } from "../../lib/errors.js";
import { isGoSpace } from "./_go.js";
import { shellPatternToRegex, trimPrefix, trimSuffix } from "./_shell-pattern.js";

/** Variables visible to an expansion: a Map, a plain record, or a lookup function. */
export type ShellEnv =
  | ReadonlyMap<string, string>
  | Readonly<Record<string, string>>
  | ((name: string) => string | undefined);

export interface ShellLexOptions {
  /** The Dockerfile's escape token: "\\" (default) or "`". */
  escapeToken?: string;
  /** Keep quote characters in the output. */
  rawQuotes?: boolean;
  /** Keep escape characters in the output. */
  rawEscapes?: boolean;
  /** Leave references to unset variables as written ("$X", "${X:-y}"). */
  skipUnsetEnv?: boolean;
  /** Treat quotes as ordinary characters (heredoc bodies). */
  skipProcessQuotes?: boolean;
}

export interface ShellExpansion {
  /** The expanded text, quotes removed (ProcessWord). */
  result: string;
  /** The expanded text split into words (ProcessWords). */
  words: string[];
  /** Variables that were looked up and set. */
  matched: Set<string>;
  /** Variables that were looked up and unset. */
  unmatched: Set<string>;
}

/** Expands `input` against `env`; throws invalidArgument "failed to process ...: <reason>". */
export function shellExpand(input: string, env: ShellEnv, options: ShellLexOptions = {}): ShellExpansion {
  const lexer = new ShellLexer(input, env, options);
  try {
    const { result, words } = lexer.processStopOn(undefined, options.rawEscapes ?? false);
    return { result, words, matched: lexer.matched, unmatched: lexer.unmatched };
  } catch (err) {
    throw invalidArgument(`failed to process ${JSON.stringify(input)}: ${(err as Error).message}`, err);
  }
}

/** ProcessWord: the expanded string. */
export function expandWord(input: string, env: ShellEnv, options?: ShellLexOptions): string {
  return shellExpand(input, env, options).result;
}

/** ProcessWords: the expanded words (EXPOSE, heredoc detection). */
export function expandWords(input: string, env: ShellEnv, options?: ShellLexOptions): string[] {
  return shellExpand(input, env, options).words;
}

function lookup(env: ShellEnv, name: string): string | undefined {
  if (typeof env === "function") return env(name);
  if (env instanceof Map) return env.get(name);
  const rec = env as Readonly<Record<string, string>>;
  return Object.hasOwn(rec, name) ? rec[name] : undefined;
}

class Words {
  #buf = "";
  #inWord = false;
  #words: string[] = [];

  addChar(ch: string): void {
    if (isGoSpace(ch)) {
      if (this.#inWord && this.#buf !== "") {
        this.#words.push(this.#buf);
        this.#buf = "";
        this.#inWord = false;
      }
    } else this.addRawChar(ch);
  }

  addRawChar(ch: string): void {
    this.#buf += ch;
    this.#inWord = true;
  }

  addString(s: string): void {
    for (const ch of s) this.addChar(ch);
  }

  addRawString(s: string): void {
    this.#buf += s;
    this.#inWord = true;
  }

  done(): string[] {
    if (this.#buf !== "") this.#words.push(this.#buf);
    this.#buf = "";
    this.#inWord = false;
    return this.#words;
  }
}

const SPECIAL_PARAMS = "@*#?-$!0";

class ShellLexer {
  readonly matched = new Set<string>();
  readonly unmatched = new Set<string>();
  #chars: string[];
  #pos = 0;
  #env: ShellEnv;
  #escape: string;
  #opts: ShellLexOptions;
  #rawEscapes = false;

  constructor(input: string, env: ShellEnv, options: ShellLexOptions) {
    this.#chars = Array.from(input);
    this.#env = env;
    this.#escape = options.escapeToken ?? "\\";
    this.#opts = options;
  }

  #peek(): string | undefined {
    return this.#chars[this.#pos];
  }

  #next(): string | undefined {
    const ch = this.#chars[this.#pos];
    if (ch !== undefined) this.#pos++;
    return ch;
  }

  processStopOn(stop: string | undefined, rawEscapes: boolean): { result: string; words: string[] } {
    const saved = this.#rawEscapes;
    this.#rawEscapes = rawEscapes;
    try {
      return this.#scan(stop);
    } finally {
      this.#rawEscapes = saved;
    }
  }

  #scan(stop: string | undefined): { result: string; words: string[] } {
    let result = "";
    const words = new Words();
    const quotes = !this.#opts.skipProcessQuotes;
    for (let ch = this.#peek(); ch !== undefined; ch = this.#peek()) {
      if (stop !== undefined && ch === stop) {
        this.#next();
        return { result, words: words.done() };
      }
      if (ch === "$") {
        const tmp = this.#dollar();
        result += tmp;
        words.addString(tmp);
      } else if (ch === "<") {
        const tmp = this.#possibleHeredoc();
        result += tmp;
        words.addRawString(tmp);
      } else if (quotes && (ch === "'" || ch === '"')) {
        const tmp = ch === "'" ? this.#singleQuote() : this.#doubleQuote();
        result += tmp;
        words.addRawString(tmp);
      } else {
        let c = this.#next()!;
        if (c === this.#escape) {
          if (this.#rawEscapes) {
            words.addRawChar(c);
            result += c;
          }
          const escaped = this.#next();
          if (escaped === undefined) break;
          c = escaped;
          words.addRawChar(c);
        } else words.addChar(c);
        result += c;
      }
    }
    if (stop !== undefined) throw new Error(`unexpected end of statement while looking for matching ${stop}`);
    return { result, words: words.done() };
  }

  #singleQuote(): string {
    const raw = this.#opts.rawQuotes ?? false;
    const quote = this.#next()!;
    let out = raw ? quote : "";
    for (;;) {
      const ch = this.#next();
      if (ch === undefined)
        throw new Error("unexpected end of statement while looking for matching single-quote");
      if (ch === "'") return raw ? out + ch : out;
      out += ch;
    }
  }

  #doubleQuote(): string {
    const raw = this.#opts.rawQuotes ?? false;
    const quote = this.#next()!;
    let out = raw ? quote : "";
    for (;;) {
      const peek = this.#peek();
      if (peek === undefined) {
        throw new Error("unexpected end of statement while looking for matching double-quote");
      }
      if (peek === '"') {
        const ch = this.#next()!;
        return raw ? out + ch : out;
      }
      if (peek === "$") {
        out += this.#dollar();
        continue;
      }
      let ch = this.#next()!;
      if (ch === this.#escape) {
        if (this.#rawEscapes) out += ch;
        const after = this.#peek();
        if (after === undefined) continue;
        if (after === '"' || after === "$" || after === this.#escape) ch = this.#next()!;
      }
      out += ch;
    }
  }

  #dollar(): string {
    this.#next();
    if (this.#peek() !== "{") {
      const name = this.#name();
      if (name === "") return "$";
      const value = this.#getEnv(name);
      if (value === undefined && this.#opts.skipUnsetEnv) return `$${name}`;
      return value ?? "";
    }
    this.#next();
    const first = this.#peek();
    if (first === undefined) throw new Error("syntax error: missing '}'");
    if (first === "{" || first === "}" || first === ":") throw new Error("syntax error: bad substitution");
    const name = this.#name();
    let ch = this.#next();
    if (ch === undefined) throw new Error("syntax error: missing '}'");
    if (ch === "}") {
      const value = this.#getEnv(name);
      if (value === undefined && this.#opts.skipUnsetEnv) return `\${${name}}`;
      return value ?? "";
    }
    if (ch === "/") return this.#replace(name);
    let modifier = ch;
    const nullIsUnset = ch === ":";
    if (nullIsUnset) {
      ch = this.#next() ?? "\ufffd";
      modifier += ch;
    } else if (!"+-?#%".includes(ch)) {
      throw new Error(`unsupported modifier (${modifier}) in substitution`);
    }
    const rawEscapes = ch === "#" || ch === "%";
    if (nullIsUnset && rawEscapes) throw new Error(`unsupported modifier (${modifier}) in substitution`);
    const word = this.#inner("}", rawEscapes);
    const value = this.#getEnv(name);
    if (value === undefined && this.#opts.skipUnsetEnv) return `\${${name}${modifier}${word}}`;
    const unset = value === undefined || (nullIsUnset && value === "");
    switch (ch) {
      case "-":
        return unset ? word : value!;
      case "+":
        return unset ? "" : word;
      case "?":
        if (value === undefined) throw new Error(`${name}: ${word || "is not allowed to be unset"}`);
        if (unset) throw new Error(`${name}: ${word || "is not allowed to be empty"}`);
        return value;
      case "#":
      case "%": {
        const greedy = word.startsWith(ch);
        const pattern = greedy ? word.slice(1) : word;
        return ch === "%"
          ? trimSuffix(pattern, value ?? "", greedy)
          : trimPrefix(pattern, value ?? "", greedy);
      }
      default:
        throw new Error(`unsupported modifier (${modifier}) in substitution`);
    }
  }

  #inner(stop: string, rawEscapes: boolean): string {
    try {
      return this.processStopOn(stop, rawEscapes).result;
    } catch (err) {
      if (this.#peek() === undefined) {
        // biome-ignore lint/suspicious/noTemplateCurlyInString: BuildKit's message quotes the shell syntax
        throw new Error(stop === "}" ? "syntax error: missing '}'" : "syntax error: missing '/' in ${}");
      }
      throw err;
    }
  }

  #replace(name: string): string {
    const all = this.#peek() === "/";
    if (all) this.#next();
    const pattern = this.#inner("/", true);
    const replacement = this.#inner("}", true);
    const value = this.#getEnv(name);
    if (value === undefined && this.#opts.skipUnsetEnv) return `\${${name}/${pattern}/${replacement}}`;
    const re = shellPatternToRegex(pattern, true, false, all);
    const v = value ?? "";
    return all ? v.replace(re, () => replacement) : v.replace(re, () => replacement);
  }

  #name(): string {
    let name = "";
    for (let ch = this.#peek(); ch !== undefined; ch = this.#peek()) {
      if (name === "" && /^\p{Nd}$/u.test(ch)) {
        while (this.#peek() !== undefined && /^\p{Nd}$/u.test(this.#peek()!)) name += this.#next();
        return name;
      }
      if (name === "" && SPECIAL_PARAMS.includes(ch)) return this.#next()!;
      if (!/^[\p{L}\p{Nd}_]$/u.test(ch)) break;
      name += this.#next();
    }
    return name;
  }

  #possibleHeredoc(): string {
    this.#next();
    if (this.#peek() !== "<") return "<";
    this.#next();
    let space = "";
    for (let ch = this.#peek(); ch === " " || ch === "\t" || ch === "\r"; ch = this.#peek())
      space += this.#next();
    return `<<${space}`;
  }

  #getEnv(name: string): string | undefined {
    const value = lookup(this.#env, name);
    if (value === undefined) this.unmatched.add(name);
    else this.matched.add(name);
    return value;
  }
}
