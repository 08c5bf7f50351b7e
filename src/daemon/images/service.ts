import type { AuthConfig } from "../../api/types/registry-auth.js";
import type { ImageDeps } from "./deps.js";
import { importImage } from "./import.js";
import { imageHistory, inspectImage } from "./inspect.js";
import { listImages } from "./list.js";
import { loadImages } from "./load.js";
import { login } from "./login.js";
import type { Emit } from "./progress.js";
import { pruneImages } from "./prune.js";
import { type PullRequest, pullImage } from "./pull.js";
import { type PushRequest, pushImage } from "./push.js";
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
    pull: (req: PullRequest, emit: Emit) => pullImage(deps, req, emit),
    push: (req: PushRequest, emit: Emit) => pushImage(deps, req, emit),
    login: (auth: AuthConfig) => login(deps, auth),
  };
}
