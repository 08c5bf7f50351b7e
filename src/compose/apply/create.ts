/** Creating one service container from the plan: labels, create body, extra network endpoints. */
import * as containers from "../../api/client/containers.js";
import type { ContainerSummary } from "../../api/types/containers.js";
import { canonicalJson, configHash } from "../plan/config-hash.js";
import { type CreateInput, createBody } from "../plan/create-body.js";
import { containerLabels, containerName, imageName } from "../plan/labels.js";
import type { ComposeContext } from "./context.js";

export interface CreatedContainer {
  id: string;
  name: string;
}

export type CreateOverrides = Omit<CreateInput, "project" | "service" | "image" | "labels" | "containerOf">;

export async function createServiceContainer(
  ctx: ComposeContext,
  service: string,
  number: number,
  opts: {
    imageId?: string;
    name?: string;
    oneoff?: boolean;
    overrides?: CreateOverrides;
    /** Current containers of the project, for "service:x" references. */
    running?: readonly ContainerSummary[];
    /** The daemon has no user-defined networks: leave the container on its default bridge. */
    defaultNetworkOnly?: boolean;
  } = {},
): Promise<CreatedContainer> {
  const { project } = ctx;
  const svc = project.services[service]!;
  const name = opts.name ?? containerName(project.name, service, svc, number);
  const labels = containerLabels({
    project,
    meta: ctx.meta,
    service,
    number,
    hash: configHash(svc),
    canonical: canonicalJson(svc),
    oneoff: opts.oneoff,
    imageId: opts.imageId,
  });
  const body = createBody({
    project,
    service,
    image: imageName(project.name, service, svc),
    labels,
    containerOf: (s) => {
      const c = opts.running?.find((x) => x.Labels["com.docker.compose.service"] === s);
      return c
        ? c.Names[0]?.replace(/^\//, "")
        : project.services[s]
          ? containerName(project.name, s, project.services[s]!, 1)
          : undefined;
    },
    ...opts.overrides,
    defaultNetworkOnly: opts.defaultNetworkOnly,
  });
  const { Id } = await containers.create(ctx.client, body, { name });
  // Daemons older than API 1.44 attach only one network at create: connect the rest.
  const endpoints = Object.entries(body.NetworkingConfig?.EndpointsConfig ?? {});
  if (endpoints.length > 1) {
    const c = await containers.inspect(ctx.client, Id);
    const have = new Set(Object.keys(c.NetworkSettings?.Networks ?? {}));
    for (const [net, ep] of endpoints) {
      if (have.has(net)) continue;
      await ctx.client.request("POST", `/networks/${encodeURIComponent(net)}/connect`, {
        body: { Container: Id, EndpointConfig: ep },
      });
    }
  }
  return { id: Id, name };
}
