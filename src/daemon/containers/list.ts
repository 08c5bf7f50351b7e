import type { ContainerSummary } from "../../api/types/containers.js";
import type { Filters } from "../../api/types/filters.js";
import { invalidArgument } from "../../lib/errors.js";
import { matchLabel } from "../filter-values.js";
import { type ContainerDeps, findContainer } from "./deps.js";
import { mountPointsOf } from "./mount-points.js";
import { summaryPorts } from "./port-views.js";
import type { ContainerRecord } from "./record.js";
import { statusText } from "./status-text.js";

const FILTERS = new Set([
  "id",
  "name",
  "label",
  "status",
  "ancestor",
  "exited",
  "before",
  "since",
  "health",
  "is-task",
  "volume",
  "network",
  "publish",
  "expose",
]);
const STATUSES = new Set(["created", "restarting", "running", "removing", "paused", "exited", "dead"]);

export interface ListOptions {
  all?: boolean;
  limit?: number;
  filters?: Filters;
}

/** `docker ps`: newest first; stopped containers only with `all` (or a filter that asks for them). */
export function listContainers(
  deps: ContainerDeps,
  opts: ListOptions = {},
  now = Date.now(),
): ContainerSummary[] {
  const f = opts.filters ?? {};
  for (const k of Object.keys(f)) if (!FILTERS.has(k)) throw invalidArgument(`invalid filter '${k}'`);
  for (const s of f.status ?? []) {
    if (!STATUSES.has(s)) throw invalidArgument(`invalid filter 'status=${s}'`);
  }
  for (const e of f.exited ?? [])
    if (!/^-?\d+$/.test(e)) throw invalidArgument(`invalid filter 'exited=${e}'`);
  const before = f.before?.map((r) => findContainer(deps, r).created);
  const since = f.since?.map((r) => findContainer(deps, r).created);
  let all = deps.store.all().sort((a, b) => b.created.localeCompare(a.created));
  const showAll = opts.all || (opts.limit ?? 0) > 0 || f.status !== undefined || f.exited !== undefined;
  all = all.filter((c) => {
    if (
      !showAll &&
      c.state.status !== "running" &&
      c.state.status !== "paused" &&
      c.state.status !== "restarting"
    )
      return false;
    if (f.id && !f.id.some((p) => c.id.startsWith(p))) return false;
    if (f.name && !f.name.some((p) => new RegExp(p).test(c.name))) return false;
    if (f.status && !f.status.includes(c.state.status)) return false;
    if (f.exited && !(c.state.status === "exited" && f.exited.includes(String(c.state.exitCode))))
      return false;
    if (f.label && !f.label.every((l) => matchLabel(l, c.config.Labels ?? {}))) return false;
    if (f.ancestor && !f.ancestor.some((a) => ancestorMatches(deps, a, c))) return false;
    if (f.health && !f.health.includes(c.health?.status ?? "none")) return false;
    if (f.volume && !f.volume.some((v) => mountedVolume(c, v))) return false;
    if (f.network && !f.network.some((n) => onNetwork(c, n))) return false;
    if (before && !before.every((t) => c.created < t)) return false;
    if (since && !since.every((t) => c.created > t)) return false;
    return true;
  });
  if (opts.limit && opts.limit > 0) all = all.slice(0, opts.limit);
  return all.map((c) => summary(c, now));
}

/** ps --filter network=: a network's name or id (or id prefix) among the container's networks. */
function onNetwork(c: ContainerRecord, ref: string): boolean {
  const mode = c.hostConfig.NetworkMode || "default";
  if (!c.networks) return ref === mode || (ref === "bridge" && mode === "default");
  return c.networks.some((a) => a.networkName === ref || (ref.length >= 1 && a.networkId.startsWith(ref)));
}

/** ps --filter volume=: a volume name (or a bind's host path) or a destination, as in moby. */
function mountedVolume(c: ContainerRecord, v: string): boolean {
  return (c.mountPoints ?? []).some((m) => m.destination === v || (m.name ? m.name === v : m.source === v));
}

function ancestorMatches(deps: ContainerDeps, ref: string, c: ContainerRecord): boolean {
  try {
    return deps.images.resolve(ref).id === c.image;
  } catch {
    return c.imageName === ref;
  }
}

/** moby's list.go: arguments with spaces are single-quoted. */
function quoteArg(a: string): string {
  return a.includes(" ") ? `'${a}'` : a;
}

export function summary(c: ContainerRecord, now: number): ContainerSummary {
  return {
    Id: c.id,
    Names: [`/${c.name}`],
    Image: c.imageName,
    ImageID: c.image,
    Command: c.args.length ? `${c.path} ${c.args.map(quoteArg).join(" ")}` : c.path,
    Created: Math.floor(Date.parse(c.created) / 1000),
    Ports: summaryPorts(c, c.state.status === "running" || c.state.status === "paused"),
    Labels: c.config.Labels ?? {},
    State: c.state.status,
    Status: statusText(c, now),
    HostConfig: { NetworkMode: c.hostConfig.NetworkMode ?? "default" },
    NetworkSettings: { Networks: summaryNetworks(c) },
    Mounts: mountPointsOf(c.mountPoints),
  };
}

/** The networks of `docker ps`'s JSON: name → id and, while running, the address. */
function summaryNetworks(c: ContainerRecord): Record<string, { NetworkID: string; IPAddress: string }> {
  const running = c.state.status === "running" || c.state.status === "paused";
  const out: Record<string, { NetworkID: string; IPAddress: string }> = {};
  for (const a of c.networks ?? []) {
    const ep = running ? c.endpoints?.find((e) => e.networkId === a.networkId) : undefined;
    out[a.networkName] = { NetworkID: a.networkId, IPAddress: ep?.ip ?? "" };
  }
  return out;
}
