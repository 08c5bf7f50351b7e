/**
 * The per-instruction argument parsers of BuildKit's parser (line_parsers.go, split_command.go).
 * They shape the arguments of one logical line; quotes are kept (variable expansion and quote
 * removal happen later, per instruction). Exec form is detected exactly as BuildKit does: the
 * arguments must parse as a JSON array of strings; anything else that is not JSON at all falls back
 * to shell form, but a JSON array with a non-string element is an error.
 */
import { invalidArgument } from "../../lib/errors.js";
import { goTrimLeftSpace, goTrimSpace, isGoSpace } from "./_go.js";

export interface LineArgs {
  args: string[];
  json: boolean;
}

/** Go's reWhitespace: `[\t\v\f\r ]+`. */
export const WHITESPACE_RE = /[\t\v\f\r ]+/;

/** Splits "CMD --flag=x args" into the command, its builder flags and the rest. */
export function splitCommand(
  line: string,
  escapeToken: string,
): { cmd: string; flags: string[]; rest: string } {
  const trimmed = goTrimSpace(line);
  const m = WHITESPACE_RE.exec(trimmed);
  if (m === null) return { cmd: trimmed, flags: [], rest: "" };
  const cmd = trimmed.slice(0, m.index);
  const { rest, flags } = extractBuilderFlags(trimmed.slice(m.index + m[0].length), escapeToken);
  return { cmd, flags, rest: goTrimSpace(rest) };
}

/** Leading `--name[=value]` words, unquoted; a bare `--` ends them. */
export function extractBuilderFlags(line: string, escapeToken: string): { rest: string; flags: string[] } {
  const chars = Array.from(line);
  const flags: string[] = [];
  let phase: "spaces" | "word" | "quote" = "spaces";
  let word = "";
  let quote = "";
  let blankOK = false;
  let offset = 0; // UTF-16 offset of chars[pos]
  for (let pos = 0; pos <= chars.length; offset += chars[pos]?.length ?? 0, pos++) {
    const end = pos === chars.length;
    let ch = chars[pos] ?? "";
    if (phase === "spaces") {
      if (end) break;
      if (isGoSpace(ch)) continue;
      if (ch !== "-" || chars[pos + 1] !== "-") return { rest: line.slice(offset), flags };
      phase = "word";
    }
    if (end) {
      if (word !== "--" && (blankOK || word !== "")) flags.push(word);
      break;
    }
    if (phase === "word") {
      if (isGoSpace(ch)) {
        phase = "spaces";
        if (word === "--") return { rest: line.slice(offset), flags };
        if (blankOK || word !== "") flags.push(word);
        word = "";
        blankOK = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOK = true;
        phase = "quote";
        continue;
      }
    } else if (ch === quote) {
      phase = "word";
      continue;
    }
    if (ch === escapeToken) {
      if (pos + 1 === chars.length) {
        if (phase === "quote") phase = "word";
        continue;
      }
      offset += ch.length;
      pos++;
      ch = chars[pos]!;
    }
    word += ch;
  }
  return { rest: "", flags };
}

/** Words separated by whitespace; quotes and escapes are kept in the words. */
export function parseWords(rest: string, escapeToken: string): string[] {
  const chars = Array.from(rest);
  const words: string[] = [];
  let phase: "spaces" | "word" | "quote" = "spaces";
  let quote = "";
  let blankOK = false;
  let word = "";
  for (let pos = 0; pos <= chars.length; pos++) {
    const end = pos === chars.length;
    let ch = chars[pos] ?? "";
    if (phase === "spaces") {
      if (end) break;
      if (isGoSpace(ch)) continue;
      phase = "word";
    }
    if (end) {
      if (blankOK || word !== "") words.push(word);
      break;
    }
    if (phase === "word") {
      if (isGoSpace(ch)) {
        phase = "spaces";
        if (blankOK || word !== "") words.push(word);
        word = "";
        blankOK = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOK = true;
        phase = "quote";
      }
      if (ch === escapeToken) {
        if (pos + 1 === chars.length) continue;
        word += ch;
        pos++;
        ch = chars[pos]!;
      }
      word += ch;
      continue;
    }
    if (ch === quote) phase = "word";
    if (ch === escapeToken && quote !== "'") {
      if (pos + 1 === chars.length) {
        phase = "word";
        continue;
      }
      pos++;
      word += ch;
      ch = chars[pos]!;
    }
    word += ch;
  }
  return words;
}

/** ENV and LABEL: `k=v ...` triples [key, value, "="], or the legacy `KEY name value` [k, v, ""]. */
export function parseNameVal(rest: string, key: string, escapeToken: string): LineArgs {
  const words = parseWords(rest, escapeToken);
  if (words.length === 0) return { args: [], json: false };
  if (!words[0]!.includes("=")) {
    const m = WHITESPACE_RE.exec(rest);
    if (m === null) throw invalidArgument(`${key} must have two arguments`);
    return { args: [rest.slice(0, m.index), rest.slice(m.index + m[0].length), ""], json: false };
  }
  const args: string[] = [];
  for (const word of words) {
    const eq = word.indexOf("=");
    if (eq < 0) {
      throw invalidArgument(
        `Syntax error - can't find = in ${JSON.stringify(word)}. Must be of the form: name=value`,
      );
    }
    args.push(word.slice(0, eq), word.slice(eq + 1), "=");
  }
  return { args, json: false };
}

/** FROM, EXPOSE and the shell form of ADD/COPY/VOLUME: whitespace-separated words. */
export function parseWhitespaceDelimited(rest: string): LineArgs {
  return { args: rest === "" ? [] : rest.split(WHITESPACE_RE), json: false };
}

/** MAINTAINER, STOPSIGNAL, USER, WORKDIR: the rest as one argument. */
export function parseString(rest: string): LineArgs {
  return { args: rest === "" ? [] : [rest], json: false };
}

const NOT_JSON = Symbol("not json");

function parseJson(rest: string): string[] | typeof NOT_JSON {
  const text = goTrimLeftSpace(rest);
  if (!text.startsWith("[")) return NOT_JSON;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
  if (!Array.isArray(value)) return NOT_JSON;
  if (!value.every((v) => typeof v === "string")) {
    throw invalidArgument("when using JSON array syntax, arrays must be comprised of strings only");
  }
  return value as string[];
}

/** CMD, ENTRYPOINT, RUN, SHELL: exec form, or the rest as one shell-form argument. */
export function parseMaybeJson(rest: string): LineArgs {
  if (rest === "") return { args: [], json: false };
  const json = parseJson(rest);
  return json === NOT_JSON ? { args: [rest], json: false } : { args: json, json: true };
}

/** ADD, COPY, VOLUME: exec form, or whitespace-separated words. */
export function parseMaybeJsonToList(rest: string): LineArgs {
  const json = parseJson(rest);
  return json === NOT_JSON ? parseWhitespaceDelimited(rest) : { args: json, json: true };
}

/** HEALTHCHECK: the type word (CMD/NONE/...) then a CMD-like command. */
export function parseHealthConfig(rest: string): LineArgs {
  const chars = Array.from(rest);
  let sep = 0;
  while (sep < chars.length && !isGoSpace(chars[sep]!)) sep++;
  if (sep === 0) return { args: [], json: false };
  let next = sep;
  while (next < chars.length && isGoSpace(chars[next]!)) next++;
  const cmd = parseMaybeJson(chars.slice(next).join(""));
  return { args: [chars.slice(0, sep).join(""), ...cmd.args], json: cmd.json };
}
