/**
 * Dockerfile text → AST with source ranges (BuildKit's frontend/dockerfile/parser).
 *
 * One Node per instruction. A logical line is the physical lines joined by the escape token at
 * line end (`\`, or `` ` `` with `# escape=`). Inside a continuation, comment lines are dropped and
 * empty lines are skipped with a NoEmptyContinuation warning. RUN/COPY/ADD (also under ONBUILD)
 * in shell form may start heredocs; their bodies follow the logical line. Arguments keep their
 * quotes: expansion and quote removal happen per instruction (instructions.ts, shell-words.ts).
 *
 *   FROM alpine AS build        → (from "alpine" "AS" "build")
 *   COPY --from=build /a /b     → (copy ["--from=build"] "/a" "/b")
 *   CMD ["sh", "-c", "x"]       → (cmd "sh" "-c" "x")          json: true
 *   ENV A=1 B=2                 → (env "A" "1" "=" "B" "2" "=")
 *   ONBUILD RUN make            → (onbuild (run "make"))
 */
import { goQuote, goQuoteList, goTrimLeftSpace, goTrimSpace } from "./_go.js";
import type { LineArgs } from "./_line-parsers.js";
import {
  parseHealthConfig,
  parseMaybeJson,
  parseMaybeJsonToList,
  parseNameVal,
  parseString,
  parseWhitespaceDelimited,
  parseWords,
  splitCommand,
} from "./_line-parsers.js";
import type { Directive } from "./directives.js";
import { DirectiveParser, looksLikeDirective, parseEscapeToken } from "./directives.js";
import type { Range } from "./errors.js";
import { DockerfileError, locate } from "./errors.js";
import type { Heredoc } from "./heredoc.js";
import { heredocsFromLine } from "./heredoc.js";

export interface Node {
  /** The instruction keyword as written ("RUN", "run", "Copy"). */
  keyword: string;
  /** Builder flags as written, quotes removed: ["--from=build"]. */
  flags: string[];
  /** Arguments (see the module comment for their shape per instruction). */
  args: string[];
  /** Exec (JSON array) form. */
  json: boolean;
  heredocs: Heredoc[];
  /** The logical line (continuations joined), without heredoc bodies. */
  original: string;
  /** Comment lines directly above the instruction, "#" and surrounding space removed. */
  comments: string[];
  /** From the keyword to the end of the last line (heredoc terminator included); end is exclusive. */
  range: Range;
  /** ONBUILD's trigger instruction. */
  sub?: Node;
}

export interface ParseWarning {
  code: "NoEmptyContinuation" | "MisplacedDirective";
  message: string;
  line: number;
}

export interface ParseResult {
  file: string;
  nodes: Node[];
  escapeToken: "\\" | "`";
  directives: Directive[];
  warnings: ParseWarning[];
}

export interface ParseOptions {
  /** Name used in error locations; "Dockerfile" by default. */
  file?: string;
}

/** bufio.Scanner's limit: BuildKit refuses longer physical lines. */
const MAX_LINE_BYTES = 65535;
const ENCODER = new TextEncoder();
const HEREDOC_KEYWORDS = new Set(["add", "copy", "run"]);

function trimNewline(s: string): string {
  return s.replace(/[\r\n]+$/u, "");
}

function isComment(s: string): boolean {
  return goTrimLeftSpace(s).startsWith("#");
}

function continuationRegex(escapeToken: string): RegExp {
  const e = escapeToken === "\\" ? "\\\\" : escapeToken;
  return new RegExp(`([^${e}])${e}[ \\t]*$|^${e}[ \\t]*$`, "u");
}

function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/gu) ?? [];
}

