import type { ContainerCreateRequest, ContainerCreateResponse } from "../../api/types/containers.js";
import { invalidArgument } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import { requestsFromBindings } from "../../network/portmap/spec.js";
import { assertNameFree, type ContainerDeps, eventAttributes } from "./deps.js";
import { logPolicy } from "./log-policy.js";
import { entrypointAndArgs, mergeImageConfig } from "./merge-config.js";
import { generateName, VALID_NAME } from "./names.js";
import { planAttachments } from "./networking.js";
import { type ContainerRecord, initialState } from "./record.js";
import { removeAnonymousVolumes, resolveMountPoints } from "./volume-mounts.js";

/**
 * `docker create`: records the container and prepares its writable layer on the image's layers.
 * Nothing runs yet; start.ts does that.
 */
export async function createContainer(
  deps: ContainerDeps,
  req: ContainerCreateRequest,
  opts: { name?: string } = {},
): Promise<ContainerCreateResponse> {
  const imageName = req.Image;
  if (!imageName) throw invalidArgument("config.Image is required: which image should the container run?");
  let name: string | undefined = opts.name;
  if (name !== undefined && name !== "") {
    if (!VALID_NAME.test(name)) {
      throw invalidArgument(`Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
    }
    name = name.replace(/^\//, "");
  } else {
    name = generateName(Math.random, (n) => deps.store.all().some((c) => c.name === n));
  }
  const image = deps.images.resolve(imageName);
  const imageConfig = await deps.images.config(image.id);
  const { HostConfig: hostConfig = {}, NetworkingConfig: netConfig, ...userConfig } = req;
  const config = mergeImageConfig(userConfig, imageConfig.config);
  const argv = entrypointAndArgs(config);
  if (argv.length === 0 || argv[0] === "") throw invalidArgument("no command specified");
  const id = newId();
  config.Hostname ||= id.slice(0, 12);
  config.Image = imageName;
  validateHostConfig(hostConfig);
  const { networks } = planAttachments(deps, hostConfig, netConfig?.EndpointsConfig ?? {});

  return deps.locks.run(`name:${name}`, async () => {
    assertNameFree(deps, name);
    const mountPoints = await resolveMountPoints(deps, hostConfig, config);
    const snapshotKey = `container-${id}`;
    const parent = image.chain[image.chain.length - 1];
    try {
      await deps.snapshots.prepare(snapshotKey, parent);
    } catch (err) {
      await removeAnonymousVolumes(deps, { mountPoints });
      throw err;
    }
    const record: ContainerRecord = {
      schemaVersion: 1,
      id,
      name,
      created: new Date().toISOString(),
      image: image.id,
      imageName,
      config,
      hostConfig: {
        NetworkMode: "default",
        RestartPolicy: { Name: "no", MaximumRetryCount: 0 },
        ...hostConfig,
        // As dockerd: the daemon's log driver when the client names none (docker-py reads the Type).
        LogConfig: {
          Type: hostConfig.LogConfig?.Type || "json-file",
          Config: hostConfig.LogConfig?.Config ?? {},
        },
      },
      path: argv[0]!,
      args: argv.slice(1),
      snapshotKey,
      ...(mountPoints.length ? { mountPoints } : {}),
      ...(networks ? { networks } : {}),
      state: initialState(),
      restartCount: 0,
      stoppedByUser: false,
    };
    try {
      await deps.store.put(record);
    } catch (err) {
      await deps.snapshots.remove(snapshotKey).catch(() => {});
      await removeAnonymousVolumes(deps, { mountPoints });
      throw err;
    }
    deps.publish({
      Type: "container",
      Action: "create",
      Actor: { ID: id, Attributes: eventAttributes(record) },
    });
    return { Id: id, Warnings: [] };
  });
}

function validateHostConfig(h: NonNullable<ContainerCreateRequest["HostConfig"]>): void {
  requestsFromBindings(h.PortBindings ?? {}); // a malformed -p is refused at create, as Docker does
  logPolicy(h); // refuses unknown log drivers and bad max-size/max-file now rather than at start
  const policy = h.RestartPolicy?.Name ?? "";
  if (!["", "no", "always", "unless-stopped", "on-failure"].includes(policy)) {
    throw invalidArgument(`invalid restart policy '${policy}'`);
  }
  if (h.RestartPolicy?.MaximumRetryCount && policy !== "on-failure") {
    throw invalidArgument(`maximum retry count cannot be used with restart policy '${policy}'`);
  }
  if (h.AutoRemove && policy && policy !== "no") {
    throw invalidArgument("can't create 'AutoRemove' container with restart policy");
  }
  if (h.Memory !== undefined && h.Memory !== 0 && h.Memory < 6 * 1024 * 1024) {
    throw invalidArgument("Minimum memory limit allowed is 6MB");
  }
  if (h.MemorySwap !== undefined && h.MemorySwap > 0 && h.Memory && h.MemorySwap < h.Memory) {
    throw invalidArgument("Minimum memoryswap limit should be larger than memory limit, see usage");
  }
}
