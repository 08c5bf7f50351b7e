/**
 * `docker push`: for each tag, the blobs the registry lacks (cross-repository mounts for blobs this
 * daemon knows from another repository of the same registry), then the manifest as stored. The
 * pushed digest is recorded as a repo digest of the image, as Docker does.
 */
import type { AuthConfig } from "../../api/types/registry-auth.js";
import type { Digest } from "../../lib/digest.js";
import { BerthError, invalidArgument, isKind, notFound, unavailable } from "../../lib/errors.js";
import { parseManifest } from "../../oci/manifest.js";
import {
  familiarString,
  formatReference,
  isValidTag,
  parseReference,
  type Reference,
  repositoryName,
} from "../../oci/reference.js";
import { type PushEvent, pushImage as pushToRegistry } from "../../registry/client/push.js";
import type { ImageDeps } from "./deps.js";
import { bytesProgress, type Emit, shortId, status } from "./progress.js";
import { sessionsFor } from "./registry.js";

export interface PushRequest {
  name: string;
  /** Empty: every tag of the repository (docker push -a). */
  tag?: string;
  auth?: AuthConfig;
}

export async function pushImage(deps: ImageDeps, req: PushRequest, emit: Emit): Promise<void> {
  const reg = deps.registry;
  if (!reg) throw unavailable("this daemon has no registry configuration");
  const base = parseReference(req.name);
  if (base.digest) throw invalidArgument("cannot push a digest reference");
  const tag = req.tag?.trim() || base.tag;
  if (tag !== undefined && !isValidTag(tag)) throw invalidArgument(`invalid tag format: ${tag}`);
  const repo = repositoryName(base);
  const tags =
    tag !== undefined
      ? [tag]
      : deps.store
          .tagEntries()
          .map(([r]) => r)
          .filter((r) => r.startsWith(`${repo}:`))
          .map((r) => r.slice(repo.length + 1))
          .sort();
  if (tags.length === 0 || (tag !== undefined && !deps.store.lookup(`${repo}:${tag}`))) {
    throw notFound(
      `An image does not exist locally with the tag: ${familiarString({ ...base, tag, digest: undefined })}`,
    );
  }
  const [session] = sessionsFor(reg, base.domain, "push", req.auth);
  emit(status(`The push refers to repository [${repo}]`));
  for (const t of tags) {
    const ref: Reference = { domain: base.domain, path: base.path, tag: t };
    const img = deps.store.resolve(formatReference(ref));
    const bytes = await deps.content.readBytes(img.manifest.digest);
    const manifest = parseManifest(bytes);
    try {
      await pushToRegistry(
        session!,
        deps.content,
        base.path,
        t,
        {
          manifest: { bytes, mediaType: img.manifest.mediaType, digest: img.manifest.digest },
          config: manifest.config,
          layers: manifest.layers,
        },
        { mountFrom: (d) => mountCandidates(deps, base.domain, d), onEvent: (e) => emitPushEvent(e, emit) },
      );
    } catch (err) {
      if (isKind(err, "unauthorized") || isKind(err, "permission-denied")) {
        throw new BerthError(
          "unauthorized",
          `push access denied for ${familiarString({ domain: ref.domain, path: ref.path })}: ${(err as Error).message}`,
          { cause: err },
        );
      }
      throw err;
    }
    const repoDigest = `${repo}@${img.manifest.digest}`;
    await deps.store.update((doc) => {
      const rec = doc.images[img.id];
      if (rec && !rec.repoDigests.includes(repoDigest)) rec.repoDigests.push(repoDigest);
    });
    emit(status(`${t}: digest: ${img.manifest.digest} size: ${bytes.length}`));
    emit({ progressDetail: {}, aux: { Tag: t, Digest: img.manifest.digest, Size: bytes.length } });
    deps.publish({
      Type: "image",
      Action: "push",
      Actor: { ID: formatReference(ref), Attributes: { name: formatReference(ref) } },
    });
  }
}

/** Repositories of the same registry whose images (as pulled or pushed) contain this blob. */
function mountCandidates(deps: ImageDeps, domain: string, digest: Digest): string[] {
  const chains = new Set(
    deps.store
      .layers()
      .filter((l) => l.blob.digest === digest)
      .map((l) => l.chainId),
  );
  const out = new Set<string>();
  for (const img of deps.store.list()) {
    if (img.id !== digest && !img.chain.some((c) => chains.has(c))) continue;
    for (const rd of img.repoDigests) {
      const at = rd.indexOf("@");
      const name = rd.slice(0, at);
      if (name.startsWith(`${domain}/`)) out.add(name.slice(domain.length + 1));
    }
  }
  return [...out];
}

function emitPushEvent(e: PushEvent, emit: Emit): void {
  const id = shortId(e.blob.digest);
  switch (e.kind) {
    case "blob-preparing":
      emit(status("Preparing", id));
      return;
    case "blob-exists":
      emit(status("Layer already exists", id));
      return;
    case "blob-mounted":
      emit(status(`Mounted from ${e.from}`, id));
      return;
    case "blob-progress":
      emit(bytesProgress("Pushing", e.blob.digest, e.current, e.blob.size));
      return;
    case "blob-pushed":
      emit(status("Pushed", id));
      return;
  }
}
