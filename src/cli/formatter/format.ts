/**
 * The --format option of list commands, with docker/cli's formatter semantics:
 *
 *   ""  or "table"        the command's default table
 *   "table TEMPLATE"      a table: header row from the template, rows aligned by the tabwriter
 *   "json"                one JSON object per row and line, keys sorted
 *   anything else         the template, once per row, each followed by a newline
 *
 * Before parsing, spaces around the template are trimmed and the two-character sequences `\t`
 * and `\n` become a tab and a newline, so `--format 'table {{.ID}}\t{{.Names}}'` works from a shell.
 *
 *   renderFormat("table {{.Repository}}\t{{.Size}}", rows, {
 *     defaultTable: "{{.Repository}}\t{{.Tag}}", headers: { Repository: "REPOSITORY", Size: "SIZE" } })
 *
 * (pure)
 */

import { wrap } from "../../lib/errors.js";
import { compileTemplate, HEADER_FUNCS } from "./go-template.js";
import { goJSON } from "./json.js";
import { tabwrite } from "./table.js";

export type FormatOption =
  /** template undefined: the command's default columns. */
  | { readonly kind: "table"; readonly template?: string }
  | { readonly kind: "json" }
  | { readonly kind: "template"; readonly template: string };

/** docker/cli Format.templateString: trims spaces and expands the `\t`, `\n` escapes. */
export function preprocessTemplate(template: string): string {
  return template.replace(/^ +| +$/g, "").replace(/\\[tn]/g, (m) => (m === "\\t" ? "\t" : "\n"));
}

/** Classifies a --format value (docker/cli formatter.Format). */
export function parseFormatOption(format: string): FormatOption {
  if (format === "" || format === "table") return { kind: "table" };
  if (format === "json") return { kind: "json" };
  if (format.startsWith("table")) return { kind: "table", template: preprocessTemplate(format.slice(5)) };
  return { kind: "template", template: preprocessTemplate(format) };
}

export interface RenderFormatOptions {
  /** The command's default table columns, with or without the leading "table ". */
  readonly defaultTable: string;
  /** Header text by field name, e.g. { ID: "IMAGE ID", Repository: "REPOSITORY" }. */
  readonly headers: Readonly<Record<string, string>>;
}

function sortedRow(row: unknown): unknown {
  if (typeof row !== "object" || row === null || Array.isArray(row)) return row;
  // docker marshals each row context as a map of its exported getters: keys sorted.
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(row).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    out[k] = (row as Record<string, unknown>)[k];
  }
  return out;
}

/**
 * The output of a list command for its --format value: every line ends with a newline; a table
 * always has its header row, even without rows. Throws BerthError(invalid-argument) on template
 * errors, with docker's "template parsing error: " prefix.
 */
export function renderFormat(
  format: string | FormatOption,
  rows: readonly unknown[],
  options: RenderFormatOptions,
): string {
  const opt = typeof format === "string" ? parseFormatOption(format) : format;
  if (opt.kind === "json") return rows.map((r) => `${goJSON(sortedRow(r))}\n`).join("");
  let source: string;
  if (opt.kind === "template") source = opt.template;
  else source = opt.template ?? preprocessTemplate(options.defaultTable.replace(/^table(?= |$)/, ""));
  let template: ReturnType<typeof compileTemplate>;
  try {
    template = compileTemplate(source);
  } catch (err) {
    throw withPrefix(err);
  }
  let body = "";
  try {
    for (const row of rows) body += `${template.execute(row)}\n`;
    if (opt.kind === "template") return body;
    // docker ignores header errors and keeps what was written before them.
    const header = template.execute(options.headers, { funcs: HEADER_FUNCS, partialOnError: true });
    return tabwrite(`${header}\n${body}`);
  } catch (err) {
    throw withPrefix(err);
  }
}

function withPrefix(err: unknown): unknown {
  return wrap(err, "template parsing error");
}
