/**
 * Small re-implementations of the Go standard library behaviour the Dockerfile frontend depends
 * on (strconv.Quote, unicode.IsSpace, time.ParseDuration, strconv.ParseBool/ParseUint,
 * go-units RAMInBytes, the Levenshtein "did you mean" search of BuildKit's util/suggest).
 */
import { invalidArgument } from "../../lib/errors.js";

/** unicode.IsSpace: ASCII whitespace, NEL, NBSP and the Unicode White_Space characters. */
export function isGoSpace(ch: string): boolean {
  if (ch === "\u0085") return true;
  if (ch === "\ufeff") return false;
  return /^\s$/u.test(ch);
}

/** strings.TrimSpace. */
export function goTrimSpace(s: string): string {
  const chars = Array.from(s);
  let start = 0;
  let end = chars.length;
  while (start < end && isGoSpace(chars[start]!)) start++;
  while (end > start && isGoSpace(chars[end - 1]!)) end--;
  return chars.slice(start, end).join("");
}

/** strings.TrimLeftFunc(s, unicode.IsSpace). */
export function goTrimLeftSpace(s: string): string {
  let i = 0;
  for (const ch of s) {
    if (!isGoSpace(ch)) break;
    i += ch.length;
  }
  return s.slice(i);
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** strconv.Quote: a double-quoted Go string literal. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case "\\":
        out += "\\\\";
        continue;
      case "\u0007":
        out += "\\a";
        continue;
      case "\b":
        out += "\\b";
        continue;
      case "\f":
        out += "\\f";
        continue;
      case "\n":
        out += "\\n";
        continue;
      case "\r":
        out += "\\r";
        continue;
      case "\t":
        out += "\\t";
        continue;
      case "\v":
        out += "\\v";
        continue;
    }
    if (PRINTABLE.test(ch)) out += ch;
    else if (cp < 0x80) out += `\\x${cp.toString(16).padStart(2, "0")}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, "0")}`;
    else out += `\\U${cp.toString(16).padStart(8, "0")}`;
  }
  return `${out}"`;
}

/** fmt's %q of a []string: `["a" "b"]`. */
export function goQuoteList(items: readonly string[]): string {
  return `[${items.map(goQuote).join(" ")}]`;
}

/** strconv.ParseBool. */
export function goParseBool(s: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(s)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(s)) return false;
  return undefined;
}

/** strconv.ParseUint(s, base, 32) for bases 8 and 10; undefined when invalid or out of range. */
export function goParseUint32(s: string, base: 8 | 10): number | undefined {
  const re = base === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!re.test(s)) return undefined;
  const n = Number.parseInt(s, base);
  return n <= 0xffffffff ? n : undefined;
}

const DURATION_UNITS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** time.ParseDuration, in nanoseconds, with Go's error messages. */
export function parseGoDuration(input: string): number {
  const bad = () => invalidArgument(`time: invalid duration ${JSON.stringify(input)}`);
  let s = input;
  let sign = 1;
  if (s.startsWith("-") || s.startsWith("+")) {
    if (s[0] === "-") sign = -1;
    s = s.slice(1);
  }
  if (s === "0") return 0;
  if (s === "") throw bad();
  let total = 0;
  while (s !== "") {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    const [whole = "", intPart = "", frac] = m;
    if (intPart === "" && (frac === undefined || frac === "")) throw bad();
    s = s.slice(whole.length);
    const unit = /^[^0-9.]*/.exec(s)![0];
    if (unit === "") throw invalidArgument(`time: missing unit in duration ${JSON.stringify(input)}`);
    const scale = DURATION_UNITS[unit];
    if (scale === undefined) {
      throw invalidArgument(
        `time: unknown unit ${JSON.stringify(unit)} in duration ${JSON.stringify(input)}`,
      );
    }
    s = s.slice(unit.length);
    total += Number(`${intPart || "0"}.${frac ?? ""}0`) * scale;
  }
  return sign * Math.round(total);
}

const RAM_UNITS: Record<string, number> = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50 };

/** go-units RAMInBytes: "64m", "1.5g", "512kb", "100" (binary multiples). */
export function ramInBytes(s: string): number {
  const m = /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(s);
  if (!m) throw invalidArgument(`invalid size: '${s}'`);
  const n = Number.parseFloat(m[1]!);
  const unit = m[2]?.toLowerCase();
  return Math.trunc(unit ? n * RAM_UNITS[unit]! : n);
}

/** Levenshtein distance over code points (insert, delete, substitute all cost 1). */
export function levenshtein(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  let prev = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost));
    }
    prev = cur;
  }
  return prev[y.length]!;
}

/**
 * BuildKit's suggest.Search: the closest option within distance 2, undefined on an exact match or
 * when nothing is close. Case-insensitive search returns the option in the caller's casing style.
 */
export function suggest(
  value: string,
  options: readonly string[],
  caseSensitive: boolean,
): string | undefined {
  const val = caseSensitive ? value : value.toLowerCase();
  let best: string | undefined;
  let min = 3;
  for (const option of options) {
    const opt = caseSensitive ? option : option.toLowerCase();
    if (opt === val) return undefined;
    const d = levenshtein(val, opt);
    if (d < min) {
      min = d;
      best = caseSensitive ? opt : matchCase(opt, value);
    }
  }
  return best;
}

function matchCase(val: string, orig: string): string {
  if (orig === orig.toLowerCase()) return val.toLowerCase();
  if (orig === orig.toUpperCase()) return val.toUpperCase();
  return val;
}

/** Appends " (did you mean X?)" when a close option exists. */
export function withSuggestion(
  message: string,
  value: string,
  options: readonly string[],
  caseSensitive: boolean,
): string {
  const match = suggest(value, options, caseSensitive);
  return match === undefined ? message : `${message} (did you mean ${match}?)`;
}
