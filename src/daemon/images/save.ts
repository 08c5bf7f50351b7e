import type { Readable } from "node:stream";
import { decompressStream } from "../../image/archive/compression.js";
import { type SaveImage, writeImageArchive } from "../../image/archive-writer.js";
import { notFound } from "../../lib/errors.js";
import { familiarString, parseReference, withDefaultTag } from "../../oci/reference.js";
import type { ImageDeps } from "./deps.js";

/**
 * `docker save NAME…`: names keep the tags they were asked by; an ID saves the image untagged
 * (as Docker does). All names are resolved before the first byte is written.
 */
export async function saveImages(deps: ImageDeps, names: readonly string[]): Promise<Readable> {
  const byId = new Map<string, SaveImage>();
  for (const name of names) {
    const img = deps.store.resolve(name);
    let entry = byId.get(img.id);
    if (!entry) {
      const config = await deps.content.readBytes(img.id);
      const layers = img.chain.map((chainId) => {
        const rec = deps.store.layer(chainId);
        if (!rec) throw notFound(`image ${img.id}: layer ${chainId} is missing from the store`);
        return {
          diffId: rec.diffId,
          size: rec.diffSize,
          open: () => decompressStream(deps.content.readStream(rec.blob.digest)),
        };
      });
      entry = { config, layers, names: [], familiarNames: [] };
      byId.set(img.id, entry);
    }
    const isId = img.id === name || img.id.slice(7).startsWith(name.replace(/^sha256:/, ""));
    if (isId) continue;
    const ref = withDefaultTag(parseReference(name));
    if (ref.digest) continue;
    const full = `${ref.domain}/${ref.path}:${ref.tag}`;
    if (!entry.names.includes(full)) {
      entry.names.push(full);
      entry.familiarNames.push(familiarString(ref));
    }
  }
  for (const [id] of byId) deps.publish({ Type: "image", Action: "save", Actor: { ID: id, Attributes: {} } });
  return writeImageArchive([...byId.values()]);
}
