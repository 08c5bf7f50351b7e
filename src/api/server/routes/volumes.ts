/**
 * Volume routes: GET /volumes, POST /volumes/create, GET|DELETE /volumes/{name}, POST /volumes/prune.
 * The backend interface is declared here; daemon/volumes/service.ts satisfies it structurally.
 */
import { invalidArgument } from "../../../lib/errors.js";
import { type Filters, parseFilters } from "../../types/filters.js";
import type {
  Volume,
  VolumeCreateRequest,
  VolumeListResponse,
  VolumePruneReport,
} from "../../types/volumes.js";
import { queryBool } from "../query.js";
import { sendJson, sendNoContent } from "../respond.js";
import type { Route } from "../router.js";

export interface VolumesBackend {
  list(filters: Filters): Promise<VolumeListResponse>;
  create(req: VolumeCreateRequest): Promise<Volume>;
  inspect(name: string): Promise<Volume>;
  /** 409 when a container uses it; force: a missing volume is not an error. */
  remove(name: string, opts: { force: boolean }): Promise<void>;
  prune(filters: Filters): Promise<VolumePruneReport>;
}

export function volumeRoutes(b: VolumesBackend): Route[] {
  return [
    {
      method: "GET",
      path: "/volumes",
      handler: async ({ res, query }) => sendJson(res, 200, await b.list(parseFilters(query.get("filters")))),
    },
    {
      method: "POST",
      path: "/volumes/create",
      handler: async (ctx) => {
        const req = (await ctx.json<VolumeCreateRequest>()) ?? {};
        if (typeof req !== "object" || Array.isArray(req) || req === null) {
          throw invalidArgument("invalid volume create request: expected a JSON object");
        }
        sendJson(ctx.res, 201, await b.create(req));
      },
    },
    {
      method: "POST",
      path: "/volumes/prune",
      handler: async ({ res, query }) =>
        sendJson(res, 200, await b.prune(parseFilters(query.get("filters")))),
    },
    {
      method: "GET",
      path: "/volumes/{name}",
      handler: async ({ res, params }) => sendJson(res, 200, await b.inspect(params.name!)),
    },
    {
      method: "DELETE",
      path: "/volumes/{name}",
      handler: async ({ res, params, query }) => {
        await b.remove(params.name!, { force: queryBool(query, "force") });
        sendNoContent(res);
      },
    },
  ];
}
