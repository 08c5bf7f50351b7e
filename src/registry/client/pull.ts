/**
 * Pulling an image's blobs into the content store:
 *
 *   resolve   GET manifests/<tag|digest> (Accept: OCI and Docker manifests and indexes); a digest
 *             reference must match the bytes; an index picks the platform's manifest
 *   config    fetched and verified first (small; it names the layers' diff ids)
 *   layers    `concurrency` at a time; a blob already in the store is skipped; each is streamed
 *             into the store's ingest area, verified against its digest and size, then committed;
 *             an interrupted one is resumed with a Range request (by the retry here, or by a later
 *             pull) when the registry honours it
 *
 * Nothing here touches the image index: the caller commits the image once every blob is in.
 */
import type { IncomingMessage } from "node:http";
import { PassThrough, pipeline, type Readable, Transform } from "node:stream";
import type { ContentStore } from "../../content/store.js";
import { type Digest, sha256 } from "../../lib/digest.js";
import { BerthError, invalidArgument, isKind, notFound, wrap } from "../../lib/errors.js";
import { KeyedMutex } from "../../lib/lock.js";
import type { Descriptor } from "../../oci/descriptor.js";
import { matchPlatform, parseManifestOrIndex } from "../../oci/image-index.js";
import type { Manifest } from "../../oci/manifest.js";
import {
  DOCKER_MANIFEST,
  DOCKER_MANIFEST_LIST,
  isLayerMediaType,
  isNonDistributableLayer,
  OCI_INDEX,
  OCI_MANIFEST,
} from "../../oci/media-types.js";
import { formatPlatform, type PlatformSpec } from "../../oci/platform.js";
import { repositoryScope } from "./challenge.js";
import { type RegistrySession, registryError, registryErrorDetail } from "./session.js";
import { readBody, TransportError } from "./transport.js";

export const MANIFEST_ACCEPT = [DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, OCI_MANIFEST, OCI_INDEX].join(", ");
/** Docker's limit for manifests and indexes. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_CONFIG_BYTES = 8 * 1024 * 1024;
/** Attempts per blob (the later ones resume with Range). */
const BLOB_ATTEMPTS = 3;

export type PullEvent =
  | { kind: "layer-waiting"; layer: Descriptor }
  | { kind: "layer-exists"; layer: Descriptor }
  | { kind: "layer-progress"; layer: Descriptor; current: number }
  | { kind: "layer-verifying"; layer: Descriptor }
  | { kind: "layer-done"; layer: Descriptor }
  | { kind: "layer-retry"; layer: Descriptor; error: string };

export interface PullOptions {
  platform: PlatformSpec;
  /** Blobs downloaded at once (default 3). */
  concurrency?: number;
  onEvent?: (e: PullEvent) => void;
  /**
   * Called when a layer's download starts from its first byte, with a stream of the same bytes as
   * they arrive (for unpacking while downloading). The consumer must read it to the end or destroy
   * it; it ends before the digest is verified and errors when the download fails, so nothing made
   * from it may count before the layer's "layer-done" event.
   */
  tee?: (layer: Descriptor, body: Readable) => void;
}

export interface ResolvedManifest {
  bytes: Buffer;
  mediaType: string;
  digest: Digest;
}

/** GET one manifest or index by tag or digest; verifies a digest reference against the bytes. */
export async function fetchManifest(
  s: RegistrySession,
  repo: string,
  reference: string,
): Promise<ResolvedManifest> {
  const res = await s.request({
    method: "GET",
    path: `/v2/${repo}/manifests/${reference}`,
    scope: repositoryScope(repo, ["pull"]),
    headers: { Accept: MANIFEST_ACCEPT },
  });
  if (res.statusCode === 404) {
    const detail = await registryErrorDetail(res);
    throw notFound(`manifest for ${s.name}/${repo}${refSep(reference)}${reference} not found: ${detail}`);
  }
  if (res.statusCode !== 200)
    throw await registryError(res, `fetching manifest ${repo}${refSep(reference)}${reference}`);
  const bytes = await readBody(res, MAX_MANIFEST_BYTES, `manifest ${repo}${refSep(reference)}${reference}`);
  const digest = sha256(bytes);
  if (reference.startsWith("sha256:") && digest !== reference) {
    throw invalidArgument(
      `manifest ${reference} from ${s.name}/${repo} does not match its digest (got ${digest})`,
    );
  }
  const header = res.headers["docker-content-digest"];
  if (
    !reference.startsWith("sha256:") &&
    typeof header === "string" &&
    header.startsWith("sha256:") &&
    header !== digest
  ) {
    throw invalidArgument(
      `manifest ${repo}:${reference}: registry says digest ${header} but the bytes are ${digest}`,
    );
  }
  const contentType = String(res.headers["content-type"] ?? "");
  return { bytes, mediaType: contentType, digest };
}

