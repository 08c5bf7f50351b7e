/**
 * Network routes: GET /networks, GET /networks/{id}, POST /networks/prune (nothing to prune). The
 * backend interface is declared here; daemon/networks/service.ts satisfies it structurally. Creating,
 * connecting and removing networks is refused plainly until berth has user-defined networks.
 */
import { BerthError } from "../../../lib/errors.js";
import type { Filters } from "../../types/filters.js";
import { parseFilters } from "../../types/filters.js";
import type { Network } from "../../types/networks.js";
import { sendJson } from "../respond.js";
import type { Route } from "../router.js";

export interface NetworksBackend {
  list(filters: Filters): Network[];
  /** By full id, name or unique id prefix; 404 otherwise. */
  inspect(ref: string): Network;
}

const notYet = () =>
  new BerthError(
    "not-implemented",
    "user-defined networks are not supported by berth yet: containers use the default bridge (or --network none/host)",
  );

export function networkRoutes(b: NetworksBackend): Route[] {
  return [
    {
      method: "GET",
      path: "/networks",
      handler: async ({ res, query }) => sendJson(res, 200, b.list(parseFilters(query.get("filters")))),
    },
    {
      method: "GET",
      path: "/networks/{id}",
      handler: async ({ res, params }) => sendJson(res, 200, b.inspect(params.id!)),
    },
    {
      // Only predefined networks exist, and prune never removes those: nothing to delete.
      method: "POST",
      path: "/networks/prune",
      handler: async ({ res }) => sendJson(res, 200, { NetworksDeleted: null }),
    },
    ...(["/networks/create", "/networks/{id}/connect", "/networks/{id}/disconnect"] as const).map(
      (path): Route => ({
        method: "POST",
        path,
        handler: async () => {
          throw notYet();
        },
      }),
    ),
    {
      method: "DELETE",
      path: "/networks/{id}",
      handler: async ({ params }) => {
        const n = b.inspect(params.id!);
        throw new BerthError("permission-denied", `${n.Name} is a pre-defined network and cannot be removed`);
      },
    },
  ];
}
