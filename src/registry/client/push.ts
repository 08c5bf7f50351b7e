/**
 * Pushing an image: every blob the registry lacks, then the manifest under a tag.
 *
 *   HEAD blobs/<d>                          200: "Layer already exists"
 *   POST blobs/uploads/?mount=<d>&from=<r>  201: mounted from another repository of the same registry
 *   POST blobs/uploads/                     202 + Location: an upload session
 *     small blob:  PUT <location>?digest=<d> with the bytes (monolithic)
 *     large blob:  PATCH <location> one chunk at a time (Content-Range), then PUT ?digest=<d>;
 *                  a registry that refuses PATCH gets the monolithic PUT instead
 *   PUT manifests/<tag>
 */
import type { Readable } from "node:stream";
import { Readable as ReadableStream } from "node:stream";
import type { Provider } from "../../content/store.js";
import type { Digest } from "../../lib/digest.js";
import { invalidArgument } from "../../lib/errors.js";
import type { Descriptor } from "../../oci/descriptor.js";
import { isNonDistributableLayer } from "../../oci/media-types.js";
import { repositoryScope } from "./challenge.js";
import { eachLimited } from "./pull.js";
import { type RegistrySession, registryError } from "./session.js";

export interface PushImage {
  manifest: { bytes: Buffer; mediaType: string; digest: Digest };
  config: Descriptor;
  layers: Descriptor[];
}

export type PushEvent =
  | { kind: "blob-preparing"; blob: Descriptor }
  | { kind: "blob-exists"; blob: Descriptor }
  | { kind: "blob-mounted"; blob: Descriptor; from: string }
  | { kind: "blob-progress"; blob: Descriptor; current: number }
  | { kind: "blob-pushed"; blob: Descriptor };

export interface PushOptions {
  /** Other repositories of this registry known to hold a blob (candidates for a cross-repo mount). */
  mountFrom?: (digest: Digest) => string[];
  concurrency?: number;
  /** Blobs larger than this go up in PATCH chunks of this size (default 16 MiB). */
  chunkSize?: number;
  onEvent?: (e: PushEvent) => void;
}

export async function pushImage(
  s: RegistrySession,
  store: Provider,
  repo: string,
  tag: string,
  img: PushImage,
  opts: PushOptions = {},
): Promise<void> {
  const layers = img.layers.filter((l) => !isNonDistributableLayer(l.mediaType));
  for (const l of layers) opts.onEvent?.({ kind: "blob-preparing", blob: l });
  const blobs = [...layers, img.config].filter(
    (b, i, all) => all.findIndex((o) => o.digest === b.digest) === i,
  );
  // The config goes up like a layer but, as in Docker, without progress lines of its own.
  const quiet: PushOptions = { ...opts, onEvent: undefined };
  await eachLimited(blobs, opts.concurrency ?? 3, (b) =>
    pushBlob(
      s,
      store,
      repo,
      b,
      b.digest === img.config.digest && !layers.some((l) => l.digest === b.digest) ? quiet : opts,
    ),
  );
  const res = await s.request({
    method: "PUT",
    path: `/v2/${repo}/manifests/${tag}`,
    scope: repositoryScope(repo, ["pull", "push"]),
    headers: { "Content-Type": img.manifest.mediaType, "Content-Length": String(img.manifest.bytes.length) },
    body: img.manifest.bytes,
  });
  if (res.statusCode !== 201 && res.statusCode !== 200 && res.statusCode !== 202) {
    throw await registryError(res, `pushing manifest ${repo}:${tag}`);
  }
  res.resume();
}

