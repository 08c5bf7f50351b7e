/** Network endpoints for the client side (CLI, compose, tests). */
import { encodeFilters } from "../types/filters.js";
import type { Network } from "../types/networks.js";
import type { ApiClient } from "./client.js";

type FilterInput = Readonly<Record<string, readonly string[] | string | undefined>>;

export function list(client: ApiClient, opts: { filters?: FilterInput } = {}) {
  return client.json<Network[]>("GET", "/networks", {
    query: { filters: opts.filters ? encodeFilters(opts.filters) || undefined : undefined },
  });
}

export function inspect(client: ApiClient, ref: string) {
  return client.json<Network>("GET", `/networks/${encodeURIComponent(ref)}`);
}
