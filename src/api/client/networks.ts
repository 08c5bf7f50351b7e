/** Network endpoints for the client side (CLI, compose, tests). */

import type { EndpointSettings } from "../types/containers.js";
import { encodeFilters } from "../types/filters.js";
import type { Network, NetworkCreateRequest } from "../types/networks.js";
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

const path = (ref: string) => `/networks/${encodeURIComponent(ref)}`;

export function create(client: ApiClient, req: NetworkCreateRequest) {
  return client.json<{ Id: string; Warning?: string }>("POST", "/networks/create", { body: req });
}

export async function remove(client: ApiClient, ref: string): Promise<void> {
  await client.request("DELETE", path(ref));
}

export function prune(client: ApiClient, filters: FilterInput = {}) {
  return client.json<{ NetworksDeleted: string[] | null }>("POST", "/networks/prune", {
    query: { filters: encodeFilters(filters) || undefined },
  });
}

export async function connect(
  client: ApiClient,
  ref: string,
  container: string,
  endpointConfig: EndpointSettings = {},
): Promise<void> {
  await client.request("POST", `${path(ref)}/connect`, {
    body: { Container: container, EndpointConfig: endpointConfig },
  });
}

export async function disconnect(client: ApiClient, ref: string, container: string, force = false) {
  await client.request("POST", `${path(ref)}/disconnect`, { body: { Container: container, Force: force } });
}
