import type { ContainerCreateRequest } from "../../api/types/containers.js";
import type { Filters } from "../../api/types/filters.js";
import { createContainer } from "./create.js";
import type { ContainerDeps } from "./deps.js";
import { inspectContainer } from "./inspect.js";
import { listContainers } from "./list.js";
import { pruneContainers } from "./prune.js";
import { type RemoveDeps, removeContainer } from "./remove.js";
import { renameContainer } from "./rename.js";
import { type WaitCondition, waitContainer } from "./wait.js";
import type { ContainerWatch } from "./watch.js";

export type ServiceDeps = ContainerDeps & RemoveDeps & { watch: ContainerWatch };

/** The container use cases bound to their dependencies; satisfies the container routes' backend. */
export function containerService(deps: ServiceDeps) {
  return {
    create: (req: ContainerCreateRequest, o: { name?: string }) => createContainer(deps, req, o),
    list: async (o: { all: boolean; limit: number; filters: Filters }) => listContainers(deps, o),
    inspect: async (ref: string) => inspectContainer(deps, ref),
    rename: (ref: string, name: string) => renameContainer(deps, ref, name),
    remove: (ref: string, o: { force: boolean }) => removeContainer(deps, ref, o),
    wait: async (ref: string, condition: WaitCondition, signal: AbortSignal) =>
      waitContainer(deps, ref, condition, signal),
    prune: (filters: Filters) => pruneContainers(deps, filters),
  };
}
