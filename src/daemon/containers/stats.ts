import os from "node:os";
import type { ContainerStats } from "../../api/types/stats.js";
import { readCgroupSample, readHostCpu, readNetDev } from "../../runtime/cgroups/index.js";
import { containerCgroup } from "./cgroup.js";
import { findContainer } from "./deps.js";
import type { ContainerRecord } from "./record.js";
import type { RuntimeDeps } from "./runtime-deps.js";
import { emptyStats, type StatsMeta, type StatsSample, toDockerStats } from "./stats-shape.js";

export interface StatsOptions {
  /** One frame a second until the client goes away (Docker's default). */
  stream: boolean;
  /** With stream=false: answer at once, without the second reading that fills precpu_stats. */
  oneShot: boolean;
  signal: AbortSignal;
}

/** Docker's collection interval. */
const INTERVAL_MS = 1000;

/**
 * `docker stats`: GET /containers/{id}/stats. The container is resolved now (a 404 comes before any
 * header); the frames follow. A container that is not running gives Docker's empty frame. Streaming
 * ends when the signal aborts (the client left) or the container is removed.
 */
export function containerStats(
  deps: RuntimeDeps,
  ref: string,
  opts: StatsOptions,
): AsyncIterable<ContainerStats> {
  const c = findContainer(deps, ref);
  return opts.stream ? streamFrames(deps, c.id, opts.signal) : singleFrame(deps, c.id, opts);
}

async function* singleFrame(
  deps: RuntimeDeps,
  id: string,
  opts: StatsOptions,
): AsyncGenerator<ContainerStats> {
  const first = await sampleOf(deps, id);
  if (!first || opts.oneShot) {
    yield frame(deps, id, first);
    return;
  }
  // As Docker: the answer waits for a second reading, so CPU % has something to compare with.
  await sleep(INTERVAL_MS, opts.signal);
  if (opts.signal.aborted) return;
  const second = await sampleOf(deps, id);
  yield frame(deps, id, second, second ? first.sample : undefined);
}

async function* streamFrames(
  deps: RuntimeDeps,
  id: string,
  signal: AbortSignal,
): AsyncGenerator<ContainerStats> {
  let prev: StatsSample | undefined;
  while (!signal.aborted && deps.store.get(id)) {
    const cur = await sampleOf(deps, id);
    yield frame(deps, id, cur, prev);
    prev = cur?.sample;
    await sleep(INTERVAL_MS, signal);
  }
}

function frame(
  deps: RuntimeDeps,
  id: string,
  cur: { sample: StatsSample; meta: StatsMeta } | undefined,
  prev?: StatsSample,
): ContainerStats {
  if (cur) return toDockerStats(cur.sample, prev, cur.meta);
  const rec = deps.store.get(id);
  return emptyStats({ name: `/${rec?.name ?? ""}`, id });
}

const running = (c: ContainerRecord | undefined): c is ContainerRecord =>
  c?.state.status === "running" || c?.state.status === "paused";

/** One reading, or undefined when the container is not running. */
async function sampleOf(
  deps: RuntimeDeps,
  id: string,
): Promise<{ sample: StatsSample; meta: StatsMeta } | undefined> {
  const c = deps.store.get(id);
  if (!running(c)) return undefined;
  const cg = await containerCgroup(deps, id, c.state.pid);
  if (!cg) return undefined;
  const ownNetwork = (c.hostConfig.NetworkMode ?? "default") !== "host";
  const [cgroup, host, networks] = await Promise.all([
    readCgroupSample(cg),
    readHostCpu(),
    ownNetwork ? readNetDev(c.state.pid) : Promise.resolve({}),
  ]);
  return {
    sample: {
      read: new Date().toISOString(),
      cgroup,
      systemCpuNs: host.systemNs,
      onlineCpus: host.onlineCpus,
      networks,
    },
    meta: { name: `/${c.name}`, id, hostMemory: os.totalmem() },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
