import path from "node:path";
import type { Readable } from "node:stream";
import type { ImageDeps } from "../images/deps.js";
import { pullImage } from "../images/pull.js";
import { type BuildMessage, type BuildOptions, buildImage, openBuildCache } from "./build-image.js";
import { CacheMounts } from "./cache-mounts.js";
import { ContextSlots } from "./context-slots.js";
import { type BuildContainers, engineBuildBackend } from "./engine-backend.js";
import { type BuildPruneOptions, pruneBuildCache } from "./prune.js";

export interface BuildServiceDeps {
  dataRoot: string;
  images: ImageDeps;
  containers: BuildContainers;
  snapshotKeyOf(containerId: string): string | undefined;
  tag(id: string, name: string): Promise<void>;
}

/** The build use case bound to the engine; satisfies the build route's backend. */
export async function openBuildService(deps: BuildServiceDeps) {
  const cache = await openBuildCache(deps.dataRoot);
  const cacheMounts = new CacheMounts(path.join(deps.dataRoot, "builder", "cache-mounts"));
  const contexts = await ContextSlots.open(path.join(deps.dataRoot, "builder", "contexts"));
  const backend = engineBuildBackend({ ...deps, cacheMounts });
  return {
    build: (context: Readable, opts: BuildOptions, emit: (m: BuildMessage) => void, signal?: AbortSignal) =>
      buildImage(
        {
          backend,
          cache,
          tmpDir: deps.images.tmpDir,
          contexts,
          pull: (req, e) => pullImage(deps.images, req, e),
        },
        context,
        opts,
        emit,
        signal,
      ),
    prune: (o: BuildPruneOptions) =>
      pruneBuildCache(deps.images, cache, o, { mounts: cacheMounts, contexts }),
  };
}