/** Parses a Dockerfile. Throws DockerfileError (with file, line and column) on syntax errors. */
export function parseDockerfile(text: string, options: ParseOptions = {}): ParseResult {
  const file = options.file ?? "Dockerfile";
  const lines = splitLines(text.startsWith("\ufeff") ? text.slice(1) : text);
  const fail = (msg: string, line: number, column = 1, cause?: unknown) =>
    new DockerfileError(msg, { file, line, column, cause });
  const checkLength = (raw: string, line: number) => {
    if (raw.length > MAX_LINE_BYTES / 3 && ENCODER.encode(trimNewline(raw)).length > MAX_LINE_BYTES) {
      throw fail(`dockerfile line greater than max allowed size of ${MAX_LINE_BYTES}`, line);
    }
  };
  const directiveParser = new DirectiveParser();
  const result: ParseResult = { file, nodes: [], escapeToken: "\\", directives: [], warnings: [] };
  let contRe = continuationRegex("\\");
  let comments: string[] = [];
  const trimContinuation = (s: string): [string, boolean] =>
    contRe.test(s) ? [s.replace(contRe, "$1"), false] : [s, true];

  let i = 0;
  while (i < lines.length) {
    const raw = lines[i]!;
    const startLine = ++i;
    checkLength(raw, startLine);
    if (isComment(raw)) {
      const comment = goTrimSpace(raw.slice(1));
      if (comment === "") comments = [];
      else comments.push(comment);
    }
    const token = goTrimLeftSpace(trimNewline(raw));
    let directive: Directive | undefined;
    try {
      directive = directiveParser.parseLine(token);
      if (directive?.name === "escape") {
        result.escapeToken = parseEscapeToken(directive.value);
        contRe = continuationRegex(result.escapeToken);
      }
    } catch (err) {
      throw fail((err as Error).message, startLine, 1, err);
    }
    if (directive) {
      result.directives.push(directive);
      comments.pop();
    } else if (["escape", "syntax"].includes(looksLikeDirective(token) ?? "")) {
      result.warnings.push({
        code: "MisplacedDirective",
        message: `Parser directive "${token}" is ignored: directives must come before any instruction, comment or empty line`,
        line: startLine,
      });
    }
    let [buf, endOfLine] = trimContinuation(isComment(token) ? "" : token);
    if (endOfLine && buf === "") continue;
    const startColumn = raw.length - goTrimLeftSpace(raw).length + 1;
    let hasEmptyContinuation = false;
    while (!endOfLine && i < lines.length) {
      const next = lines[i++]!;
      checkLength(next, i);
      if (isComment(next)) continue;
      const content = trimNewline(next);
      if (goTrimLeftSpace(content) === "") {
        hasEmptyContinuation = true;
        continue;
      }
      let part: string;
      [part, endOfLine] = trimContinuation(content);
      buf += part;
    }
    if (hasEmptyContinuation) {
      result.warnings.push({
        code: "NoEmptyContinuation",
        message: `Empty continuation line found in: ${buf}`,
        line: i,
      });
    }
    const range = (): Range => ({
      start: { line: startLine, column: startColumn },
      end: { line: i, column: trimNewline(lines[i - 1] ?? "").length + 1 },
    });
    let node: Node;
    try {
      node = nodeFromLine(buf, result.escapeToken, comments);
    } catch (err) {
      throw locate(err, file, range());
    }
    if (canContainHeredoc(node) && buf.includes("<<")) {
      let docs: Heredoc[];
      try {
        docs = heredocsFromLine(buf);
      } catch (err) {
        throw locate(err, file, range());
      }
      for (const doc of docs) {
        let terminated = false;
        while (i < lines.length) {
          const body = lines[i++]!;
          checkLength(body, i);
          let candidate = trimNewline(body);
          if (doc.chomp) candidate = candidate.replace(/^\t+/u, "");
          if (candidate === doc.name) {
            terminated = true;
            break;
          }
          doc.content += body;
        }
        if (!terminated) throw locate(new Error("unterminated heredoc"), file, range());
      }
      node.heredocs = docs;
      if (node.sub) node.sub.heredocs = docs;
    }
    node.range = range();
    if (node.sub) node.sub.range = node.range;
    result.nodes.push(node);
    comments = [];
  }
  if (result.nodes.length === 0) throw fail("file with no instructions", Math.max(lines.length, 1));
  return result;
}

function canContainHeredoc(node: Node): boolean {
  const n = node.keyword.toLowerCase() === "onbuild" && node.sub ? node.sub : node;
  return HEREDOC_KEYWORDS.has(n.keyword.toLowerCase()) && !n.json;
}

function nodeFromLine(line: string, escapeToken: string, comments: string[]): Node {
  const { cmd, flags, rest } = splitCommand(line, escapeToken);
  let parsed: LineArgs = { args: [], json: false };
  let sub: Node | undefined;
  switch (cmd.toLowerCase()) {
    case "add":
    case "copy":
    case "volume":
      parsed = parseMaybeJsonToList(rest);
      break;
    case "arg":
      parsed = { args: parseWords(rest, escapeToken), json: false };
      break;
    case "cmd":
    case "entrypoint":
    case "run":
    case "shell":
      parsed = parseMaybeJson(rest);
      break;
    case "env":
      parsed = parseNameVal(rest, "ENV", escapeToken);
      break;
    case "label":
      parsed = parseNameVal(rest, "LABEL", escapeToken);
      break;
    case "expose":
    case "from":
      parsed = parseWhitespaceDelimited(rest);
      break;
    case "healthcheck":
      parsed = parseHealthConfig(rest);
      break;
    case "maintainer":
    case "stopsignal":
    case "user":
    case "workdir":
      parsed = parseString(rest);
      break;
    case "onbuild":
      if (rest !== "") sub = nodeFromLine(rest, escapeToken, []);
      break;
  }
  const placeholder: Range = { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } };
  const node: Node = {
    keyword: cmd,
    flags,
    args: parsed.args,
    json: parsed.json,
    heredocs: [],
    original: line,
    comments: [...comments],
    range: placeholder,
  };
  if (sub) node.sub = sub;
  return node;
}

/** BuildKit's Node.Dump for one instruction: `copy ["--from=x"] "a" "b"`. */
export function dumpNode(node: Node): string {
  let out = node.keyword.toLowerCase();
  if (node.flags.length > 0) out += ` ${goQuoteList(node.flags)}`;
  if (node.sub) out += ` (${dumpNode(node.sub)})`;
  for (const arg of node.args) out += ` ${goQuote(arg)}`;
  return goTrimSpace(out);
}

/** BuildKit's AST dump: one `(instruction ...)` per line, as in parser/testfiles/<case>/result. */
export function dumpAst(nodes: readonly Node[]): string {
  return nodes.map((n) => `(${dumpNode(n)})`).join("\n");
}

/** The arguments as BuildKit's instructions see them: ONBUILD's are its trigger's keyword and args. */
export function nodeArgs(node: Node): string[] {
  return node.sub ? [node.sub.keyword, ...nodeArgs(node.sub)] : node.args;
}
