/** Volume endpoints for the client side (CLI, compose, tests). */
import { encodeFilters } from "../types/filters.js";
import type { Volume, VolumeCreateRequest, VolumeListResponse, VolumePruneReport } from "../types/volumes.js";
import type { ApiClient } from "./client.js";

type FilterInput = Readonly<Record<string, readonly string[] | string | undefined>>;

const path = (name: string) => `/volumes/${encodeURIComponent(name)}`;

export function list(client: ApiClient, opts: { filters?: FilterInput } = {}) {
  return client.json<VolumeListResponse>("GET", "/volumes", {
    query: { filters: opts.filters ? encodeFilters(opts.filters) || undefined : undefined },
  });
}

export function create(client: ApiClient, req: VolumeCreateRequest = {}) {
  return client.json<Volume>("POST", "/volumes/create", { body: req });
}

export function inspect(client: ApiClient, name: string) {
  return client.json<Volume>("GET", path(name));
}

export async function remove(client: ApiClient, name: string, opts: { force?: boolean } = {}): Promise<void> {
  await client.request("DELETE", path(name), { query: { force: opts.force || undefined } });
}

export function prune(client: ApiClient, filters: FilterInput = {}) {
  return client.json<VolumePruneReport>("POST", "/volumes/prune", {
    query: { filters: encodeFilters(filters) || undefined },
  });
}
