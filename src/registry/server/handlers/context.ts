import type { IncomingMessage, ServerResponse } from "node:http";
import type { RegistryStorage } from "../storage.js";
import type { Uploads } from "../uploads.js";

/** What a handler gets: the request, its parsed URL, and the registry's storage. */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  storage: RegistryStorage;
  uploads: Uploads;
}

export function sendJson(
  ctx: RequestContext,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  const body = Buffer.from(`${JSON.stringify(value)}\n`);
  ctx.res.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": String(body.length),
    ...headers,
  });
  ctx.res.end(ctx.req.method === "HEAD" ? undefined : body);
}

export function sendEmpty(ctx: RequestContext, status: number, headers: Record<string, string> = {}): void {
  ctx.res.writeHead(status, { "Content-Length": "0", ...headers });
  ctx.res.end();
}

/** The request's Content-Length, when it sent one. */
export function contentLength(ctx: RequestContext): number | undefined {
  const v = ctx.req.headers["content-length"];
  return v === undefined || !/^\d+$/.test(v) ? undefined : Number(v);
}

/** Reads the body, up to `max` bytes; returns undefined (and stops reading) once it grows past `max`. */
export async function readBody(ctx: RequestContext, max: number): Promise<Buffer | undefined> {
  const declared = contentLength(ctx);
  if (declared !== undefined && declared > max) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > max) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Absolute-path URL of a repository's endpoint, e.g. blobLocation("a/b", "sha256:…"). */
export function blobLocation(name: string, digest: string): string {
  return `/v2/${name}/blobs/${digest}`;
}

export function manifestLocation(name: string, reference: string): string {
  return `/v2/${name}/manifests/${reference}`;
}

export function uploadLocation(name: string, uuid: string): string {
  return `/v2/${name}/blobs/uploads/${uuid}`;
}
