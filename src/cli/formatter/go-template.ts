/**
 * Go text/template, as docker's --format speaks it.
 *
 *   compileTemplate("{{.ID}}\t{{.Names | upper}}").execute({ ID: "f00", Names: "web" })
 *   // "f00\tWEB"
 *
 * Language: text and {{actions}}; fields `.A.B`, `.` and `$` (the root); variables `$x := pipeline`
 * and `$x = pipeline`; pipelines `a | f b`; parentheses; string ("..." and `...`), number, char,
 * bool and nil literals; {{if}}/{{else if}}/{{else}}/{{end}}, {{with}}, {{range}} (over arrays,
 * maps in key order, integers; `$i, $e :=`; {{else}}, {{break}}, {{continue}}); comments
 * `{{/* ... *\/}}`; trimming `{{- ` and ` -}}`. Not supported: define, template, block.
 *
 * Functions: Go's and, or, not, len, index, slice, call, print, printf, println, html, js,
 * urlquery, eq, ne, lt, le, gt, ge; docker's json, split, join, title, lower, upper, pad, truncate;
 * plus any given in CompileOptions.funcs.
 *
 * Values print as Go prints the equivalent decoded JSON: arrays `[a b]`, objects `map[a:1 b:2]`
 * (sorted keys), null `<nil>`, a missing key `<no value>`. Errors are BerthError(invalid-argument)
 * with Go's text, e.g. `template: :1: unclosed action` or
 * `template: :1:2: executing "" at <.A.B>: can't evaluate field B in type string`. (pure)
 */

import { executeTemplate } from "./_template-exec.js";
import { BUILTIN_FUNCS, DOCKER_FUNCS, type TemplateFunc } from "./_template-funcs.js";
import type { ListNode } from "./_template-nodes.js";
import { parseTemplate } from "./_template-parse.js";

export type { ArgKind, TemplateFunc } from "./_template-funcs.js";
export { HEADER_FUNCS } from "./_template-funcs.js";

export interface CompileOptions {
  /** The template's name in error messages; docker's templates are unnamed (""). */
  readonly name?: string;
  /** Extra functions, or replacements for the standard ones. */
  readonly funcs?: Readonly<Record<string, TemplateFunc>>;
}

export interface ExecuteOptions {
  /** Replaces functions of the same names for this run (docker renders table headers this way). */
  readonly funcs?: Readonly<Record<string, TemplateFunc>>;
  /** On an evaluation error return the text written before it instead of throwing. */
  readonly partialOnError?: boolean;
}

export interface Template {
  readonly source: string;
  /** Renders the template with `.` and `$` set to data. Throws on evaluation errors. */
  execute(data: unknown, options?: ExecuteOptions): string;
}

/** Parses a template; throws BerthError(invalid-argument) with Go's parse error text. */
export function compileTemplate(source: string, options: CompileOptions = {}): Template {
  const name = options.name ?? "";
  const funcs = new Map<string, TemplateFunc>([
    ...Object.entries(BUILTIN_FUNCS),
    ...Object.entries(DOCKER_FUNCS),
    ...Object.entries(options.funcs ?? {}),
  ]);
  const root: ListNode = parseTemplate(source, { name, hasFunction: (f) => funcs.has(f) });
  return {
    source,
    execute(data: unknown, execOptions: ExecuteOptions = {}): string {
      let runFuncs: ReadonlyMap<string, TemplateFunc> = funcs;
      if (execOptions.funcs) runFuncs = new Map([...funcs, ...Object.entries(execOptions.funcs)]);
      const ctx = { name, source, funcs: runFuncs, partialOnError: execOptions.partialOnError === true };
      return executeTemplate(ctx, root, data);
    },
  };
}
