/**
 * `docker commit` (POST /commit): the container's writable layer becomes a new image on top of
 * the container's image. The layer is the upper directory as a Docker layer tar (whiteouts,
 * opaque directories), minus the mount points the runtime created; it is stored uncompressed so
 * its blob digest is its diff id. A running container is paused while its layer is read, unless
 * the request says pause=false.
 */
import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, promises as fs } from "node:fs";
import path from "node:path";
import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ContainerConfig as ApiContainerConfig } from "../../api/types/containers.js";
import {
  cleanEntryPath,
  END_OF_ARCHIVE,
  encodeHeader,
  layerDiff,
  paddingOf,
  readTar,
} from "../../image/archive/index.js";
import { type Digest, DigestingStream, sha256 } from "../../lib/digest.js";
import { conflict } from "../../lib/errors.js";
import { log } from "../../lib/log.js";
import type { Descriptor } from "../../oci/descriptor.js";
import { OCI_LAYER_TAR } from "../../oci/media-types.js";
import {
  familiarString,
  parseReference,
  type Reference,
  withDefaultTag,
  withTag,
} from "../../oci/reference.js";
import { commitImage } from "../images/commit-image.js";
import type { ImageDeps } from "../images/deps.js";
import { imageConfig } from "../images/deps.js";
import { lowerDirsOf, upperEntries } from "./changes.js";
import { runtimeMountPoints, type UpperEntry } from "./changes-classify.js";
import { commitContainerConfig, committedImageConfig } from "./commit-config.js";
import { eventAttributes, findContainer } from "./deps.js";
import type { RuntimeDeps } from "./runtime-deps.js";

export interface CommitOptions {
  repo?: string | undefined;
  tag?: string | undefined;
  comment?: string | undefined;
  author?: string | undefined;
  /** Pause a running container while its layer is read (Docker's default: true). */
  pause: boolean;
  /** Dockerfile instructions (`--change`). */
  changes: string[];
  /** Config overrides from the request body; the container's config when absent. */
  config?: ApiContainerConfig | undefined;
}

/** The diff id of a layer without entries (two zero blocks). */
const EMPTY_LAYER: Digest = sha256(END_OF_ARCHIVE);

/** The layer tar without the entries at `skip` (container paths) and below them. */
async function* withoutPaths(tar: Readable, skip: ReadonlySet<string>): AsyncGenerator<Buffer> {
  const skipped = (rel: string) => [...skip].some((p) => `/${rel}` === p || `/${rel}`.startsWith(`${p}/`));
  for await (const { header, body } of readTar(tar)) {
    if (skipped(cleanEntryPath(header.name))) continue;
    yield encodeHeader(header);
    for await (const chunk of body) yield chunk;
    const pad = paddingOf(header.size);
    if (pad) yield Buffer.alloc(pad);
  }
  yield END_OF_ARCHIVE;
}

/**
 * Writes the container's layer tar to `out`; its diff id. `alsoSkip` names more mount points to
 * leave out (a build's RUN --mount stubs).
 */
export async function writeContainerLayer(
  upper: string,
  lowers: string[],
  out: Writable,
  alsoSkip?: (entries: readonly UpperEntry[]) => Set<string>,
): Promise<Digest> {
  const entries = await upperEntries(upper, lowers);
  const skip = runtimeMountPoints(entries);
  for (const p of alsoSkip?.(entries) ?? []) skip.add(p);
  const digester = new DigestingStream();
  const tar = layerDiff(upper);
  const source = skip.size === 0 ? tar : Readable.from(withoutPaths(tar, skip), { objectMode: false });
  await pipeline(source, digester, out);
  return digester.digest;
}

function referenceOf(repo: string | undefined, tag: string | undefined): Reference | undefined {
  if (!repo) return undefined;
  const name = parseReference(repo);
  return tag ? withTag({ ...name, tag: undefined }, tag) : withDefaultTag(name);
}

/** POST /commit: the new image's id. */
export async function commitContainer(
  deps: RuntimeDeps,
  images: ImageDeps,
  ref: string,
  opts: CommitOptions,
): Promise<{ Id: string }> {
  const name = referenceOf(opts.repo, opts.tag);
  const found = findContainer(deps, ref);
  const tmp = path.join(images.tmpDir, `commit-${randomBytes(6).toString("hex")}.tar`);
  try {
    const { c, diffId } = await deps.locks.run(found.id, async () => {
      const c = deps.store.get(found.id) ?? found;
      if (c.state.status === "removing" || c.state.status === "dead") {
        throw conflict(`You cannot commit container ${c.id} which is being removed or dead`);
      }
      const pause = opts.pause && c.state.status === "running";
      if (pause) await deps.runtime.pause(c.id);
      try {
        const upper = deps.snapshots.upperDir(c.snapshotKey);
        const lowers = lowerDirsOf(await deps.snapshots.mounts(c.snapshotKey));
        return { c, diffId: await writeContainerLayer(upper, lowers, createWriteStream(tmp)) };
      } finally {
        if (pause) {
          await deps.runtime
            .resume(c.id)
            .catch((err) => log.warn("resume after commit", { err: String(err) }));
        }
      }
    });
    const base = await imageConfig(images, c.image as Digest);
    const created = new Date().toISOString();
    const config = committedImageConfig({
      base,
      config: commitContainerConfig({ container: c.config, body: opts.config, changes: opts.changes }),
      diffId: diffId === EMPTY_LAYER ? undefined : diffId,
      containerId: c.id,
      cmd: c.config.Cmd ?? [],
      author: opts.author,
      comment: opts.comment,
      created,
    });
    const id = await images.writeLock.run(async () => {
      const parent = images.store.get(c.image as Digest);
      const layers: Descriptor[] = (parent?.chain ?? []).map((chainId) => {
        const l = images.store.layer(chainId);
        if (!l) throw conflict(`layer ${chainId} of image ${c.image} is gone`);
        return l.blob;
      });
      if (diffId !== EMPTY_LAYER) {
        const blob = await images.content.ingest(createReadStream(tmp), { digest: diffId });
        layers.push({ mediaType: OCI_LAYER_TAR, digest: blob.digest, size: blob.size });
      }
      const { image } = await commitImage(images, {
        config: Buffer.from(JSON.stringify(config)),
        layers,
        names: name ? [name] : [],
        ...(parent ? { parent: parent.id } : {}),
      });
      return image.id;
    });
    deps.publish({
      Type: "container",
      Action: "commit",
      Actor: {
        ID: c.id,
        Attributes: {
          ...eventAttributes(c),
          comment: opts.comment ?? "",
          imageID: id,
          imageRef: name ? familiarString(name) : "",
        },
      },
    });
    return { Id: id };
  } finally {
    await fs.rm(tmp, { force: true });
  }
}
