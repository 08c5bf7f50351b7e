import { createWriteStream, promises as fs } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type Digest, isDigest, sha256 } from "../lib/digest.js";
import { errnoCode, invalidArgument } from "../lib/errors.js";
import { isIndexMediaType } from "../oci/media-types.js";
import { decompressStream } from "./archive/compression.js";
import { readTar } from "./archive/tar-reader.js";

/**
 * Reads image archives: `docker save` output (manifest.json, legacy or Docker 25+ layout) and OCI
 * image layouts (oci-layout + index.json), tar'ed, plain or gzip. The archive is first unpacked
 * into a scratch directory under berth's root with the same care as a layer (no entry may escape
 * it), then its index is read from there.
 */
export interface ArchiveImage {
  config: Buffer;
  configDigest: Digest;
  /** Layer files bottom first, as stored in the archive (possibly compressed). */
  layers: { file: string; mediaType?: string; digest?: Digest }[];
  /** Names as the archive gives them: "busybox:latest", "docker.io/library/busybox:1", or a bare tag. */
  repoTags: string[];
  /** The OCI manifest, when the archive is an OCI layout. */
  manifest?: { bytes: Buffer; digest: Digest; mediaType: string };
}

/** Names inside an archive never escape the scratch dir: "..", absolute names and NULs are refused. */
export function cleanArchivePath(name: string): string {
  if (name.includes("\0")) throw invalidArgument(`archive entry "${name}": invalid name`);
  if (name.startsWith("/")) throw invalidArgument(`archive entry "${name}": absolute paths are not allowed`);
  const norm = path.posix.normalize(name).replace(/\/+$/, "");
  if (norm === ".." || norm.startsWith("../")) {
    throw invalidArgument(`archive entry "${name}": path escapes the archive`);
  }
  return norm === "." ? "" : norm;
}

/** Unpacks the outer archive's regular files into dir; symlinks and hardlinks between them are resolved. */
export async function unpackArchive(input: Readable, dir: string): Promise<void> {
  const links: [string, string][] = [];
  for await (const { header, body } of readTar(await decompressStream(input))) {
    const name = cleanArchivePath(header.name);
    if (header.type === "dir" || name === "") continue;
    if (header.type === "symlink" || header.type === "hardlink") {
      const target =
        header.type === "symlink"
          ? path.posix.join(path.posix.dirname(name), header.linkname)
          : header.linkname;
      links.push([name, cleanArchivePath(target)]);
      continue;
    }
    if (header.type !== "file") continue;
    const dest = path.join(dir, name);
    await fs.mkdir(path.dirname(dest), { recursive: true });
    try {
      await pipeline(Readable.from(body), createWriteStream(dest, { flags: "wx" }));
    } catch (err) {
      throw errnoCode(err) === "EEXIST" ? invalidArgument(`archive entry "${name}" appears twice`) : err;
    }
  }
  // Link entries become copies of their targets (only files that exist in the archive).
  for (const [name, target] of links) {
    const dest = path.join(dir, name);
    await fs.mkdir(path.dirname(dest), { recursive: true });
    try {
      await fs.copyFile(path.join(dir, target), dest);
    } catch (err) {
      if (errnoCode(err) === "ENOENT") continue; // dangling links are irrelevant unless referenced
      throw err;
    }
  }
}

async function readIfExists(file: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(file);
  } catch (err) {
    if (errnoCode(err) === "ENOENT" || errnoCode(err) === "EISDIR") return undefined;
    throw err;
  }
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

function parseJson<T>(bytes: Buffer, what: string): T {
  try {
    return JSON.parse(bytes.toString("utf8")) as T;
  } catch (err) {
    throw invalidArgument(`invalid ${what}: ${(err as Error).message}`);
  }
}

async function mustRead(dir: string, rel: string, what: string): Promise<Buffer> {
  const b = await readIfExists(path.join(dir, cleanArchivePath(rel)));
  if (!b) throw invalidArgument(`archive is missing ${what} "${rel}"`);
  return b;
}

interface DockerManifestEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

/** Lists the images of an unpacked archive. Docker's manifest.json wins when both formats are present. */
export async function readArchiveIndex(dir: string): Promise<ArchiveImage[]> {
  const dockerManifest = await readIfExists(path.join(dir, "manifest.json"));
  if (dockerManifest) return readDockerArchive(dir, dockerManifest);
  const index = await readIfExists(path.join(dir, "index.json"));
  if (index) return readOciLayout(dir, index);
  throw invalidArgument(
    "archive has neither manifest.json (docker save format) nor index.json (OCI layout): not an image archive",
  );
}

