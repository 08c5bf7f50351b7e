import type { ContainerUpdateRequest, ContainerUpdateResponse } from "../../api/types/container-update.js";
import type { HostConfig } from "../../api/types/containers.js";
import { BerthError, errorMessage, invalidArgument, kindOf, notFound } from "../../lib/errors.js";
import { updateResources } from "../../runtime/update.js";
import { eventAttributes, findContainer } from "./deps.js";
import type { ContainerRecord } from "./record.js";
import type { RuntimeDeps } from "./runtime-deps.js";
import { portRequests } from "./start.js";
import { editPortBindings } from "./update-ports.js";
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
    const running = cur.state.status === "running" || cur.state.status === "paused";
    let next = cur;
    if (req.BerthPortBindingsAdd || req.BerthPortBindingsRemove) {
      next = await updatePorts(deps, cur, hostConfig, req, running);
    }
    if (running) {
      try {
        await updateResources(deps.runtime, cur.id, liveResources(hostConfig));
      } catch (err) {
        const kind = kindOf(err) === "internal" ? "internal" : "conflict";
        throw new BerthError(kind, `Cannot update container ${cur.id}: ${errorMessage(err)}`, { cause: err });
      }
    }
    await deps.store.put({ ...next, hostConfig });
  });
  deps.publish({ Type: "container", Action: "update", Actor: { ID: c.id, Attributes: eventAttributes(c) } });
  return { Warnings: [] };
}

/**
 * berth's live port update: the new PortBindings (and ExposedPorts) into `hostConfig`, and for a
 * running container the proxies and DNAT rules replaced at once (the old ones back if that fails).
 */
async function updatePorts(
  deps: RuntimeDeps,
  cur: ContainerRecord,
  hostConfig: HostConfig,
  req: ContainerUpdateRequest,
  running: boolean,
): Promise<ContainerRecord> {
  const mode = cur.hostConfig.NetworkMode || "default";
  if (mode === "host" || mode === "none" || mode.startsWith("container:")) {
    throw invalidArgument(`container ${cur.name} uses network mode ${mode}: it has no ports to publish`);
  }
  hostConfig.PortBindings = editPortBindings(
    cur.hostConfig.PortBindings,
    req.BerthPortBindingsAdd,
    req.BerthPortBindingsRemove,
  );
  const exposed = { ...(cur.config.ExposedPorts ?? {}) };
  for (const k of Object.keys(hostConfig.PortBindings)) exposed[k] = {};
  let next: ContainerRecord = { ...cur, config: { ...cur.config, ExposedPorts: exposed } };
  const first = cur.endpoints?.[0];
  if (running && first && deps.network) {
    const ports = await deps.network.republish(cur.id, cur.name, portRequests({ ...next, hostConfig }));
    next = { ...next, endpoints: [{ ...first, ports }, ...(cur.endpoints ?? []).slice(1)] };
  }
  return next;
}
