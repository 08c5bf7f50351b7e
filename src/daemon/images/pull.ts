/**
 * `docker pull`: resolves the reference at the registry (mirrors first), downloads config and
 * layers into the content store (verified, several at once, resumable), then commits the image
 * the way `load` does: snapshots unpacked, and the index entry written last in one atomic update.
 * A failed pull leaves the index as it was; verified blobs stay until the next garbage collection,
 * so pulling again does not fetch them twice.
 */
import type { AuthConfig } from "../../api/types/registry-auth.js";
import { hostArch } from "../../image/archive-reader.js";
import { BerthError, invalidArgument, isKind, notFound, unavailable, wrap } from "../../lib/errors.js";
import { log } from "../../lib/log.js";
import { parseImageConfig } from "../../oci/image-config.js";
import { type PlatformSpec, parsePlatform } from "../../oci/platform.js";
import {
  familiarString,
  formatReference,
  isValidTag,
  parseReference,
  type Reference,
  repositoryName,
} from "../../oci/reference.js";
import { repositoryScope } from "../../registry/client/challenge.js";
import { fetchBlob, fetchImageBlobs, type PullEvent, resolveImage } from "../../registry/client/pull.js";
import type { RegistrySession } from "../../registry/client/session.js";
import { registryError, registryErrorDetail } from "../../registry/client/session.js";
import { readBody } from "../../registry/client/transport.js";
import { type CommittedImage, commitImage } from "./commit-image.js";
import type { ImageDeps } from "./deps.js";
import { LayerPipeline } from "./layer-pipeline.js";
import { bytesProgress, type Emit, shortId, status } from "./progress.js";
import { sessionsFor, withPins } from "./registry.js";

export interface PullRequest {
  fromImage: string;
  /** A tag, a digest, or empty for every tag (docker pull -a). */
  tag?: string;
  platform?: string;
  auth?: AuthConfig;
}

export function hostPlatform(): PlatformSpec {
  return { os: "linux", architecture: hostArch() };
}

/** The references a request names: one, or (no tag anywhere) every tag of the repository. */
function requestedReference(req: PullRequest): Reference {
  const ref = parseReference(req.fromImage);
  const tag = req.tag?.trim();
  if (tag) {
    if (tag.startsWith("sha256:")) return parseReference(`${repositoryName(ref)}@${tag}`);
    if (!isValidTag(tag)) throw invalidArgument(`invalid tag format: ${tag}`);
    return { ...ref, tag, digest: undefined };
  }
  return ref;
}

export async function pullImage(deps: ImageDeps, req: PullRequest, emit: Emit): Promise<void> {
  const reg = deps.registry;
  if (!reg) throw unavailable("this daemon has no registry configuration");
  const ref = requestedReference(req);
  const platform = req.platform ? parsePlatform(req.platform, hostPlatform()) : hostPlatform();
  const sessions = sessionsFor(reg, ref.domain, "pull", req.auth);
  if (ref.tag === undefined && ref.digest === undefined) {
    const tags = await withEndpoints(sessions, (s) => listTags(s, ref.path));
    for (const tag of tags) await pullOne(deps, sessions, { ...ref, tag }, platform, emit, false);
    emit(
      status(`Status: Downloaded newer image for ${familiarString({ domain: ref.domain, path: ref.path })}`),
    );
    return;
  }
  await pullOne(deps, sessions, ref, platform, emit, true);
}

/** Tries each endpoint (mirrors, then the registry) until one answers; the last error wins. */
async function withEndpoints<T>(
  sessions: RegistrySession[],
  fn: (s: RegistrySession) => Promise<T>,
): Promise<T> {
  let last: unknown;
  for (const s of sessions) {
    try {
      return await fn(s);
    } catch (err) {
      last = err;
      if (!s.endpoint.mirror) break;
    }
  }
  throw last;
}

