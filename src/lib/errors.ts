/**
 * Typed error kinds. Code throws a BerthError of a kind; each transport maps kinds to its own
 * codes exactly once (the Engine API in api/server/errors.ts, the CLI's exit codes in cli/).
 */

export type ErrorKind =
  | "invalid-argument" // 400
  | "unauthorized" // 401
  | "permission-denied" // 403
  | "not-found" // 404
  | "conflict" // 409 (also "already exists")
  | "failed-precondition" // 409 in Docker's wording for state conflicts (e.g. container running)
  | "not-modified" // 304
  | "unavailable" // 503
  | "not-implemented" // 501
  | "canceled" // 499-ish; the client went away
  | "internal"; // 500

export class BerthError extends Error {
  readonly kind: ErrorKind;
  override readonly cause?: unknown;
  constructor(kind: ErrorKind, message: string, options?: { cause?: unknown }) {
    super(message);
    this.name = "BerthError";
    this.kind = kind;
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

export const invalidArgument = (msg: string, cause?: unknown) =>
  new BerthError("invalid-argument", msg, { cause });
export const notFound = (msg: string, cause?: unknown) => new BerthError("not-found", msg, { cause });
export const conflict = (msg: string, cause?: unknown) => new BerthError("conflict", msg, { cause });
export const failedPrecondition = (msg: string, cause?: unknown) =>
  new BerthError("failed-precondition", msg, { cause });
export const unauthorized = (msg: string, cause?: unknown) => new BerthError("unauthorized", msg, { cause });
export const permissionDenied = (msg: string, cause?: unknown) =>
  new BerthError("permission-denied", msg, { cause });
export const unavailable = (msg: string, cause?: unknown) => new BerthError("unavailable", msg, { cause });
export const notImplemented = (msg: string) => new BerthError("not-implemented", msg);
export const internal = (msg: string, cause?: unknown) => new BerthError("internal", msg, { cause });

export function isKind(err: unknown, kind: ErrorKind): boolean {
  return err instanceof BerthError && err.kind === kind;
}

export function kindOf(err: unknown): ErrorKind {
  return err instanceof BerthError ? err.kind : "internal";
}

/** Adds context to an error and keeps its kind: wrap(e, "loading layer sha256:ab…"). */
export function wrap(err: unknown, context: string): BerthError {
  const kind = kindOf(err);
  const msg = err instanceof Error ? err.message : String(err);
  return new BerthError(kind, `${context}: ${msg}`, { cause: err });
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Node's system errors (ENOENT, EEXIST, ...). */
export function errnoCode(err: unknown): string | undefined {
  return typeof err === "object" && err !== null && "code" in err
    ? String((err as { code: unknown }).code)
    : undefined;
}