async function pushBlob(
  s: RegistrySession,
  store: Provider,
  repo: string,
  blob: Descriptor,
  opts: PushOptions,
): Promise<void> {
  const scope = repositoryScope(repo, ["pull", "push"]);
  const head = await s.request({ method: "HEAD", path: `/v2/${repo}/blobs/${blob.digest}`, scope });
  head.resume();
  if (head.statusCode === 200) {
    opts.onEvent?.({ kind: "blob-exists", blob });
    return;
  }
  let location: string | undefined;
  for (const from of (opts.mountFrom?.(blob.digest) ?? []).filter((r) => r !== repo).slice(0, 3)) {
    const res = await s.request({
      method: "POST",
      path: `/v2/${repo}/blobs/uploads/?mount=${blob.digest}&from=${encodeURIComponent(from)}`,
      scope: `${scope} ${repositoryScope(from, ["pull"])}`,
      headers: { "Content-Length": "0" },
    });
    res.resume();
    if (res.statusCode === 201) {
      opts.onEvent?.({ kind: "blob-mounted", blob, from });
      return;
    }
    if (res.statusCode === 202 && res.headers.location) {
      location = res.headers.location;
      break;
    }
  }
  let minChunk = 0;
  if (!location) {
    const res = await s.request({
      method: "POST",
      path: `/v2/${repo}/blobs/uploads/`,
      scope,
      headers: { "Content-Length": "0" },
    });
    if (res.statusCode !== 202 || !res.headers.location) {
      throw await registryError(res, `starting upload of ${blob.digest.slice(0, 19)} to ${repo}`);
    }
    res.resume();
    location = res.headers.location;
    minChunk = Number(res.headers["oci-chunk-min-length"] ?? 0) || 0;
  }
  const chunkSize = Math.max(opts.chunkSize ?? 16 * 1024 * 1024, minChunk);
  if (blob.size > chunkSize) {
    const done = await uploadChunked(s, store, blob, location, chunkSize, scope, opts);
    if (done) return;
  }
  await putBlob(s, location, blob, scope, () => counted(store, blob, 0, blob.size, 0, opts));
  opts.onEvent?.({ kind: "blob-pushed", blob });
}

function withDigest(location: string, digest: Digest): string {
  return `${location}${location.includes("?") ? "&" : "?"}digest=${encodeURIComponent(digest)}`;
}

async function putBlob(
  s: RegistrySession,
  location: string,
  blob: Descriptor,
  scope: string,
  body: (() => Readable) | Buffer,
): Promise<void> {
  const size = Buffer.isBuffer(body) ? body.length : blob.size;
  const res = await s.request({
    method: "PUT",
    path: withDigest(location, blob.digest),
    scope,
    headers: { "Content-Type": "application/octet-stream", "Content-Length": String(size) },
    body,
  });
  if (res.statusCode !== 201 && res.statusCode !== 204) {
    const e = await registryError(res, `uploading ${blob.digest.slice(0, 19)}`);
    throw e.kind === "invalid-argument" ? invalidArgument(`${e.message} (the registry refused the blob)`) : e;
  }
  res.resume();
}

/** PATCH chunks then PUT; false when the registry does not take PATCH (the caller PUTs it whole). */
async function uploadChunked(
  s: RegistrySession,
  store: Provider,
  blob: Descriptor,
  start: string,
  chunkSize: number,
  scope: string,
  opts: PushOptions,
): Promise<boolean> {
  let location = start;
  for (let offset = 0; offset < blob.size; offset += chunkSize) {
    const end = Math.min(blob.size, offset + chunkSize) - 1;
    const res = await s.request({
      method: "PATCH",
      path: location,
      scope,
      headers: {
        "Content-Type": "application/octet-stream",
        "Content-Length": String(end - offset + 1),
        "Content-Range": `${offset}-${end}`,
      },
      body: () => counted(store, blob, offset, end + 1, offset, opts),
    });
    if (offset === 0 && [404, 405, 501].includes(res.statusCode ?? 0)) {
      res.resume();
      return false;
    }
    if (res.statusCode !== 202 || !res.headers.location) {
      throw await registryError(res, `uploading chunk ${offset}-${end} of ${blob.digest.slice(0, 19)}`);
    }
    res.resume();
    location = res.headers.location;
  }
  await putBlob(s, location, blob, scope, Buffer.alloc(0));
  opts.onEvent?.({ kind: "blob-pushed", blob });
  return true;
}

/** Bytes [from, to) of a blob, reporting progress (base + bytes sent so far). */
function counted(
  store: Provider,
  blob: Descriptor,
  from: number,
  to: number,
  base: number,
  opts: PushOptions,
): Readable {
  const src = to > from ? store.readStream(blob.digest, { start: from, end: to - 1 }) : undefined;
  const onEvent = opts.onEvent;
  async function* gen(): AsyncGenerator<Buffer> {
    let sent = base;
    let last = 0;
    for await (const c of src ?? []) {
      const chunk = c as Buffer;
      sent += chunk.length;
      const now = Date.now();
      if (onEvent && now - last >= 100) {
        last = now;
        onEvent({ kind: "blob-progress", blob, current: sent });
      }
      yield chunk;
    }
    onEvent?.({ kind: "blob-progress", blob, current: sent });
  }
  return ReadableStream.from(gen(), { objectMode: false });
}
