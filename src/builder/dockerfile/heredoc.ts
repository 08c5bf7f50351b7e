/**
 * Heredoc words (`<<EOF`, `<<-EOF`, `3<<EOF`, `<<"EOF"`), as BuildKit's parser detects them on
 * RUN, COPY and ADD lines (and ONBUILD of those). A quoted delimiter (any quote anywhere in the
 * word: `<<'EOF'`, `<<"EOF"`, `<<E"OF"`) turns variable expansion of the body off; `<<-` strips
 * leading tabs from the body lines and the terminator.
 */
import { invalidArgument } from "../../lib/errors.js";
import { shellExpand } from "./shell-words.js";

export interface Heredoc {
  /** The delimiter, quotes removed. */
  name: string;
  /** The `N` of `N<<EOF`, 0 when absent. */
  fileDescriptor: number;
  /** False when the delimiter was quoted: the body is taken literally. */
  expand: boolean;
  /** `<<-`: leading tabs are stripped (see chompHeredocContent). */
  chomp: boolean;
  /** The body, each line with its newline, as written (not yet chomped). */
  content: string;
}

const HEREDOC_RE = /^(\d*)<<(-?)[\t\n\f\r ]*([^<]*)$/u;
const NO_ENV = new Map<string, string>();

function quoteCount(s: string): number {
  return (s.match(/['"]/g) ?? []).length;
}

/**
 * Parses one word as a heredoc start; undefined when it is not one. Throws for an unterminated
 * quote in the delimiter ("<<'EOF").
 */
export function parseHeredoc(word: string): Heredoc | undefined {
  const m = HEREDOC_RE.exec(word);
  if (m === null) return undefined;
  const rest = m[3]!;
  if (rest === "") return undefined;
  const words = shellExpand(rest, NO_ENV, { skipUnsetEnv: true }).words;
  if (words.length !== 1) return undefined;
  const raw = shellExpand(rest, NO_ENV, { skipUnsetEnv: true, rawQuotes: true }).words;
  if (raw.length !== words.length) {
    throw invalidArgument(`internal lexing of heredoc produced inconsistent results: ${rest}`);
  }
  const name = words[0]!;
  return {
    name,
    fileDescriptor: m[1] === "" ? 0 : Number.parseInt(m[1]!, 10),
    expand: quoteCount(name) === quoteCount(raw[0]!),
    chomp: m[2] === "-",
    content: "",
  };
}

/** All heredoc starts on a (joined) instruction line, in order. */
export function heredocsFromLine(line: string): Heredoc[] {
  let words: string[];
  try {
    words = shellExpand(line, NO_ENV, { rawQuotes: true, rawEscapes: true, skipUnsetEnv: true }).words;
  } catch {
    words = [];
  }
  const docs: Heredoc[] = [];
  for (const word of words) {
    const doc = parseHeredoc(word);
    if (doc) docs.push(doc);
  }
  return docs;
}

/** `<<-` bodies: removes the leading tabs of every line. */
export function chompHeredocContent(content: string): string {
  return content.replace(/^\t+/gmu, "");
}