function refSep(reference: string): string {
  return reference.startsWith("sha256:") ? "@" : ":";
}

/** Resolves a reference to one image manifest for `platform` (through an index when there is one). */
export async function resolveImage(
  s: RegistrySession,
  repo: string,
  reference: string,
  platform: PlatformSpec,
): Promise<{ resolvedDigest: Digest; manifest: ResolvedManifest; parsed: Manifest }> {
  let doc = await fetchManifest(s, repo, reference);
  const resolvedDigest = doc.digest;
  for (let depth = 0; depth < 4; depth++) {
    const parsed = parseManifestOrIndex(doc.bytes, doc.mediaType || undefined);
    if (parsed.kind === "manifest") {
      const mediaType =
        parsed.manifest.mediaType ??
        (doc.mediaType.startsWith("application/vnd.") ? doc.mediaType.split(";")[0]! : OCI_MANIFEST);
      return { resolvedDigest, manifest: { ...doc, mediaType }, parsed: parsed.manifest };
    }
    const pick = matchPlatform(parsed.index, platform);
    if (!pick) {
      const have = parsed.index.manifests
        .filter((m) => m.platform && m.platform.os !== "unknown")
        .map((m) => formatPlatform(m.platform!))
        .join(", ");
      throw notFound(
        `no matching manifest for ${formatPlatform(platform)} in the manifest list entries${have ? ` (it has ${have})` : ""}`,
      );
    }
    doc = await fetchManifest(s, repo, pick.digest);
    if (doc.bytes.length !== pick.size) {
      throw invalidArgument(
        `manifest ${pick.digest}: index says ${pick.size} bytes, got ${doc.bytes.length}`,
      );
    }
  }
  throw invalidArgument(`${repo}:${reference}: image indexes nested too deep`);
}

/** Pulls config and layers of a resolved manifest into the store; returns the config bytes. */
export async function fetchImageBlobs(
  s: RegistrySession,
  store: ContentStore,
  repo: string,
  parsed: Manifest,
  opts: PullOptions,
): Promise<Buffer> {
  for (const [i, l] of parsed.layers.entries()) {
    if (!isLayerMediaType(l.mediaType)) {
      throw invalidArgument(`layer ${i + 1} of ${repo} has media type "${l.mediaType}": not an image layer`);
    }
    if (isNonDistributableLayer(l.mediaType) && l.urls?.length) {
      throw invalidArgument(
        `layer ${l.digest} is a foreign layer (fetched from ${l.urls[0]}); berth does not fetch foreign layers`,
      );
    }
  }
  if (parsed.config.size > MAX_CONFIG_BYTES) {
    throw invalidArgument(`image config ${parsed.config.digest} is too large (${parsed.config.size} bytes)`);
  }
  await fetchBlob(s, store, repo, parsed.config);
  const config = await store.readBytes(parsed.config.digest);
  const layers = parsed.layers;
  const unique = layers.filter((l, i) => layers.findIndex((m) => m.digest === l.digest) === i);
  const missing: Descriptor[] = [];
  for (const l of unique) {
    if (await store.info(l.digest)) opts.onEvent?.({ kind: "layer-exists", layer: l });
    else {
      missing.push(l);
      opts.onEvent?.({ kind: "layer-waiting", layer: l });
    }
  }
  await eachLimited(missing, opts.concurrency ?? 3, async (l) => {
    await fetchBlob(s, store, repo, l, opts.onEvent, opts.tee);
    opts.onEvent?.({ kind: "layer-done", layer: l });
  });
  return config;
}

/** Runs fn over items with at most `limit` at once; the first failure stops new starts and is thrown. */
export async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed: unknown;
  const worker = async () => {
    while (failed === undefined && next < items.length) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (err) {
        failed ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failed !== undefined) throw failed;
}

/**
 * Downloads one blob into the store (verified, committed), resuming a partial one with Range.
 * Network failures are retried; a digest mismatch is not (the partial is dropped).
 */
export function fetchBlob(
  s: RegistrySession,
  store: ContentStore,
  repo: string,
  desc: Descriptor,
  onEvent?: (e: PullEvent) => void,
  tee?: (layer: Descriptor, body: Readable) => void,
): Promise<void> {
  // One download per digest at a time: two pulls sharing a layer must not write one partial file.
  return blobLocks.run(desc.digest, () => fetchBlobOnce(s, store, repo, desc, onEvent, tee));
}

const blobLocks = new KeyedMutex();

