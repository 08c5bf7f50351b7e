import type { ContainerConfig } from "../../api/types/containers.js";
import type { ImageDeps } from "../images/deps.js";
import {
  getContainerArchive,
  type PutArchiveOptions,
  putContainerArchive,
  statContainerPath,
} from "./archive.js";
import { containerChanges } from "./changes.js";
import { commitContainer } from "./commit.js";
import { exportContainer } from "./export.js";
import type { RuntimeDeps } from "./runtime-deps.js";
import { topContainer } from "./top.js";

/**
 * The filesystem and process use cases (top, diff, export, commit, cp) bound to their
 * dependencies; containerService spreads them in. They satisfy api/server/routes/container-fs.ts.
 */
export function containerFsService(deps: RuntimeDeps, images: ImageDeps) {
  return {
    top: (ref: string, psArgs: string | undefined) => topContainer(deps, ref, psArgs),
    changes: (ref: string) => containerChanges(deps, ref),
    export: (ref: string) => exportContainer(deps, ref),
    commit: (o: {
      container: string;
      repo?: string | undefined;
      tag?: string | undefined;
      comment?: string | undefined;
      author?: string | undefined;
      pause: boolean;
      changes: string[];
      config?: ContainerConfig | undefined;
    }) => commitContainer(deps, images, o.container, o),
    statPath: (ref: string, path: string) => statContainerPath(deps, ref, path),
    getArchive: (ref: string, path: string) => getContainerArchive(deps, ref, path),
    putArchive: (
      ref: string,
      path: string,
      tar: Parameters<typeof putContainerArchive>[3],
      o: PutArchiveOptions,
    ) => putContainerArchive(deps, ref, path, tar, o),
  };
}