async function pullOne(
  deps: ImageDeps,
  sessions: RegistrySession[],
  ref: Reference,
  platform: PlatformSpec,
  emit: Emit,
  single: boolean,
): Promise<void> {
  const reference = ref.digest ?? ref.tag!;
  const pulled = await withEndpoints(sessions, async (s) => {
    const resolved = await resolveImage(s, ref.path, reference, platform);
    // The stream starts only now: a reference that does not resolve is an ordinary error response.
    emit(status(`Pulling from ${ref.path}`, reference));
    const m = resolved.parsed;
    return withPins(
      deps,
      () => [m.config.digest, ...m.layers.map((l) => l.digest)],
      async () => {
        const t0 = Date.now();
        const cpu0 = process.cpuUsage();
        await fetchBlob(s, deps.content, ref.path, m.config);
        const config = await deps.content.readBytes(m.config.digest);
        // As Docker: layers that were already here say "Already exists" and nothing more.
        const existed = new Set<string>();
        const pipeline = new LayerPipeline(
          deps,
          m.layers,
          parseImageConfig(config).rootfs.diff_ids,
          (l, phase) => {
            if (existed.has(l.digest)) return;
            emit(status(phase === "extracting" ? "Extracting" : "Pull complete", shortId(l.digest)));
          },
        );
        let committed: CommittedImage;
        const before = ref.tag ? deps.store.lookup(formatReference(ref))?.id : undefined;
        try {
          await fetchImageBlobs(s, deps.content, ref.path, m, {
            platform,
            tee: (l, body) => pipeline.tee(l, body),
            onEvent: (e) => {
              emitPullEvent(e, emit);
              if (e.kind === "layer-exists") existed.add(e.layer.digest);
              if (e.kind === "layer-done" || e.kind === "layer-exists") pipeline.blobReady(e.layer.digest);
            },
          });
          const t1 = Date.now();
          const unpacked = await pipeline.finish();
          log.debug("pull: blobs in", { downloadMs: t1 - t0, unpackWaitMs: Date.now() - t1 });
          const named = ref.digest ? [] : [{ domain: ref.domain, path: ref.path, tag: ref.tag }];
          committed = await deps.writeLock.run(() =>
            commitImage(deps, {
              config,
              layers: m.layers,
              manifest: { bytes: resolved.manifest.bytes, mediaType: resolved.manifest.mediaType },
              names: named,
              repoDigests: [`${repositoryName(ref)}@${resolved.resolvedDigest}`],
              unpacked,
            }),
          );
          pipeline.release();
        } catch (err) {
          await pipeline.abort();
          throw err;
        }
        const cpu = process.cpuUsage(cpu0);
        // cpuMs: the whole daemon's CPU time meanwhile (only this pull's when it ran alone).
        log.debug("pull: done", {
          ref: formatReference(ref),
          ms: Date.now() - t0,
          cpuMs: Math.round((cpu.user + cpu.system) / 1000),
        });
        return { resolved, committed, fresh: before !== committed.image.id };
      },
    );
  }).catch((err) => {
    throw describePullError(err, ref);
  });
  for (const r of pulled.committed.retagged) {
    deps.publish({ Type: "image", Action: "untag", Actor: { ID: r.previous, Attributes: { name: r.ref } } });
  }
  deps.publish({
    Type: "image",
    Action: "pull",
    Actor: { ID: formatReference(ref), Attributes: { name: formatReference(ref) } },
  });
  emit(status(`Digest: ${pulled.resolved.resolvedDigest}`));
  if (single) {
    emit(
      status(
        pulled.fresh
          ? `Status: Downloaded newer image for ${familiarString(ref)}`
          : `Status: Image is up to date for ${familiarString(ref)}`,
      ),
    );
  }
}

function emitPullEvent(e: PullEvent, emit: Emit): void {
  const id = shortId(e.layer.digest);
  switch (e.kind) {
    case "layer-waiting":
      emit(status("Pulling fs layer", id));
      return;
    case "layer-exists":
      emit(status("Already exists", id));
      return;
    case "layer-progress":
      emit(bytesProgress("Downloading", e.layer.digest, e.current, e.layer.size));
      return;
    case "layer-verifying":
      emit(status("Verifying Checksum", id));
      return;
    case "layer-done":
      emit(status("Download complete", id));
      return;
    case "layer-retry":
      emit(status(`Retrying (${e.error})`, id));
      return;
  }
}

function describePullError(err: unknown, ref: Reference): BerthError {
  if (isKind(err, "unauthorized") || isKind(err, "permission-denied")) {
    // Not-found, as Docker answers: a 401 would make the docker CLI prompt for a login.
    return new BerthError(
      "not-found",
      `pull access denied for ${familiarString({ domain: ref.domain, path: ref.path })}, repository does not exist or may require 'docker login': ${(err as Error).message}`,
      { cause: err },
    );
  }
  if (err instanceof BerthError) return err;
  return wrap(err, `pulling ${familiarString(ref)}`);
}

/** GET tags/list, following Link pagination (bounded). */
export async function listTags(s: RegistrySession, repo: string): Promise<string[]> {
  const tags: string[] = [];
  let path: string | undefined = `/v2/${repo}/tags/list?n=1000`;
  for (let page = 0; path && page < 100; page++) {
    const res = await s.request({ method: "GET", path, scope: repositoryScope(repo, ["pull"]) });
    if (res.statusCode === 404) {
      throw notFound(`repository ${s.name}/${repo} not found: ${await registryErrorDetail(res)}`);
    }
    if (res.statusCode !== 200) throw await registryError(res, `listing tags of ${repo}`);
    const doc = JSON.parse((await readBody(res, 4 << 20, "tags list")).toString("utf8")) as {
      tags?: string[] | null;
    };
    for (const t of doc.tags ?? []) if (isValidTag(t)) tags.push(t);
    const link = /<([^>]+)>\s*;\s*rel="?next"?/.exec(String(res.headers.link ?? ""));
    path = link ? link[1] : undefined;
  }
  if (tags.length === 0) throw notFound(`repository ${s.name}/${repo} has no tags`);
  return tags;
}