async function fetchBlobOnce(
  s: RegistrySession,
  store: ContentStore,
  repo: string,
  desc: Descriptor,
  onEvent?: (e: PullEvent) => void,
  tee?: (layer: Descriptor, body: Readable) => void,
): Promise<void> {
  if (await store.info(desc.digest)) return;
  const what = `blob ${desc.digest.slice(0, 19)} of ${s.name}/${repo}`;
  for (let attempt = 1; ; attempt++) {
    const offset = Math.min(await store.partialSize(desc.digest), desc.size);
    try {
      const res = await s.request({
        method: "GET",
        path: `/v2/${repo}/blobs/${desc.digest}`,
        scope: repositoryScope(repo, ["pull"]),
        headers: offset > 0 ? { Range: `bytes=${offset}-` } : {},
      });
      const status = res.statusCode ?? 0;
      let from = 0;
      if (status === 206 && offset > 0 && rangeStart(res) === offset) from = offset;
      else if (status === 416 && offset > 0) {
        res.resume();
        await store.abortPartial(desc.digest);
        throw new TransportError(`${what}: the registry refused to resume at ${offset}`);
      } else if (status === 404) {
        const detail = await registryErrorDetail(res);
        throw notFound(`${what} not found: the manifest names a blob the registry does not have (${detail})`);
      } else if (status !== 200) {
        throw await registryError(res, `fetching ${what}`);
      }
      const stages: NodeJS.ReadWriteStream[] = [];
      if (onEvent) stages.push(progressCounter(desc, from, onEvent));
      if (tee && from === 0) {
        const side = new PassThrough({ highWaterMark: 1 << 20 });
        // A failed download destroys the side with its error, maybe before the extraction reads it
        // (or after it gave up): that must not be an uncaught 'error'. The reader sees it anyway.
        side.on("error", () => {});
        stages.push(teeInto(side));
        tee(desc, side);
      }
      const body: Readable =
        stages.length > 0 ? (pipeline([res, ...stages], () => {}) as unknown as Readable) : res;
      await store.ingestAt(desc.digest, from, body, { digest: desc.digest, size: desc.size });
      return;
    } catch (err) {
      const transient =
        err instanceof TransportError || (isNetworkError(err) && !(err instanceof BerthError));
      if (!transient || attempt >= BLOB_ATTEMPTS) {
        if (isKind(err, "invalid-argument"))
          throw wrap(err, `${what} failed verification; nothing was stored`);
        throw err instanceof BerthError ? err : new TransportError(`${what}: ${(err as Error).message}`, err);
      }
      onEvent?.({ kind: "layer-retry", layer: desc, error: (err as Error).message });
    }
  }
}

function rangeStart(res: IncomingMessage): number | undefined {
  const m = /^bytes (\d+)-/.exec(String(res.headers["content-range"] ?? ""));
  return m ? Number(m[1]) : undefined;
}

function isNetworkError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return (
    (typeof code === "string" &&
      [
        "ECONNRESET",
        "EPIPE",
        "ETIMEDOUT",
        "ECONNREFUSED",
        "ERR_STREAM_PREMATURE_CLOSE",
        "ECONNABORTED",
      ].includes(code)) ||
    /aborted|socket hang up|premature close/i.test((err as Error)?.message ?? "")
  );
}

/** Passes a body through, reporting bytes (at most every 100 ms) and then "verifying". */
function progressCounter(layer: Descriptor, from: number, onEvent: (e: PullEvent) => void): Transform {
  let current = from;
  let lastSent = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      current += chunk.length;
      const now = Date.now();
      if (now - lastSent >= 100) {
        lastSent = now;
        onEvent({ kind: "layer-progress", layer, current });
      }
      cb(null, chunk);
    },
    flush(cb) {
      onEvent({ kind: "layer-progress", layer, current });
      onEvent({ kind: "layer-verifying", layer });
      cb();
    },
  });
}

/**
 * Passes a body through and writes the same bytes to `side` in pieces of at least 1 MiB (socket
 * reads are 64 KiB; gunzip makes one thread-pool round trip per piece), waiting for it to drain so
 * a slow consumer slows the download rather than buffering it. A side that is destroyed stops
 * getting bytes without stopping the download; a download that fails destroys the side.
 */
function teeInto(side: PassThrough): Transform {
  const piece = 1 << 20;
  let dead = false;
  let ended = false;
  let pending: Buffer[] = [];
  let length = 0;
  side.once("close", () => {
    dead = true;
  });
  const send = (last: boolean, cb: () => void) => {
    if (dead || length === 0 || (!last && length < piece)) return cb();
    const out = pending.length === 1 ? pending[0]! : Buffer.concat(pending, length);
    pending = [];
    length = 0;
    if (side.write(out)) return cb();
    const go = () => {
      side.off("drain", go);
      side.off("close", go);
      cb();
    };
    side.on("drain", go);
    side.on("close", go);
  };
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      if (!dead) {
        pending.push(chunk);
        length += chunk.length;
      }
      send(false, () => cb(null, chunk));
    },
    flush(cb) {
      send(true, () => {
        ended = true;
        if (!dead) side.end();
        cb();
      });
    },
    destroy(err, cb) {
      if (!ended && !dead) side.destroy(err ?? new Error("download stopped before its end"));
      cb(err);
    },
  });
}