async function readDockerArchive(dir: string, bytes: Buffer): Promise<ArchiveImage[]> {
  const entries = parseJson<DockerManifestEntry[]>(bytes, "manifest.json");
  if (!Array.isArray(entries)) throw invalidArgument("invalid manifest.json: expected an array");
  const images: ArchiveImage[] = [];
  for (const [i, e] of entries.entries()) {
    if (typeof e?.Config !== "string" || !Array.isArray(e.Layers)) {
      throw invalidArgument(`invalid manifest.json: entry ${i} needs Config and Layers`);
    }
    const config = await mustRead(dir, e.Config, "image config");
    const layers = [];
    for (const l of e.Layers) {
      if (typeof l !== "string") throw invalidArgument(`invalid manifest.json: entry ${i} has a bad layer`);
      const file = path.join(dir, cleanArchivePath(l));
      if (!(await isFile(file))) throw invalidArgument(`archive is missing layer "${l}"`);
      layers.push({ file });
    }
    images.push({ config, configDigest: sha256(config), layers, repoTags: e.RepoTags ?? [] });
  }
  return images;
}

interface OciIndex {
  manifests?: { mediaType?: string; digest: string; annotations?: Record<string, string> }[];
}
interface OciManifest {
  mediaType?: string;
  config?: { digest: string };
  layers?: { digest: string; mediaType?: string }[];
  manifests?: OciIndex["manifests"];
}

function blobFile(dir: string, digest: string): string {
  if (!isDigest(digest)) throw invalidArgument(`invalid digest "${digest}" in OCI layout`);
  return path.join(dir, "blobs", "sha256", digest.slice(7));
}

async function readBlob(dir: string, digest: string, what: string): Promise<Buffer> {
  const b = await readIfExists(blobFile(dir, digest));
  if (!b) throw invalidArgument(`archive is missing ${what} ${digest}`);
  if (sha256(b) !== digest) throw invalidArgument(`${what} ${digest} does not match its digest`);
  return b;
}

async function readOciLayout(dir: string, bytes: Buffer): Promise<ArchiveImage[]> {
  const index = parseJson<OciIndex>(bytes, "index.json");
  const images: ArchiveImage[] = [];
  const visit = async (desc: NonNullable<OciIndex["manifests"]>[number], names: string[], depth: number) => {
    if (depth > 4) throw invalidArgument("OCI layout: indexes nested too deep");
    const raw = await readBlob(dir, desc.digest, "manifest");
    const m = parseJson<OciManifest>(raw, `manifest ${desc.digest}`);
    const mediaType = m.mediaType ?? desc.mediaType ?? "";
    if (Array.isArray(m.manifests) || isIndexMediaType(mediaType)) {
      // Pick this host's platform; attestation manifests have no platform and are skipped.
      const children = (m.manifests ?? []) as (NonNullable<OciIndex["manifests"]>[number] & {
        platform?: { os?: string; architecture?: string };
      })[];
      const pick =
        children.find((c) => c.platform?.os === "linux" && c.platform?.architecture === hostArch()) ??
        children.find((c) => c.platform?.os !== "unknown");
      if (!pick) throw invalidArgument(`OCI layout: index ${desc.digest} has no manifest for this platform`);
      return visit(pick, names, depth + 1);
    }
    if (!m.config?.digest || !Array.isArray(m.layers)) {
      throw invalidArgument(`OCI layout: manifest ${desc.digest} lacks config or layers`);
    }
    const config = await readBlob(dir, m.config.digest, "image config");
    const layers = [];
    for (const l of m.layers) {
      const file = blobFile(dir, l.digest);
      if (!(await isFile(file))) {
        throw invalidArgument(`archive is missing layer ${l.digest}`);
      }
      layers.push({ file, mediaType: l.mediaType, digest: l.digest as Digest });
    }
    images.push({
      config,
      configDigest: sha256(config),
      layers,
      repoTags: names,
      manifest: { bytes: raw, digest: desc.digest as Digest, mediaType },
    });
  };
  for (const desc of index.manifests ?? []) {
    const a = desc.annotations ?? {};
    const name = a["io.containerd.image.name"] ?? a["org.opencontainers.image.ref.name"];
    await visit(desc, name ? [name] : [], 0);
  }
  return images;
}

export function hostArch(): string {
  const map: Record<string, string> = {
    x64: "amd64",
    arm64: "arm64",
    arm: "arm",
    ppc64: "ppc64le",
    s390x: "s390x",
  };
  return map[process.arch] ?? process.arch;
}
