/**
 * Network routes: list, inspect, create, remove, prune, connect and disconnect. The backend
 * interface is declared here; daemon/networks/service.ts (with the container side's connect and
 * disconnect) satisfies it structurally.
 */
import { invalidArgument } from "../../../lib/errors.js";
import type { EndpointSettings } from "../../types/containers.js";
import type { Filters } from "../../types/filters.js";
import { parseFilters } from "../../types/filters.js";
import type { Network, NetworkCreateRequest } from "../../types/networks.js";
import { sendJson, sendNoContent } from "../respond.js";
import type { Route } from "../router.js";

export interface NetworksBackend {
  list(filters: Filters): Network[];
  /** By full id, name or unique id prefix; 404 otherwise. */
  inspect(ref: string): Network;
  create(req: NetworkCreateRequest): Promise<{ Id: string; Warning: string }>;
  remove(ref: string): Promise<void>;
  prune(filters: Filters): Promise<{ NetworksDeleted: string[] | null }>;
  connect(network: string, container: string, settings?: EndpointSettings): Promise<void>;
  disconnect(network: string, container: string, force: boolean): Promise<void>;
}

async function body<T>(ctx: { json<U>(): Promise<U | undefined> }, what: string): Promise<T> {
  const req = (await ctx.json<T>()) ?? ({} as T);
  if (typeof req !== "object" || Array.isArray(req) || req === null) {
    throw invalidArgument(`invalid ${what} request: expected a JSON object`);
  }
  return req;
}

export function networkRoutes(b: NetworksBackend): Route[] {
  return [
    {
      method: "GET",
      path: "/networks",
      handler: async ({ res, query }) => sendJson(res, 200, b.list(parseFilters(query.get("filters")))),
    },
    {
      method: "POST",
      path: "/networks/create",
      handler: async (ctx) => {
        sendJson(ctx.res, 201, await b.create(await body<NetworkCreateRequest>(ctx, "network create")));
      },
    },
    {
      method: "POST",
      path: "/networks/prune",
      handler: async ({ res, query }) =>
        sendJson(res, 200, await b.prune(parseFilters(query.get("filters")))),
    },
    {
      method: "GET",
      path: "/networks/{id}",
      handler: async ({ res, params }) => sendJson(res, 200, b.inspect(params.id!)),
    },
    {
      method: "DELETE",
      path: "/networks/{id}",
      handler: async ({ res, params }) => {
        await b.remove(params.id!);
        sendNoContent(res);
      },
    },
    {
      method: "POST",
      path: "/networks/{id}/connect",
      handler: async (ctx) => {
        const req = await body<{ Container?: string; EndpointConfig?: EndpointSettings | null }>(
          ctx,
          "network connect",
        );
        if (!req.Container) throw invalidArgument("no container given: set Container to a name or id");
        await b.connect(ctx.params.id!, req.Container, req.EndpointConfig ?? {});
        ctx.res.writeHead(200).end();
      },
    },
    {
      method: "POST",
      path: "/networks/{id}/disconnect",
      handler: async (ctx) => {
        const req = await body<{ Container?: string; Force?: boolean }>(ctx, "network disconnect");
        if (!req.Container) throw invalidArgument("no container given: set Container to a name or id");
        await b.disconnect(ctx.params.id!, req.Container, req.Force === true);
        ctx.res.writeHead(200).end();
      },
    },
  ];
}
