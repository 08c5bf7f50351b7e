import { randomBytes } from "node:crypto";
import { createReadStream, promises as fs } from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { detectCompression } from "../../image/archive/compression.js";
import { readArchiveIndex, unpackArchive } from "../../image/archive-reader.js";
import { wrap } from "../../lib/errors.js";
import type { Descriptor } from "../../oci/descriptor.js";
import { OCI_LAYER_TAR, OCI_LAYER_TAR_GZIP, OCI_LAYER_TAR_ZSTD } from "../../oci/media-types.js";
import { familiarString, parseReference, type Reference, withDefaultTag } from "../../oci/reference.js";
import { commitImage } from "./commit-image.js";
import type { ImageDeps } from "./deps.js";
import { collectGarbage } from "./gc.js";

export interface LoadResult {
  /** Lines as `docker load` prints them: "Loaded image: busybox:latest", "Loaded image ID: sha256:…". */
  messages: string[];
}

/** `docker load`: reads a docker-save or OCI-layout archive (tar, optionally gzip) into the store. */
export async function loadImages(deps: ImageDeps, input: Readable): Promise<LoadResult> {
  const scratch = path.join(deps.tmpDir, `load-${randomBytes(6).toString("hex")}`);
  await fs.mkdir(scratch, { recursive: true });
  try {
    await unpackArchive(input, scratch);
    const images = await readArchiveIndex(scratch);
    const messages: string[] = [];
    await deps.writeLock.run(async () => {
      try {
        for (const img of images) {
          const layers: Descriptor[] = [];
          for (const l of img.layers) layers.push(await ingestLayer(deps, l.file, l.mediaType));
          const names = img.repoTags.map(nameFromArchive).filter((r): r is Reference => r !== undefined);
          const { image, retagged } = await commitImage(deps, {
            config: img.config,
            layers,
            ...(img.manifest ? { manifest: img.manifest } : {}),
            names,
          });
          for (const r of retagged) {
            deps.publish({
              Type: "image",
              Action: "untag",
              Actor: { ID: r.previous, Attributes: { name: r.ref } },
            });
          }
          if (names.length === 0) messages.push(`Loaded image ID: ${image.id}`);
          for (const n of names) messages.push(`Loaded image: ${familiarString(n)}`);
          deps.publish({
            Type: "image",
            Action: "load",
            Actor: { ID: image.id, Attributes: { name: names[0] ? familiarString(names[0]) : image.id } },
          });
        }
      } finally {
        // Blobs of an image that failed half-way are unreferenced: sweep them now.
        await collectGarbage(deps);
      }
    });
    return { messages };
  } catch (err) {
    throw wrap(err, "loading image archive");
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
}

function nameFromArchive(name: string): Reference | undefined {
  try {
    return withDefaultTag(parseReference(name));
  } catch {
    return undefined; // an OCI ref.name that is only a tag ("latest") names no repository
  }
}

async function ingestLayer(deps: ImageDeps, file: string, mediaType?: string): Promise<Descriptor> {
  const fh = await fs.open(file, "r");
  const head = Buffer.alloc(8);
  try {
    await fh.read(head, 0, 8, 0);
  } finally {
    await fh.close();
  }
  const compression = detectCompression(head);
  const info = await deps.content.ingest(createReadStream(file));
  const type =
    mediaType ??
    (compression === "gzip"
      ? OCI_LAYER_TAR_GZIP
      : compression === "zstd"
        ? OCI_LAYER_TAR_ZSTD
        : OCI_LAYER_TAR);
  return { mediaType: type, digest: info.digest, size: info.size };
}
