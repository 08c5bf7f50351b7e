import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, promises as fs } from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { decompressStream } from "../../image/archive/compression.js";
import { hostArch } from "../../image/archive-reader.js";
import { applyChanges } from "../../image/changes.js";
import { DigestingStream } from "../../lib/digest.js";
import { invalidArgument, wrap } from "../../lib/errors.js";
import type { ImageConfig } from "../../oci/image-config.js";
import { OCI_LAYER_TAR } from "../../oci/media-types.js";
import { parseReference, withDefaultTag, withTag } from "../../oci/reference.js";
import { commitImage } from "./commit-image.js";
import type { ImageDeps } from "./deps.js";

export interface ImportOptions {
  /** "repo" or "repo:tag"; empty for an untagged image. */
  repo?: string;
  tag?: string;
  /** Dockerfile instructions: "CMD [\"/bin/sh\"]", "ENV A=b", … */
  changes?: string[];
  message?: string;
  platform?: string;
}

/** `docker import`: a rootfs tarball (plain or compressed) becomes a one-layer image. */
export async function importImage(
  deps: ImageDeps,
  input: Readable,
  opts: ImportOptions = {},
): Promise<string> {
  let name = opts.repo ? withDefaultTag(parseReference(opts.repo)) : undefined;
  if (name && opts.tag) name = withTag({ ...name, tag: undefined }, opts.tag);
  const [os, arch] = (opts.platform || `linux/${hostArch()}`).split("/");
  if (os !== "linux")
    throw invalidArgument(`unsupported platform "${opts.platform}": only linux images run here`);
  const now = new Date().toISOString();
  const baseConfig: ImageConfig = {
    created: now,
    architecture: arch || hostArch(),
    os: "linux",
    config: {},
    rootfs: { type: "layers", diff_ids: [] },
    history: [{ created: now, created_by: "", comment: opts.message || "Imported from -" }],
    ...(opts.message ? { comment: opts.message } : {}),
  };
  const config = applyChanges(baseConfig, opts.changes ?? []);

  // The layer is stored uncompressed so its blob digest is its diff id.
  const tmp = path.join(deps.tmpDir, `import-${randomBytes(6).toString("hex")}.tar`);
  try {
    const hasher = new DigestingStream();
    await pipeline(await decompressStream(input), hasher, createWriteStream(tmp));
    config.rootfs.diff_ids = [hasher.digest];
    return await deps.writeLock.run(async () => {
      const blob = await deps.content.ingest(createReadStream(tmp), { digest: hasher.digest });
      const { image } = await commitImage(deps, {
        config: Buffer.from(JSON.stringify(config)),
        layers: [{ mediaType: OCI_LAYER_TAR, digest: blob.digest, size: blob.size }],
        names: name ? [name] : [],
      });
      deps.publish({ Type: "image", Action: "import", Actor: { ID: image.id, Attributes: {} } });
      return image.id;
    });
  } catch (err) {
    throw wrap(err, "importing rootfs tarball");
  } finally {
    await fs.rm(tmp, { force: true });
  }
}
