/**
 * Source locations and the located error of the Dockerfile frontend (BuildKit's parser.LocationError).
 *
 * Lines and columns are 1-based. Inner helpers (shell-words, flags, mounts) throw plain BerthErrors
 * without a location; the parser and the instruction parser attach the instruction's range with
 * `locate`, so every error that leaves this module names the file, the line and the column.
 */
import { BerthError, errorMessage } from "../../lib/errors.js";

export interface Position {
  line: number;
  column: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface DockerfileErrorOptions {
  file: string;
  line: number;
  column?: number;
  range?: Range;
  cause?: unknown;
}

/** A Dockerfile error with its location: the message reads "Dockerfile:3:1: unknown instruction: FORM". */
export class DockerfileError extends BerthError {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly range: Range;
  /** The message without the location prefix (BuildKit's wording). */
  readonly detail: string;

  constructor(detail: string, options: DockerfileErrorOptions) {
    const column = options.column ?? 1;
    super("invalid-argument", `${options.file}:${options.line}:${column}: ${detail}`, {
      cause: options.cause,
    });
    this.name = "DockerfileError";
    this.file = options.file;
    this.line = options.line;
    this.column = column;
    this.detail = detail;
    this.range = options.range ?? {
      start: { line: options.line, column },
      end: { line: options.line, column },
    };
  }
}

/** Attaches a location to an error; a DockerfileError keeps the (more precise) location it has. */
export function locate(err: unknown, file: string, range: Range): DockerfileError {
  if (err instanceof DockerfileError) return err;
  return new DockerfileError(errorMessage(err), {
    file,
    line: range.start.line,
    column: range.start.column,
    range,
    cause: err,
  });
}
