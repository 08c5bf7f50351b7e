/**
 * Go's fmt package as --format templates use it: Sprint, Sprintln, Sprintf and the %v printing
 * of values. JS values stand for the Go values a decoded API response holds:
 *
 *   undefined, null  → nil ("<nil>")          string  → string
 *   safe integer     → int                    other number → float64 (%v as strconv 'g', -1)
 *   boolean          → bool                   array   → []interface {} ("[a b]")
 *   Date             → time.Time              object  → map[string]interface {} ("map[a:1 b:2]", keys sorted)
 *
 * (pure)
 */

import { formatGoFloat, goQuote, goQuoteRune } from "../go-strconv.js";

/** Go's name for the type a JS value stands for (used by %T and error messages). */
export function goTypeName(v: unknown): string {
  if (v === undefined || v === null) return "<nil>";
  switch (typeof v) {
    case "string":
      return "string";
    case "number":
      return Number.isSafeInteger(v) ? "int" : "float64";
    case "bigint":
      return "int64";
    case "boolean":
      return "bool";
    case "function":
      return "func()";
  }
  if (Array.isArray(v)) return "[]interface {}";
  if (v instanceof Date) return "time.Time";
  return "map[string]interface {}";
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

/** time.Time.String() in UTC: "2024-01-02 03:04:05.5 +0000 UTC". */
export function goTimeString(d: Date): string {
  const frac = d.getUTCMilliseconds();
  const fracText = frac === 0 ? "" : `.${String(frac).padStart(3, "0").replace(/0+$/, "")}`;
  return (
    `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ` +
    `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}${fracText} +0000 UTC`
  );
}

/** Object keys in Go's map print order (sorted). */
export function sortedKeys(o: object): string[] {
  return Object.keys(o).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** fmt's %v for one value, as Fprint prints it. */
export function goString(v: unknown): string {
  return formatVerb(v, "v", NO_FLAGS);
}

interface Flags {
  minus: boolean;
  plus: boolean;
  space: boolean;
  zero: boolean;
  sharp: boolean;
  width?: number;
  prec?: number;
}

const NO_FLAGS: Flags = { minus: false, plus: false, space: false, zero: false, sharp: false };

function padText(s: string, f: Flags, zeroOk: boolean): string {
  if (f.width === undefined) return s;
  const len = [...s].length;
  if (len >= f.width) return s;
  const n = f.width - len;
  if (f.minus) return s + " ".repeat(n);
  if (f.zero && zeroOk) {
    const sign = /^[+\- ]/.test(s) ? (s[0] ?? "") : "";
    return sign + "0".repeat(n) + s.slice(sign.length);
  }
  return " ".repeat(n) + s;
}

/** fmt's text for a verb that does not fit the operand: %!d(string=abc), printed with its flags. */
function badVerb(verb: string, v: unknown, f: Flags): string {
  if (v === undefined || v === null) return `%!${verb}(<nil>)`;
  return `%!${verb}(${goTypeName(v)}=${formatVerb(v, "v", { ...f, sharp: false }, 1)})`;
}

function runeText(cp: number): string {
  return cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? "\ufffd" : String.fromCodePoint(cp);
}

function signed(s: string, f: Flags): string {
  if (s.startsWith("-")) return s;
  if (f.plus) return `+${s}`;
  if (f.space) return ` ${s}`;
  return s;
}

function fmtInteger(n: number | bigint, verb: string, f: Flags): string | undefined {
  const big = typeof n === "bigint" ? n : BigInt(n);
  const neg = big < 0n;
  const abs = neg ? -big : big;
  let digits: string;
  switch (verb) {
    case "v":
    case "d":
      digits = abs.toString(10);
      break;
    case "b":
      digits = abs.toString(2);
      break;
    case "o":
    case "O":
      digits = abs.toString(8);
      break;
    case "x":
      digits = abs.toString(16);
      break;
    case "X":
      digits = abs.toString(16).toUpperCase();
      break;
    case "c":
      return padText(runeText(Number(n)), f, false);
    case "q":
      return padText(goQuoteRune(runeText(Number(n)).codePointAt(0) ?? 0xfffd), f, false);
    case "U":
      return padText(`U+${abs.toString(16).toUpperCase().padStart(4, "0")}`, f, false);
    default:
      return undefined;
  }
  if (f.prec !== undefined) digits = digits.padStart(f.prec, "0");
  if (f.sharp) {
    if (verb === "x") digits = `0x${digits}`;
    else if (verb === "X") digits = `0X${digits}`;
    else if (verb === "o" && !digits.startsWith("0")) digits = `0${digits}`;
    else if (verb === "b") digits = `0b${digits}`;
  }
  if (verb === "O") digits = `0o${digits}`;
  return padText(signed(neg ? `-${digits}` : digits, f), f, f.prec === undefined);
}

function fmtFloat(n: number, verb: string, f: Flags): string | undefined {
  let s: string;
  switch (verb) {
    case "v":
      s = formatGoFloat(n, "g", f.prec ?? -1);
      break;
    case "e":
    case "E":
      s = formatGoFloat(n, verb, f.prec ?? 6);
      break;
    case "f":
    case "F":
      s = formatGoFloat(n, "f", f.prec ?? 6);
      break;
    case "g":
    case "G":
      s = formatGoFloat(n, verb, f.prec ?? -1);
      break;
    default:
      return undefined;
  }
  if (s === "+Inf" && !f.plus) s = f.space ? " Inf" : "+Inf";
  else if (s !== "NaN" && !s.startsWith("+")) s = signed(s, f);
  return padText(s, f, Number.isFinite(n));
}

function fmtStringValue(s: string, verb: string, f: Flags): string | undefined {
  let t = s;
  switch (verb) {
    case "v":
    case "s":
      if (f.prec !== undefined) t = [...t].slice(0, f.prec).join("");
      return padText(t, f, false);
    case "q":
      if (f.prec !== undefined) t = [...t].slice(0, f.prec).join("");
      return padText(f.sharp && !/[`\n\r]/.test(t) ? `\`${t}\`` : goQuote(t), f, false);
    case "x":
    case "X": {
      const prefix = f.sharp ? "0x" : "";
      const bytes = [...new TextEncoder().encode(t)].map((b) => b.toString(16).padStart(2, "0"));
      const out = f.space ? bytes.map((b) => prefix + b).join(" ") : prefix + bytes.join("");
      return padText(verb === "X" ? out.toUpperCase() : out, f, false);
    }
    default:
      return undefined;
  }
}

/** One operand formatted with one verb, recursing into arrays and maps as fmt does. */
function formatVerb(v: unknown, verb: string, flags: Flags, depth = 0): string {
  if (verb === "T") return padText(goTypeName(v), flags, false);
  if (verb === "v" && flags.sharp) return padText(goSyntax(v), flags, false);
  // %+v asks for struct field names, which maps do not have; it does not add signs.
  const f = verb === "v" && flags.plus ? { ...flags, plus: false } : flags;
  if (v === undefined || v === null) {
    // Nested nils print as <nil> whatever the verb; a nil operand only for %v.
    if (depth > 0) return "<nil>";
    return verb === "v" ? padText("<nil>", f, false) : badVerb(verb, v, f);
  }
  if (typeof v === "string") return fmtStringValue(v, verb, f) ?? badVerb(verb, v, f);
  if (typeof v === "boolean") {
    return verb === "v" || verb === "t" ? padText(String(v), f, false) : badVerb(verb, v, f);
  }
  if (typeof v === "bigint") return fmtInteger(v, verb, f) ?? badVerb(verb, v, f);
  if (typeof v === "number") {
    // Safe integers act as ints (%d, %x, %c, ...); any number may use the float verbs.
    const asInt = Number.isSafeInteger(v) ? fmtInteger(v, verb, f) : undefined;
    return asInt ?? fmtFloat(v, verb, f) ?? badVerb(verb, v, f);
  }
  if (v instanceof Date) {
    return verb === "v" || verb === "s" ? padText(goTimeString(v), f, false) : badVerb(verb, v, f);
  }
  if (Array.isArray(v)) return `[${v.map((e) => formatVerb(e, verb, f, depth + 1)).join(" ")}]`;
  if (typeof v === "function") return badVerb(verb, v, f);
  const o = v as Record<string, unknown>;
  const parts = sortedKeys(o).map(
    (k) => `${formatVerb(k, verb, f, depth + 1)}:${formatVerb(o[k], verb, f, depth + 1)}`,
  );
  return `map[${parts.join(" ")}]`;
}

/** %#v: a Go-syntax representation of the value. */
function goSyntax(v: unknown): string {
  if (v === undefined || v === null) return "interface {}(nil)";
  if (typeof v === "string") return goQuote(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map(goSyntax).join(", ")}}`;
  if (typeof v === "object" && !(v instanceof Date)) {
    const o = v as Record<string, unknown>;
    const parts = sortedKeys(o).map((k) => `${goQuote(k)}:${goSyntax(o[k])}`);
    return `map[string]interface {}{${parts.join(", ")}}`;
  }
  return goString(v);
}

/** fmt.Sprint: operands printed with %v, a space between two operands when neither is a string. */
export function goSprint(args: readonly unknown[]): string {
  let out = "";
  args.forEach((a, i) => {
    const prev = args[i - 1];
    if (i > 0 && typeof a !== "string" && typeof prev !== "string") out += " ";
    out += goString(a);
  });
  return out;
}

/** fmt.Sprintln: operands printed with %v, always separated by spaces, then a newline. */
export function goSprintln(args: readonly unknown[]): string {
  return `${args.map(goString).join(" ")}\n`;
}

function readNumber(format: string, i: number): [number | undefined, number] {
  let j = i;
  while (j < format.length && format[j]! >= "0" && format[j]! <= "9") j++;
  return j === i ? [undefined, i] : [Number(format.slice(i, j)), j];
}

/** fmt's argNumber: an explicit `[n]` argument index at format[i] → [argi, i, ok, seen]. */
function argIndex(
  format: string,
  i: number,
  argi: number,
  nargs: number,
): [number, number, boolean, boolean] {
  if (format[i] !== "[") return [argi, i, true, false];
  const close = format.indexOf("]", i);
  if (close < 0) return [argi, i + 1, false, true];
  const text = format.slice(i + 1, close);
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= 1 && n <= nargs)) return [argi, close + 1, false, true];
  return [n - 1, close + 1, true, true];
}

/**
 * fmt.Sprintf: flags (- + # 0 space), width and precision (digits or *), argument indexes %[n]d,
 * verbs v s d q x X o O b c U e E f F g G t T and %%. Mistakes print as Go prints them:
 * %!d(string=x), %!s(MISSING), %!(EXTRA int=1), %!(NOVERB), %!d(BADINDEX).
 */
export function goSprintf(format: string, args: readonly unknown[]): string {
  let out = "";
  let argi = 0;
  let reordered = false;
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf("%", i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const f: Flags = { ...NO_FLAGS };
    for (; i < format.length; i++) {
      const c = format[i];
      if (c === "-") {
        f.minus = true;
        f.zero = false;
      } else if (c === "+") f.plus = true;
      else if (c === " ") f.space = true;
      else if (c === "0") f.zero = !f.minus;
      else if (c === "#") f.sharp = true;
      else break;
    }
    let goodIndex = true;
    const index = (): void => {
      const [a, j, ok, seen] = argIndex(format, i, argi, args.length);
      argi = a;
      i = j;
      goodIndex &&= ok;
      reordered ||= seen;
    };
    index();
    if (format[i] === "*") {
      const w = args[argi++];
      if (typeof w === "number" && Number.isSafeInteger(w)) {
        f.width = Math.abs(w);
        if (w < 0) {
          f.minus = true;
          f.zero = false;
        }
      } else out += "%!(BADWIDTH)";
      i++;
    } else [f.width, i] = readNumber(format, i);
    if (format[i] === ".") {
      i++;
      index();
      if (format[i] === "*") {
        const p = args[argi++];
        if (typeof p === "number" && Number.isSafeInteger(p) && p >= 0) f.prec = p;
        else out += "%!(BADPREC)";
        i++;
      } else {
        const [p, j] = readNumber(format, i);
        f.prec = p ?? 0;
        i = j;
      }
    }
    index();
    if (i >= format.length) {
      out += "%!(NOVERB)";
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i) ?? 0);
    i += verb.length;
    if (verb === "%") {
      out += "%";
      continue;
    }
    if (!goodIndex) {
      out += `%!${verb}(BADINDEX)`;
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatVerb(args[argi++], verb, f);
  }
  if (!reordered && argi < args.length) {
    const extra = args.slice(argi).map((a) => (a == null ? "<nil>" : `${goTypeName(a)}=${goString(a)}`));
    out += `%!(EXTRA ${extra.join(", ")})`;
  }
  return out;
}
