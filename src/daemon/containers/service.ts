import type { ContainerUpdateRequest } from "../../api/types/container-update.js";
import type { ContainerCreateRequest, ExecConfig } from "../../api/types/containers.js";
import type { Filters } from "../../api/types/filters.js";
import type { ImageDeps } from "../images/deps.js";
import { attachContainer, resizeContainer } from "./attach.js";
import { createContainer } from "./create.js";
import { findContainer } from "./deps.js";
import { createExec, type ExecDeps, inspectExec, resizeExec, startExec } from "./exec.js";
import { killAndRecordLocked } from "./exit.js";
import { containerFsService } from "./fs-service.js";
import { inspectContainer } from "./inspect.js";
import { listContainers } from "./list.js";
import { containerLogs, type LogsOptions } from "./logs.js";
import { pruneContainers } from "./prune.js";
import { removeContainer } from "./remove.js";
import { renameContainer } from "./rename.js";
import { startContainer } from "./start.js";
import { containerStats, type StatsOptions } from "./stats.js";
import { killContainer, pauseContainer, restartContainer, stopContainer, unpauseContainer } from "./stop.js";
import { updateContainer } from "./update.js";
import { type WaitCondition, waitContainer } from "./wait.js";

/** `ps -s` / `inspect --size`: the writable layer's size, and that plus the image's. */
async function containerSizes(deps: ExecDeps, id: string): Promise<{ SizeRw: number; SizeRootFs: number }> {
  const c = deps.store.get(id);
  if (!c) return { SizeRw: 0, SizeRootFs: 0 };
  const rw = (await deps.snapshots.usage(c.snapshotKey).catch(() => ({ size: 0 }))).size;
  const image = deps.images.resolve(c.image);
  let imageSize = 0;
  for (const chain of image.chain)
    imageSize += (await deps.snapshots.usage(chain).catch(() => ({ size: 0 }))).size;
  return { SizeRw: rw, SizeRootFs: rw + imageSize };
}

/** The container use cases bound to their dependencies; satisfies the container routes' backends. */
export function containerService(deps: ExecDeps, images: ImageDeps) {
  const removeDeps = {
    ...deps,
    killAndWait: (c: Parameters<typeof killAndRecordLocked>[1]) => killAndRecordLocked(deps, c),
  };
  return {
    ...containerFsService(deps, images),
    create: (req: ContainerCreateRequest, o: { name?: string }) => createContainer(deps, req, o),
    list: async (o: { all: boolean; limit: number; size?: boolean; filters: Filters }) => {
      const list = listContainers(deps, o);
      if (!o.size) return list;
      return Promise.all(list.map(async (s) => ({ ...s, ...(await containerSizes(deps, s.Id)) })));
    },
    inspect: async (ref: string, o: { size?: boolean } = {}) => {
      const base = inspectContainer(deps, ref);
      const info = o.size ? { ...base, ...(await containerSizes(deps, base.Id)) } : base;
      const execs = deps.execs
        .forContainer(info.Id)
        .filter((e) => e.running)
        .map((e) => e.id);
      return { ...info, ExecIDs: execs.length ? execs : null };
    },
    start: (ref: string) => startContainer(deps, ref),
    stop: (ref: string, o: { timeout?: number; signal?: string }) => stopContainer(deps, ref, o),
    restart: (ref: string, o: { timeout?: number; signal?: string }) => restartContainer(deps, ref, o),
    kill: (ref: string, signal: string) => killContainer(deps, ref, signal),
    remove: async (ref: string, o: { force: boolean; volumes?: boolean }) => {
      const id = findContainer(deps, ref).id;
      await removeContainer(removeDeps, ref, o);
      deps.execs.dropContainer(id);
    },
    wait: async (ref: string, condition: WaitCondition, signal: AbortSignal) =>
      waitContainer(deps, ref, condition, signal),
    rename: (ref: string, name: string) => renameContainer(deps, ref, name),
    pause: (ref: string) => pauseContainer(deps, ref),
    unpause: (ref: string) => unpauseContainer(deps, ref),
    prune: (filters: Filters) => pruneContainers(deps, filters),
    logs: async (ref: string, o: LogsOptions) => containerLogs(deps, ref, o),
    attach: async (ref: string, o: { stdin: boolean; stdout: boolean; stderr: boolean }) => {
      const c = findContainer(deps, ref);
      return { tty: c.config.Tty ?? false, session: () => attachContainer(deps, ref, o) };
    },
    resize: (ref: string, h: number, w: number) => resizeContainer(deps, ref, h, w),
    execCreate: async (ref: string, config: ExecConfig) => createExec(deps, ref, config),
    execStart: (id: string, o: { detach: boolean; tty?: boolean; consoleSize?: [number, number] | null }) =>
      startExec(deps, id, o),
    execInspect: async (id: string) => inspectExec(deps, id),
    execResize: (id: string, h: number, w: number) => resizeExec(deps, id, h, w),
    stats: async (ref: string, o: StatsOptions) => containerStats(deps, ref, o),
    update: (ref: string, req: ContainerUpdateRequest) => updateContainer(deps, ref, req),
  };
}
