import type { ContainerWaitResponse } from "../../api/types/containers.js";
import { canceled } from "./_errors.js";
import { type ContainerDeps, findContainer } from "./deps.js";
import type { ContainerWatch } from "./watch.js";

export type WaitCondition = "not-running" | "next-exit" | "removed";

const isRunning = (status: string) => status === "running" || status === "paused" || status === "restarting";

/**
 * `docker wait` / POST /containers/{id}/wait. The container is resolved now (a missing one is a
 * 404 before any header is sent); the returned function waits for the condition.
 */
export function waitContainer(
  deps: ContainerDeps & { watch: ContainerWatch },
  ref: string,
  condition: WaitCondition,
  signal: AbortSignal,
): () => Promise<ContainerWaitResponse> {
  const c = findContainer(deps, ref);
  const id = c.id;
  const startedExits = c.state.finishedAt;
  let lastExit = c.state.exitCode;
  const done = (): ContainerWaitResponse | undefined => {
    const now = deps.store.get(id);
    if (!now) return { StatusCode: lastExit, Error: null }; // removal satisfies every condition
    lastExit = now.state.exitCode;
    if (condition === "removed" || isRunning(now.state.status)) return undefined;
    if (condition === "next-exit" && now.state.finishedAt === startedExits) return undefined;
    return { StatusCode: now.state.exitCode, Error: now.state.error ? { Message: now.state.error } : null };
  };
  return () =>
    new Promise<ContainerWaitResponse>((resolve, reject) => {
      const check = () => {
        const r = done();
        if (!r) return;
        off();
        signal.removeEventListener("abort", onAbort);
        resolve(r);
      };
      const onAbort = () => {
        off();
        reject(canceled("wait canceled: the client went away"));
      };
      const off = deps.watch.on(id, check);
      signal.addEventListener("abort", onAbort, { once: true });
      check();
    });
}
