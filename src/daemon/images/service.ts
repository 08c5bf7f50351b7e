import { notFound } from "../../lib/errors.js";
import { formatReference, parseReference, withDefaultTag } from "../../oci/reference.js";
import type { ImageDeps } from "./deps.js";
import { importImage } from "./import.js";
import { imageHistory, inspectImage } from "./inspect.js";
import { listImages } from "./list.js";
import { loadImages } from "./load.js";
import { pruneImages } from "./prune.js";
import { removeImage } from "./remove.js";
import { saveImages } from "./save.js";
import { tagImage } from "./tag.js";

/** The image use cases bound to their dependencies; satisfies the image routes' backend. */
export function imageService(deps: ImageDeps) {
  return {
    list: (o: Parameters<typeof listImages>[1]) => listImages(deps, o),
    inspect: (name: string) => inspectImage(deps, name),
    history: (name: string) => imageHistory(deps, name),
    tag: (source: string, target: string) => tagImage(deps, source, target),
    remove: (name: string, o: { force: boolean; noprune: boolean }) => removeImage(deps, name, o),
    prune: (filters: Parameters<typeof pruneImages>[1]) => pruneImages(deps, filters),
    load: (body: Parameters<typeof loadImages>[1]) => loadImages(deps, body),
    save: (names: string[]) => saveImages(deps, names),
    import: (body: Parameters<typeof importImage>[1], o: Parameters<typeof importImage>[2]) =>
      importImage(deps, body, o),
    pull: async (ref: string, o: { tag?: string }): Promise<never> => {
      const named = withDefaultTag(parseReference(o.tag ? `${ref}:${o.tag}` : ref));
      // The registry client is its own piece of work; until it lands a miss must not look like a
      // network failure, and must say how to get images in.
      throw notFound(
        `pull access denied for ${formatReference(named)}: berth cannot pull from registries yet; ` +
          "get the image in with `berth load`, `berth import` or a build",
      );
    },
  };
}
