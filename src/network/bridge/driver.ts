/**
 * The bridge driver's shell: applies the plans of plan.ts and netns.ts through a CommandRunner and
 * reads the little host state the planners need (does a link exist, which routes does the host have).
 */
import type { CommandRunner } from "../../lib/exec.js";
import { routeDestinations } from "../ipam/pools.js";
import { applyPlan, applyWithRollback } from "../plan.js";
import type { BridgeNetwork, Endpoint } from "../types.js";
import { planNetnsCreate, planNetnsRemove } from "./netns.js";
import {
  type PlanOptions,
  planEndpoint,
  planEndpointTeardown,
  planHostSysctls,
  planNetworkConfigure,
  planNetworkCreate,
  planNetworkTeardown,
} from "./plan.js";

export async function linkExists(runner: CommandRunner, name: string): Promise<boolean> {
  const r = await runner.run("ip", ["-j", "link", "show", "dev", name], { allowFailure: true });
  return r.code === 0;
}

/**
 * Makes sure the network's bridge exists and is configured. Safe to call again (daemon start after
 * a crash): an existing bridge keeps its ports, only its settings are re-applied.
 */
export async function ensureNetwork(
  runner: CommandRunner,
  net: BridgeNetwork,
  opts: PlanOptions = {},
): Promise<void> {
  if (!(await linkExists(runner, net.bridge))) {
    await applyWithRollback(
      runner,
      [...planNetworkCreate(net), ...planNetworkConfigure(net, opts)],
      planNetworkTeardown(net),
    );
    return;
  }
  await applyPlan(runner, planNetworkConfigure(net, opts));
}

export async function removeNetwork(
  runner: CommandRunner,
  net: Pick<BridgeNetwork, "bridge">,
): Promise<void> {
  await applyPlan(runner, planNetworkTeardown(net));
}

/** Sets the host sysctls berth relies on (ip_forward). */
export async function applyHostSysctls(runner: CommandRunner): Promise<void> {
  await applyPlan(runner, planHostSysctls());
}

/** Connects a container; on failure the half-made veth pair is removed before the error is thrown. */
export async function connectEndpoint(
  runner: CommandRunner,
  net: BridgeNetwork,
  ep: Endpoint,
  opts: PlanOptions = {},
): Promise<void> {
  await applyWithRollback(runner, planEndpoint(net, ep, opts), planEndpointTeardown(ep));
}

export async function disconnectEndpoint(
  runner: CommandRunner,
  ep: Pick<Endpoint, "hostVeth">,
): Promise<void> {
  await applyPlan(runner, planEndpointTeardown(ep));
}

export async function createNetns(runner: CommandRunner, path: string): Promise<void> {
  await applyWithRollback(runner, planNetnsCreate(path), planNetnsRemove(path));
}

export async function removeNetns(runner: CommandRunner, path: string): Promise<void> {
  await applyPlan(runner, planNetnsRemove(path));
}

/** Destinations of the host's IPv4 routes (main table), for `allocateSubnet`'s `hostRoutes`. */
export async function hostRoutes(runner: CommandRunner): Promise<string[]> {
  const r = await runner.run("ip", ["-j", "-4", "route", "show"]);
  const parsed = JSON.parse(r.stdout || "[]") as { dst?: string }[];
  return routeDestinations(parsed);
}
