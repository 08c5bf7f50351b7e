import { PassThrough, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import tar from "tar-stream";
import { type Digest, digestHex, sha256 } from "../lib/digest.js";
import { invalidArgument } from "../lib/errors.js";
import { OCI_CONFIG, OCI_INDEX, OCI_LAYER_TAR, OCI_MANIFEST } from "../oci/media-types.js";

/**
 * Writes images as Docker 25+ does for `docker save`: one tar that is at the same time a
 * docker-archive (manifest.json) and an OCI image layout (oci-layout, index.json, blobs/sha256/*),
 * so `docker load`, `skopeo docker-archive:` and `skopeo oci-archive:` all read it.
 * Layers are written uncompressed; their blob digest is their diff id.
 */
export interface SaveLayer {
  diffId: Digest;
  /** Size of the uncompressed layer tar. */
  size: number;
  open(): Promise<Readable>;
}

export interface SaveImage {
  config: Buffer;
  layers: SaveLayer[];
  /** Full references: "docker.io/library/busybox:latest". */
  names: string[];
  /** Docker's short form for manifest.json RepoTags: "busybox:latest". */
  familiarNames: string[];
}

/** Returns the archive as a stream; errors reading a layer destroy it. */
export function writeImageArchive(images: SaveImage[]): Readable {
  const pack = tar.pack();
  const out = new PassThrough();
  pack.pipe(out);
  fill(pack, images).catch((err) => {
    pack.destroy(err);
    out.destroy(err);
  });
  return out;
}

const MTIME = new Date(0);

function addBytes(pack: tar.Pack, name: string, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    pack.entry({ name, size: data.length, mode: 0o644, mtime: MTIME }, data, (err) =>
      err ? reject(err) : resolve(),
    );
  });
}

async function addStream(pack: tar.Pack, name: string, size: number, src: Readable): Promise<void> {
  const entry = pack.entry({ name, size, mode: 0o644, mtime: MTIME });
  await pipeline(src, entry);
}

async function fill(pack: tar.Pack, images: SaveImage[]): Promise<void> {
  const written = new Set<string>();
  const dockerManifest: { Config: string; RepoTags: string[]; Layers: string[] }[] = [];
  const indexEntries: unknown[] = [];
  pack.entry({ name: "blobs/", type: "directory", mode: 0o755, mtime: MTIME });
  pack.entry({ name: "blobs/sha256/", type: "directory", mode: 0o755, mtime: MTIME });
  for (const img of images) {
    for (const layer of img.layers) {
      const name = `blobs/sha256/${digestHex(layer.diffId)}`;
      if (written.has(name)) continue;
      written.add(name);
      await addStream(pack, name, layer.size, await layer.open());
    }
    const configDigest = sha256(img.config);
    const configName = `blobs/sha256/${digestHex(configDigest)}`;
    if (!written.has(configName)) {
      written.add(configName);
      await addBytes(pack, configName, img.config);
    }
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { mediaType: OCI_CONFIG, digest: configDigest, size: img.config.length },
        layers: img.layers.map((l) => ({ mediaType: OCI_LAYER_TAR, digest: l.diffId, size: l.size })),
      }),
    );
    const manifestDigest = sha256(manifest);
    const manifestName = `blobs/sha256/${digestHex(manifestDigest)}`;
    if (!written.has(manifestName)) {
      written.add(manifestName);
      await addBytes(pack, manifestName, manifest);
    }
    const desc = { mediaType: OCI_MANIFEST, digest: manifestDigest, size: manifest.length };
    if (img.names.length === 0) indexEntries.push(desc);
    for (const full of img.names) {
      const tag = full.includes("@") ? undefined : full.slice(full.lastIndexOf(":") + 1);
      indexEntries.push({
        ...desc,
        annotations: {
          "io.containerd.image.name": full,
          ...(tag ? { "org.opencontainers.image.ref.name": tag } : {}),
        },
      });
    }
    dockerManifest.push({
      Config: configName,
      RepoTags: img.familiarNames,
      Layers: img.layers.map((l) => `blobs/sha256/${digestHex(l.diffId)}`),
    });
  }
  if (images.length === 0) throw invalidArgument("nothing to save: no images given");
  await addBytes(
    pack,
    "index.json",
    Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: indexEntries })),
  );
  await addBytes(pack, "manifest.json", Buffer.from(JSON.stringify(dockerManifest)));
  await addBytes(pack, "oci-layout", Buffer.from(JSON.stringify({ imageLayoutVersion: "1.0.0" })));
  pack.finalize();
}
