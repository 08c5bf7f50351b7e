/**
 * Shell wildcard patterns of ${VAR#pat}, ${VAR%pat} and ${VAR/pat/repl} (BuildKit's
 * convertShellPatternToRegex): `?` one character, `*` any string (shortest or longest), `\`
 * escapes `*`, `?` and `\`. Bracket expressions are not supported.
 */
/**
 * A shell wildcard pattern (`?` one character, `*` any string, `\` escapes `*`, `?` and `\`) as a
 * regular expression; `\}` and `\/` drop the backslash (they were escaped for the ${} syntax).
 */
export function shellPatternToRegex(
  pattern: string,
  greedy: boolean,
  anchored: boolean,
  global = false,
): RegExp {
  const chars = Array.from(pattern);
  let out = anchored ? "^" : "";
  for (let i = 0; i < chars.length; i++) {
    const tok = chars[i]!;
    if (tok === "*") out += greedy ? "[^\\n]*" : "[^\\n]*?";
    else if (tok === "?") out += "[^\\n]";
    else if (tok === "\\") {
      const next = chars[i + 1];
      if (next === "}" || next === "/") continue;
      i++;
      if (next !== "*" && next !== "?" && next !== "\\") {
        throw new Error(`invalid pattern (${pattern}) in substitution: invalid escape '\\${next ?? ""}'`);
      }
      out += `\\${next}`;
    } else if ("[]{}.+()|^$".includes(tok)) out += `\\${tok}`;
    else out += tok;
  }
  return new RegExp(out, global ? "gu" : "u");
}

export function trimPrefix(pattern: string, value: string, greedy: boolean): string {
  const m = shellPatternToRegex(pattern, greedy, true).exec(value);
  return m ? value.slice(m[0].length) : value;
}

/** Reverses a pattern without reversing its escapes: a\*c → c\*a. */
function reversePattern(pattern: string): string {
  const src = Array.from(pattern);
  const out: string[] = new Array(src.length);
  const last = src.length - 1;
  for (let i = 0; i <= last; ) {
    const tok = src[i]!;
    if (tok === "\\" && i !== last) {
      out[last - i - 1] = tok;
      out[last - i] = src[i + 1]!;
      i += 2;
    } else {
      out[last - i] = tok;
      i++;
    }
  }
  return out.join("");
}

function reverse(s: string): string {
  return Array.from(s).reverse().join("");
}

export function trimSuffix(pattern: string, value: string, greedy: boolean): string {
  return reverse(trimPrefix(reversePattern(pattern), reverse(value), greedy));
}
