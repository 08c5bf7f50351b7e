/** GET /system/df: disk usage of images, containers, volumes and build cache (`docker system df`). */
import type { DiskUsage } from "../../types/disk-usage.js";
import { sendJson } from "../respond.js";
import type { Route } from "../router.js";

export interface DiskUsageBackend {
  /** `types` empty: everything. Unknown types are invalid-argument. */
  diskUsage(opts: { types: string[] }): Promise<DiskUsage>;
}

export function systemDfRoutes(b: DiskUsageBackend): Route[] {
  return [
    {
      method: "GET",
      path: "/system/df",
      handler: async ({ res, query }) =>
        sendJson(res, 200, await b.diskUsage({ types: query.getAll("type") })),
    },
  ];
}
