/** Small response writers for route handlers, so handlers stay short and uniform. */
import type { ServerResponse } from "node:http";

/** Writes `value` as a JSON body (with Docker's trailing newline). */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = `${JSON.stringify(value)}\n`;
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(body),
  });
  res.end(body);
}

/** 204 No Content. */
export function sendNoContent(res: ServerResponse): void {
  res.writeHead(204);
  res.end();
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  contentType = "text/plain; charset=utf-8",
): void {
  res.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Starts a JSON message stream (one JSON value per line): headers go out at once so the client
 * sees progress immediately. Errors thrown after this are written in-band by the server.
 */
export function beginJsonStream(res: ServerResponse, status = 200): void {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.flushHeaders();
}

/** Writes one line of a JSON message stream; false when the client is gone or the buffer is full. */
export function writeJsonLine(res: ServerResponse, value: unknown): boolean {
  if (res.writableEnded || res.destroyed) return false;
  return res.write(`${JSON.stringify(value)}\n`);
}
