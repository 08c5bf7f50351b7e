/**
 * Project networks and volumes: created with Docker Compose's labels when missing, checked when
 * external, removed by `down`. Network calls go straight to the Engine API paths.
 */
import type { ApiClient } from "../../api/client/client.js";
import { ApiError } from "../../api/client/client.js";
import * as volumes from "../../api/client/volumes.js";
import type { Network } from "../../api/types/networks.js";
import { BerthError, isKind } from "../../lib/errors.js";
import type { Project } from "../model.js";
import { L, projectLabels } from "../plan/labels.js";
import { type ComposeContext, event } from "./context.js";

const enc = encodeURIComponent;

export async function inspectNetwork(client: ApiClient, name: string): Promise<Network | undefined> {
  try {
    return await client.json<Network>("GET", `/networks/${enc(name)}`);
  } catch (err) {
    if (isKind(err, "not-found")) return undefined;
    throw err;
  }
}

/** The networks and volumes (model keys) that the given services use. */
export function usedResources(
  project: Project,
  services: Iterable<string>,
): { networks: string[]; volumes: string[] } {
  const nets = new Set<string>();
  const vols = new Set<string>();
  for (const s of services) {
    const svc = project.services[s];
    if (!svc) continue;
    if (!svc.network_mode) for (const n of Object.keys(svc.networks ?? {})) nets.add(n);
    for (const v of svc.volumes ?? [])
      if (v.type === "volume" && v.source && project.volumes?.[v.source]) vols.add(v.source);
  }
  return { networks: [...nets].sort(), volumes: [...vols].sort() };
}

/**
 * Creates the network unless it exists. Returns false when the daemon answers 501 (no user-defined
 * networks): the caller then leaves containers on the default bridge, with a warning.
 */
export async function ensureNetwork(ctx: ComposeContext, key: string): Promise<boolean> {
  const cfg = ctx.project.networks?.[key];
  const name = cfg?.name ?? `${ctx.project.name}_${key}`;
  const found = await inspectNetwork(ctx.client, name);
  if (cfg?.external) {
    if (!found)
      throw new BerthError(
        "not-found",
        `network ${name} declared as external, but could not be found: create it with "berth network create ${name}"`,
      );
    return true;
  }
  if (found) return true;
  const ipam = cfg?.ipam;
  const body = {
    Name: name,
    Driver: cfg?.driver ?? "bridge",
    Options: cfg?.driver_opts ?? {},
    Internal: cfg?.internal ?? false,
    Attachable: cfg?.attachable ?? false,
    EnableIPv6: cfg?.enable_ipv6,
    IPAM: ipam
      ? {
          Driver: ipam.driver ?? "default",
          Options: ipam.options,
          Config: (ipam.config ?? []).map((c) => ({
            Subnet: c.subnet,
            IPRange: c.ip_range,
            Gateway: c.gateway,
            AuxiliaryAddresses: c.aux_addresses,
          })),
        }
      : undefined,
    Labels: { ...(cfg?.labels ?? {}), ...projectLabels(ctx.project), [L.network]: key },
    CheckDuplicate: true,
  };
  ctx.progress(event("Network", name, "Creating"));
  try {
    await ctx.client.json("POST", "/networks/create", { body });
  } catch (err) {
    if (err instanceof ApiError && err.status === 501) {
      ctx.progress(
        `WARN[0000] network ${name} not created: this daemon has no user-defined networks (${err.message}); containers use the default bridge and cannot reach each other by service name`,
      );
      return false;
    }
    if (isKind(err, "conflict") && (await inspectNetwork(ctx.client, name))) return true; // made concurrently
    throw err;
  }
  ctx.progress(event("Network", name, "Created"));
  return true;
}

export async function ensureVolume(ctx: ComposeContext, key: string): Promise<void> {
  const cfg = ctx.project.volumes?.[key];
  const name = cfg?.name ?? `${ctx.project.name}_${key}`;
  let exists = true;
  try {
    await volumes.inspect(ctx.client, name);
  } catch (err) {
    if (!isKind(err, "not-found")) throw err;
    exists = false;
  }
  if (cfg?.external) {
    if (!exists)
      throw new BerthError(
        "not-found",
        `external volume "${name}" not found: create it with "berth volume create ${name}"`,
      );
    return;
  }
  if (exists) return;
  ctx.progress(event("Volume", name, "Creating"));
  await volumes.create(ctx.client, {
    Name: name,
    Driver: cfg?.driver ?? "local",
    DriverOpts: cfg?.driver_opts ?? {},
    Labels: { ...(cfg?.labels ?? {}), ...projectLabels(ctx.project), [L.volume]: key },
  });
  ctx.progress(event("Volume", name, "Created"));
}

/** Removes the project's own (not external) networks; ones still in use are reported, not fatal. */
export async function removeNetworks(ctx: ComposeContext, keys: readonly string[]): Promise<void> {
  for (const key of keys) {
    const cfg = ctx.project.networks?.[key];
    if (cfg?.external) continue;
    const name = cfg?.name ?? `${ctx.project.name}_${key}`;
    const found = await inspectNetwork(ctx.client, name);
    if (!found || found.Labels?.[L.project] !== ctx.project.name) continue;
    ctx.progress(event("Network", name, "Removing"));
    try {
      await ctx.client.request("DELETE", `/networks/${enc(found.Id)}`);
      ctx.progress(event("Network", name, "Removed"));
    } catch (err) {
      if (isKind(err, "not-found")) continue;
      ctx.progress(event("Network", name, `Error: ${(err as Error).message}`));
    }
  }
}

/** Networks labelled with the project (for `down -p NAME` without a compose file). */
export async function labelledNetworks(client: ApiClient, project: string): Promise<Network[]> {
  const all = await client.json<Network[]>("GET", "/networks", {
    query: { filters: JSON.stringify({ label: [`${L.project}=${project}`] }) },
  });
  return all.filter((n) => n.Labels?.[L.project] === project);
}

export async function removeVolumes(ctx: ComposeContext, keys: readonly string[]): Promise<void> {
  for (const key of keys) {
    const cfg = ctx.project.volumes?.[key];
    if (cfg?.external) continue;
    const name = cfg?.name ?? `${ctx.project.name}_${key}`;
    try {
      const v = await volumes.inspect(ctx.client, name);
      if (v.Labels?.[L.project] !== ctx.project.name) continue;
      ctx.progress(event("Volume", name, "Removing"));
      await volumes.remove(ctx.client, name);
      ctx.progress(event("Volume", name, "Removed"));
    } catch (err) {
      if (isKind(err, "not-found")) continue;
      ctx.progress(event("Volume", name, `Error: ${(err as Error).message}`));
    }
  }
}
