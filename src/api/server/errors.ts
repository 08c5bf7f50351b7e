/**
 * The one place where error kinds become HTTP status codes for the Engine API, and the one writer of
 * Docker's error body: {"message": "..."}.
 */
import type { ServerResponse } from "node:http";
import { BerthError, type ErrorKind } from "../../lib/errors.js";

const STATUS: Record<ErrorKind, number> = {
  "invalid-argument": 400,
  unauthorized: 401,
  "permission-denied": 403,
  "not-found": 404,
  conflict: 409,
  "failed-precondition": 409,
  "not-modified": 304,
  unavailable: 503,
  "not-implemented": 501,
  canceled: 499,
  internal: 500,
};

/** HTTP status for any thrown value: a BerthError's kind decides; anything else is a 500. */
export function httpStatusOf(err: unknown): number {
  return err instanceof BerthError ? STATUS[err.kind] : 500;
}

/** The message a client sees. */
export function errorMessageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === "string" ? err : "internal server error";
}

/**
 * Writes the error response. Headers already set on `res` (Api-Version, Server, ...) are kept.
 * A 304 carries no body, as HTTP requires. Does nothing once headers are out; see server.ts for that case.
 */
export function writeError(res: ServerResponse, err: unknown): void {
  if (res.headersSent || res.writableEnded) return;
  const status = httpStatusOf(err);
  if (status === 304) {
    res.writeHead(304);
    res.end();
    return;
  }
  const body = `${JSON.stringify({ message: errorMessageOf(err) })}\n`;
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(body),
  });
  res.end(body);
}

/** The in-band error line of a JSON message stream (pull, push, load, build progress). */
export function jsonStreamErrorLine(err: unknown): string {
  const message = errorMessageOf(err);
  return `${JSON.stringify({ errorDetail: { message }, error: message })}\n`;
}
