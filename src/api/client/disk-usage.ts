/** GET /system/df for the client side (`system df`). */
import type { DiskUsage } from "../types/disk-usage.js";
import type { ApiClient } from "./client.js";

/** `types` limits what the daemon computes ("image", "container", "volume", "build-cache"). */
export function diskUsage(client: ApiClient, opts: { types?: readonly string[] } = {}) {
  return client.json<DiskUsage>("GET", "/system/df", {
    query: { type: opts.types && opts.types.length > 0 ? [...opts.types] : undefined },
  });
}
