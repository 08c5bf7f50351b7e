import { type BerthError, invalidArgument } from "../../lib/errors.js";

/** A location in a compose document: keys and sequence indices from the root. */
export type DocPath = readonly (string | number)[];

/** `services.app.ports[1]` */
export function formatPath(path: DocPath): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out === "" ? seg : `.${seg}`;
  }
  return out;
}

/** Where an error sits: the file, optionally a line:column, the document path. */
export interface Where {
  file?: string;
  path?: DocPath;
  line?: number;
  col?: number;
}

/** An invalid-argument error whose message starts with the file, position and path it is about. */
export function composeError(where: Where, message: string): BerthError {
  const parts: string[] = [];
  if (where.file) parts.push(where.line ? `${where.file}:${where.line}:${where.col ?? 1}` : where.file);
  if (where.path && where.path.length > 0) parts.push(formatPath(where.path));
  return invalidArgument(parts.length > 0 ? `${parts.join(": ")}: ${message}` : message);
}
