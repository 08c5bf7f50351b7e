/**
 * The parts of Go's strconv package whose exact behaviour users of a docker-compatible CLI see:
 * flag values (ParseBool, ParseInt with base 0, ParseFloat), quoting (Quote) and float formatting
 * (FormatFloat with 'e', 'f' and 'g', shortest or fixed precision, round-half-even on exact ties).
 * (pure)
 */

import { invalidArgument } from "../lib/errors.js";

/** Go's strconv.NumError text: `strconv.ParseInt: parsing "abc": invalid syntax`. */
function numError(fn: string, input: string, reason: "invalid syntax" | "value out of range"): Error {
  return invalidArgument(`strconv.${fn}: parsing ${goQuote(input)}: ${reason}`);
}

/** strconv.ParseBool: 1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False. */
export function parseGoBool(s: string): boolean {
  switch (s) {
    case "1":
    case "t":
    case "T":
    case "TRUE":
    case "true":
    case "True":
      return true;
    case "0":
    case "f":
    case "F":
    case "FALSE":
    case "false":
    case "False":
      return false;
  }
  throw numError("ParseBool", s, "invalid syntax");
}

function underscoreOK(s: string): boolean {
  let saw = "^";
  let i = 0;
  let t = s;
  if (t.startsWith("-") || t.startsWith("+")) t = t.slice(1);
  let hex = false;
  if (t.length >= 2 && t[0] === "0" && /[box]/i.test(t[1] ?? "")) {
    i = 2;
    saw = "0";
    hex = (t[1] ?? "").toLowerCase() === "x";
  }
  for (; i < t.length; i++) {
    const c = t[i] ?? "";
    if ((c >= "0" && c <= "9") || (hex && /[a-f]/i.test(c))) {
      saw = "0";
      continue;
    }
    if (c === "_") {
      if (saw !== "0") return false;
      saw = "_";
      continue;
    }
    if (saw === "_") return false;
    saw = "!";
  }
  return saw !== "_";
}

/**
 * strconv.ParseInt(s, 0, bitSize): optional sign, then 0x/0o/0b/0 prefixes and `_` separators as in
 * Go literals. Returns a bigint so 64-bit values survive; throws Go's NumError text.
 */
export function parseGoIntBig(s: string, bitSize = 64): bigint {
  const fn = "ParseInt";
  if (s === "") throw numError(fn, s, "invalid syntax");
  let body = s;
  let neg = false;
  if (body[0] === "+") body = body.slice(1);
  else if (body[0] === "-") {
    neg = true;
    body = body.slice(1);
  }
  if (body === "") throw numError(fn, s, "invalid syntax");
  let base = 10;
  if (body[0] === "0") {
    const p = (body[1] ?? "").toLowerCase();
    if (body.length >= 3 && (p === "b" || p === "o" || p === "x")) {
      base = p === "b" ? 2 : p === "o" ? 8 : 16;
      body = body.slice(2);
    } else {
      base = 8;
      body = body.slice(1);
    }
  }
  let underscores = false;
  let n = 0n;
  const limit = 1n << BigInt(bitSize - 1);
  let overflow = false;
  for (const c of body) {
    if (c === "_") {
      underscores = true;
      continue;
    }
    const d = Number.parseInt(c, 36);
    if (Number.isNaN(d) || d >= base) throw numError(fn, s, "invalid syntax");
    n = n * BigInt(base) + BigInt(d);
    if (n > limit) overflow = true;
  }
  if (overflow || (!neg && n >= limit)) throw numError(fn, s, "value out of range");
  if (underscores && !underscoreOK(s)) throw numError(fn, s, "invalid syntax");
  return neg ? -n : n;
}

/** parseGoIntBig as a JS number (exact up to 2^53). */
export function parseGoInt(s: string, bitSize = 64): number {
  return Number(parseGoIntBig(s, bitSize));
}

const FLOAT_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL_FLOAT_RE = /^[+-]?(?:inf|infinity|nan)$/i;

