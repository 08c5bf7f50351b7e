/**
 * `.env` / `env_file` parsing as Compose does: `KEY=value`, optional `export `, `#` comments,
 * single quotes literal, double quotes with escapes and `${VAR}` expansion, unquoted values with
 * expansion and ` #` comments, a bare `KEY` taken from the environment when set there.
 */
import { InterpolationError, interpolateString, type Lookup } from "./interpolate.js";

export class DotenvError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(message);
    this.line = line;
  }
}

export function parseDotenv(text: string, lookup: Lookup = () => undefined): Record<string, string> {
  const vars: Record<string, string> = {};
  const expand = (s: string, line: number) => {
    try {
      return interpolateString(s, (n) => (Object.hasOwn(vars, n) ? vars[n] : lookup(n)));
    } catch (e) {
      if (e instanceof InterpolationError) throw new DotenvError(line, e.message);
      throw e;
    }
  };
  const src = text.replace(/\r\n?/g, "\n");
  let i = 0;
  let line = 1;
  while (i < src.length) {
    let end = src.indexOf("\n", i);
    if (end < 0) end = src.length;
    const raw = src.slice(i, end);
    const startLine = line;
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) {
      i = end + 1;
      line++;
      continue;
    }
    const m = /^\s*(?:export\s+)?([^\s=#]+)\s*(=?)\s*/.exec(raw);
    if (!m || !/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(m[1]!)) {
      throw new DotenvError(startLine, `unexpected character in variable name: ${JSON.stringify(trimmed)}`);
    }
    const key = m[1]!;
    if (m[2] !== "=") {
      if (raw.slice(m[0].length).trim() !== "") throw new DotenvError(startLine, `expected "=" after ${key}`);
      const v = lookup(key);
      if (v !== undefined) vars[key] = v;
      i = end + 1;
      line++;
      continue;
    }
    let pos = i + m[0].length;
    const q = src[pos];
    if (q === "'" || q === '"') {
      let value = "";
      pos++;
      while (pos < src.length && src[pos] !== q) {
        const c = src[pos]!;
        if (c === "\n") line++;
        if (q === '"' && c === "\\" && pos + 1 < src.length) {
          const n = src[pos + 1]!;
          value += n === "n" ? "\n" : n === "r" ? "\r" : n === "t" ? "\t" : n === "$" ? "$$" : n;
          pos += 2;
          continue;
        }
        value += q === "'" && c === "$" ? "$$" : c;
        pos++;
      }
      if (pos >= src.length) throw new DotenvError(startLine, `unterminated quoted value for ${key}`);
      vars[key] = q === "'" ? value.replaceAll("$$", "$") : expand(value, startLine);
      const after = src.indexOf("\n", pos);
      const tail = src.slice(pos + 1, after < 0 ? src.length : after).trim();
      if (tail !== "" && !tail.startsWith("#"))
        throw new DotenvError(
          line,
          `unexpected text after the quoted value of ${key}: ${JSON.stringify(tail)}`,
        );
      i = after < 0 ? src.length : after + 1;
      line++;
      continue;
    }
    let value = src.slice(pos, end);
    const hash = value.search(/\s#/);
    if (hash >= 0) value = value.slice(0, hash);
    vars[key] = expand(value.trim(), startLine);
    i = end + 1;
    line++;
  }
  return vars;
}
