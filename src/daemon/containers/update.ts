import type { ContainerUpdateRequest, ContainerUpdateResponse } from "../../api/types/container-update.js";
import { BerthError, errorMessage, kindOf, notFound } from "../../lib/errors.js";
import { updateResources } from "../../runtime/update.js";
import { eventAttributes, findContainer } from "./deps.js";
import type { RuntimeDeps } from "./runtime-deps.js";
import { liveResources, mergeUpdate } from "./update-resources.js";

/**
 * `docker update`: stores the new resources and restart policy in the container's HostConfig and,
 * when it runs, applies the resources to its cgroups through the runtime. When the runtime refuses,
 * nothing is stored (as Docker restores the old config). A stopped container gets them at its next
 * start; a new restart policy counts from the next exit.
 */
export async function updateContainer(
  deps: RuntimeDeps,
  ref: string,
  req: ContainerUpdateRequest,
): Promise<ContainerUpdateResponse> {
  const c = findContainer(deps, ref);
  await deps.locks.run(c.id, async () => {
    const cur = deps.store.get(c.id);
    if (!cur) throw notFound(`No such container: ${ref}`);
    const hostConfig = mergeUpdate(cur.hostConfig, req);
    if (cur.state.status === "running" || cur.state.status === "paused") {
      try {
        await updateResources(deps.runtime, cur.id, liveResources(hostConfig));
      } catch (err) {
        const kind = kindOf(err) === "internal" ? "internal" : "conflict";
        throw new BerthError(kind, `Cannot update container ${cur.id}: ${errorMessage(err)}`, { cause: err });
      }
    }
    await deps.store.put({ ...cur, hostConfig });
  });
  deps.publish({ Type: "container", Action: "update", Actor: { ID: c.id, Attributes: eventAttributes(c) } });
  return { Warnings: [] };
}