/** strconv.ParseFloat(s, 64) for decimal syntax, `_` separators and inf/infinity/nan (no hex floats). */
export function parseGoFloat(s: string): number {
  const plain = s.includes("_") && underscoreOK(s) ? s.replaceAll("_", "") : s;
  if (FLOAT_RE.test(plain)) {
    const v = Number(plain);
    if (!Number.isFinite(v)) throw numError("ParseFloat", s, "value out of range");
    return v;
  }
  if (SPECIAL_FLOAT_RE.test(s)) {
    const neg = s.startsWith("-");
    if (/nan/i.test(s)) return Number.NaN;
    return neg ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  throw numError("ParseFloat", s, "invalid syntax");
}

const QUOTE_ESCAPES: Record<string, string> = {
  "\x07": "\\a",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\v": "\\v",
  "\\": "\\\\",
  '"': '\\"',
};

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isGoPrintable(cp: number): boolean {
  if (cp === 0x20) return true;
  if (cp < 0x20 || cp === 0x7f || (cp >= 0xd800 && cp <= 0xdfff)) return false;
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(String.fromCodePoint(cp));
}

/** strconv.Quote: a double-quoted Go string literal with Go's escapes. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const esc = QUOTE_ESCAPES[ch];
    if (esc !== undefined) {
      out += esc;
      continue;
    }
    const cp = ch.codePointAt(0) ?? 0;
    if (isGoPrintable(cp)) out += ch;
    else if (cp < 0x80) out += `\\x${hex(cp, 2)}`;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += "\\ufffd";
    else if (cp < 0x10000) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return `${out}"`;
}

/** strconv.QuoteRune: 'a', '\n', '\x00'. */
export function goQuoteRune(cp: number): string {
  if (cp === 0x27) return "'\\''";
  if (cp === 0x22) return "'\"'";
  const inner = goQuote(String.fromCodePoint(cp)).slice(1, -1);
  return `'${inner}'`;
}

/** A decimal expansion: value = 0.d1d2d3... × 10^dp; digits has no trailing zeros ("" for zero). */
interface Decimal {
  digits: string;
  dp: number;
}

function trimDecimal(d: Decimal): Decimal {
  let digits = d.digits.replace(/0+$/, "");
  let dp = d.dp;
  const lead = digits.length - digits.replace(/^0+/, "").length;
  digits = digits.slice(lead);
  dp -= lead;
  if (digits === "") dp = 0;
  return { digits, dp };
}

/** The exact decimal value of a finite, non-negative double. */
function exactDecimal(v: number): Decimal {
  if (v === 0) return { digits: "", dp: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (biased === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = biased - 1075;
  }
  if (exp >= 0) {
    const s = (mant << BigInt(exp)).toString();
    return trimDecimal({ digits: s, dp: s.length });
  }
  const s = (mant * 5n ** BigInt(-exp)).toString();
  return trimDecimal({ digits: s, dp: s.length + exp });
}

/** The shortest digits that round-trip (what Go's FormatFloat uses for precision -1). */
function shortestDecimal(v: number): Decimal {
  if (v === 0) return { digits: "", dp: 0 };
  const [mant = "", e = "0"] = v.toExponential().split("e");
  const digits = mant.replace(".", "");
  return trimDecimal({ digits, dp: Number(e) + 1 });
}

/** Rounds to nd significant digits, half to even on exact ties (Go's decimal.Round). */
function roundDecimal(d: Decimal, nd: number): Decimal {
  if (nd < 0) return { digits: "", dp: 0 };
  if (nd >= d.digits.length) return d;
  const next = d.digits.charCodeAt(nd) - 48;
  let up: boolean;
  if (next > 5) up = true;
  else if (next < 5) up = false;
  else if (nd + 1 < d.digits.length) up = true;
  else up = nd > 0 && (d.digits.charCodeAt(nd - 1) - 48) % 2 === 1;
  if (!up) return trimDecimal({ digits: d.digits.slice(0, nd), dp: d.dp });
  const arr = d.digits.slice(0, nd).split("");
  let i = nd - 1;
  while (i >= 0 && arr[i] === "9") {
    arr[i] = "0";
    i--;
  }
  if (i < 0) return { digits: "1", dp: d.dp + 1 };
  arr[i] = String(Number(arr[i]) + 1);
  return trimDecimal({ digits: arr.join(""), dp: d.dp });
}

function digitAt(d: Decimal, i: number): string {
  return i >= 0 && i < d.digits.length ? (d.digits[i] ?? "0") : "0";
}

function fmtE(d: Decimal, prec: number, upper: boolean): string {
  let out = d.digits === "" ? "0" : digitAt(d, 0);
  if (prec > 0) {
    out += ".";
    for (let i = 1; i <= prec; i++) out += digitAt(d, i);
  }
  const exp = d.digits === "" ? 0 : d.dp - 1;
  const sign = exp < 0 ? "-" : "+";
  const abs = Math.abs(exp);
  return `${out}${upper ? "E" : "e"}${sign}${abs < 10 ? `0${abs}` : abs}`;
}

function fmtF(d: Decimal, prec: number): string {
  let out = "";
  if (d.dp > 0) {
    for (let i = 0; i < d.dp; i++) out += digitAt(d, i);
  } else out = "0";
  if (prec > 0) {
    out += ".";
    for (let i = 0; i < prec; i++) out += digitAt(d, d.dp + i);
  }
  return out;
}

/**
 * strconv.FormatFloat(v, fmt, prec, 64) for fmt 'e', 'E', 'f', 'g', 'G'; prec -1 means the shortest
 * representation that round-trips. NaN and ±Inf print as Go does ("NaN", "+Inf", "-Inf").
 */
export function formatGoFloat(v: number, fmt: "e" | "E" | "f" | "g" | "G", prec: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "+Inf";
  if (v === Number.NEGATIVE_INFINITY) return "-Inf";
  const neg = v < 0 || Object.is(v, -0);
  const abs = Math.abs(v);
  const shortest = prec < 0;
  let d: Decimal;
  if (shortest) d = shortestDecimal(abs);
  else {
    const exact = exactDecimal(abs);
    if (fmt === "e" || fmt === "E") d = roundDecimal(exact, prec + 1);
    else if (fmt === "f") d = roundDecimal(exact, exact.dp + prec);
    else d = roundDecimal(exact, prec === 0 ? 1 : prec);
  }
  let body: string;
  if (fmt === "e" || fmt === "E") {
    body = fmtE(d, shortest ? Math.max(d.digits.length - 1, 0) : prec, fmt === "E");
  } else if (fmt === "f") {
    body = fmtF(d, shortest ? Math.max(d.digits.length - d.dp, 0) : prec);
  } else {
    let p = shortest ? d.digits.length : prec === 0 ? 1 : prec;
    let eprec = p;
    if (eprec > d.digits.length && d.digits.length >= d.dp) eprec = d.digits.length;
    if (shortest) eprec = 6;
    const exp = d.dp - 1;
    if (d.digits !== "" && (exp < -4 || exp >= eprec)) {
      if (p > d.digits.length) p = d.digits.length;
      body = fmtE(d, Math.max(p - 1, 0), fmt === "G");
    } else {
      if (p > d.dp) p = d.digits.length;
      body = fmtF(d, Math.max(p - d.dp, 0));
    }
  }
  return neg ? `-${body}` : body;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
};

/**
 * One possibly escaped character of a Go literal at s[i] (strconv.UnquoteChar): returns the
 * text it stands for and the index after it, or undefined for a syntax error.
 */
export function goUnquoteChar(s: string, i: number, quote: string): [string, number] | undefined {
  const c = s[i];
  if (c === undefined) return undefined;
  if (c === quote && (quote === "'" || quote === '"')) return undefined;
  if (c !== "\\") {
    const ch = String.fromCodePoint(s.codePointAt(i) ?? 0);
    return [ch, i + ch.length];
  }
  const e = s[i + 1];
  if (e === undefined) return undefined;
  const simple = SIMPLE_ESCAPES[e];
  if (simple !== undefined) return [simple, i + 2];
  if (e === quote && (quote === "'" || quote === '"')) return [e, i + 2];
  const hexLen = e === "x" ? 2 : e === "u" ? 4 : e === "U" ? 8 : 0;
  if (hexLen > 0) {
    const digits = s.slice(i + 2, i + 2 + hexLen);
    if (!new RegExp(`^[0-9a-fA-F]{${hexLen}}$`).test(digits)) return undefined;
    const v = Number.parseInt(digits, 16);
    if (e === "x") {
      // A byte; bytes ≥ 0x80 are not valid text on their own, keep them as Latin-1.
      return [String.fromCharCode(v), i + 4];
    }
    if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return undefined;
    return [String.fromCodePoint(v), i + 2 + hexLen];
  }
  if (e >= "0" && e <= "7") {
    const digits = s.slice(i + 1, i + 4);
    if (!/^[0-7]{3}$/.test(digits)) return undefined;
    const v = Number.parseInt(digits, 8);
    if (v > 255) return undefined;
    return [String.fromCharCode(v), i + 4];
  }
  return undefined;
}

/** strconv.Unquote for "double-quoted" and `raw` Go string literals; undefined on a syntax error. */
export function goUnquote(s: string): string | undefined {
  if (s.length < 2) return undefined;
  const q = s[0];
  if (q !== s[s.length - 1]) return undefined;
  const body = s.slice(1, -1);
  if (q === "`") return body.includes("`") ? undefined : body.replaceAll("\r", "");
  if (q !== '"') return undefined;
  let out = "";
  let i = 0;
  while (i < body.length) {
    if (body[i] === "\n") return undefined;
    const r = goUnquoteChar(body, i, '"');
    if (r === undefined) return undefined;
    out += r[0];
    i = r[1];
  }
  return out;
}
