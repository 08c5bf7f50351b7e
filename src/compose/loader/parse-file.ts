/**
 * One compose file from text to canonical document: YAML → interpolation → schema validation →
 * canonical form. Every error names the file, the line:column when known and the document path.
 */
import { CanonicalError, canonicalFile } from "./canonical.js";
import { COMPOSE_SCHEMA } from "./compose-schema.js";
import { composeError, type DocPath } from "./errors.js";
import { InterpolationPathError, interpolateTree, isPlainObject, type Lookup } from "./interpolate.js";
import { applyCoercions, validateSchema } from "./schema-validate.js";
import { parseYamlFile } from "./yaml-file.js";

export interface ParsedFile {
  file: string;
  dict: Record<string, unknown>;
  locate(path: DocPath): { line: number; col: number } | undefined;
}

/** How many schema violations one error message lists. */
const MAX_LISTED = 5;

export function parseComposeFile(
  file: string,
  text: string,
  lookup: Lookup,
  warn: (m: string) => void,
): ParsedFile {
  const y = parseYamlFile(file, text);
  const at = (path: DocPath) => ({ file, path, ...y.locate(path) });
  if (!isPlainObject(y.value))
    throw composeError({ file }, "the top level must be a mapping (services:, networks:, ...)");
  let dict: Record<string, unknown>;
  try {
    dict = interpolateTree(y.value, lookup, (m) => warn(`${file}: ${m}`)) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof InterpolationPathError) throw composeError(at(e.path), e.detail);
    throw e;
  }
  const { violations, coercions } = validateSchema(COMPOSE_SCHEMA, dict);
  if (violations.length > 0) {
    const lines = violations
      .slice(0, MAX_LISTED)
      .map((v) => composeError({ ...at(v.path), ...y.locate(v.at ?? v.path) }, v.message).message);
    if (violations.length > MAX_LISTED) lines.push(`... and ${violations.length - MAX_LISTED} more`);
    throw composeError({}, `invalid compose file:\n  ${lines.join("\n  ")}`);
  }
  applyCoercions(dict, coercions);
  if (dict.version !== undefined) warn(`${file}: the attribute "version" is obsolete, it is ignored`);
  delete dict.version;
  try {
    return { file, dict: canonicalFile(dict), locate: y.locate };
  } catch (e) {
    if (e instanceof CanonicalError) throw composeError(at(e.path), e.detail);
    throw e;
  }
}
