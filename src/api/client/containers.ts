/**
 * Container endpoints for the client side (CLI, compose, tests), as Docker's Engine API defines them.
 * Each function takes the client and returns the daemon's answer; errors are ApiErrors (status,
 * Docker's message). Streams (attach, logs, export, archive, stats) are returned unread.
 *
 *   const { Id } = await create(client, { Image: "busybox", Cmd: ["true"] }, { name: "t" });
 *   await start(client, Id);
 *   const { StatusCode } = await wait(client, Id, { condition: "next-exit" });
 */
import type { IncomingMessage } from "node:http";
import type { Readable } from "node:stream";
import type {
  ContainerCreateRequest,
  ContainerCreateResponse,
  ContainerInspect,
  ContainerSummary,
  ContainerWaitResponse,
  RestartPolicy,
} from "../types/containers.js";
import { encodeFilters } from "../types/filters.js";
import type { ApiClient, HijackedConnection } from "./client.js";

type FilterInput = Readonly<Record<string, readonly string[] | string | undefined>>;

const path = (id: string, rest = "") => `/containers/${encodeURIComponent(id)}${rest}`;

export interface CreateOptions {
  readonly name?: string;
  /** "os[/arch[/variant]]" */
  readonly platform?: string;
}

export function create(client: ApiClient, config: ContainerCreateRequest, opts: CreateOptions = {}) {
  return client.json<ContainerCreateResponse>("POST", "/containers/create", {
    query: { name: opts.name || undefined, platform: opts.platform || undefined },
    body: config,
  });
}

export interface ListOptions {
  readonly all?: boolean;
  /** Newest n containers (all states); -1 or undefined: no limit. */
  readonly limit?: number;
  readonly size?: boolean;
  readonly filters?: FilterInput;
}

export function list(client: ApiClient, opts: ListOptions = {}) {
  const filters = opts.filters ? encodeFilters(opts.filters) : "";
  return client.json<ContainerSummary[]>("GET", "/containers/json", {
    query: {
      all: opts.all || undefined,
      limit: opts.limit !== undefined && opts.limit > 0 ? opts.limit : undefined,
      size: opts.size || undefined,
      filters: filters === "" ? undefined : filters,
    },
  });
}

export function inspect(client: ApiClient, id: string, opts: { size?: boolean } = {}) {
  return client.json<ContainerInspect>("GET", path(id, "/json"), { query: { size: opts.size || undefined } });
}

/** Starts a container; a 304 (already started) is not an error, as with Docker's client. */
export async function start(client: ApiClient, id: string): Promise<void> {
  await client.request("POST", path(id, "/start"));
}

export interface StopOptions {
  /** Seconds before SIGKILL; undefined: the container's StopTimeout. */
  readonly timeout?: number;
  readonly signal?: string;
}

export async function stop(client: ApiClient, id: string, opts: StopOptions = {}): Promise<void> {
  await client.request("POST", path(id, "/stop"), {
    query: { t: opts.timeout, signal: opts.signal || undefined },
  });
}

export async function restart(client: ApiClient, id: string, opts: StopOptions = {}): Promise<void> {
  await client.request("POST", path(id, "/restart"), {
    query: { t: opts.timeout, signal: opts.signal || undefined },
  });
}

export async function kill(client: ApiClient, id: string, signal?: string): Promise<void> {
  await client.request("POST", path(id, "/kill"), { query: { signal: signal || undefined } });
}

export interface RemoveOptions {
  readonly force?: boolean;
  /** Remove anonymous volumes. */
  readonly volumes?: boolean;
  readonly link?: boolean;
}

export async function remove(client: ApiClient, id: string, opts: RemoveOptions = {}): Promise<void> {
  await client.request("DELETE", path(id), {
    query: { force: opts.force || undefined, v: opts.volumes || undefined, link: opts.link || undefined },
  });
}

export type WaitCondition = "not-running" | "next-exit" | "removed";

/** Blocks until the condition holds; abort with `signal`. */
export function wait(
  client: ApiClient,
  id: string,
  opts: { condition?: WaitCondition; signal?: AbortSignal } = {},
) {
  return client.json<ContainerWaitResponse>("POST", path(id, "/wait"), {
    query: { condition: opts.condition },
    signal: opts.signal,
  });
}

/**
 * Sends the wait and resolves as soon as the daemon has registered it (its headers arrived), which
 * `run` needs before it starts the container; `result` then resolves when the condition holds.
 */
export async function waitRegistered(
  client: ApiClient,
  id: string,
  opts: { condition?: WaitCondition; signal?: AbortSignal } = {},
): Promise<{ result: Promise<ContainerWaitResponse> }> {
  const res = await client.stream("POST", path(id, "/wait"), {
    query: { condition: opts.condition },
    signal: opts.signal,
  });
  const result = (async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as ContainerWaitResponse;
  })();
  result.catch(() => undefined);
  return { result };
}

export async function rename(client: ApiClient, id: string, name: string): Promise<void> {
  await client.request("POST", path(id, "/rename"), { query: { name } });
}

export async function pause(client: ApiClient, id: string): Promise<void> {
  await client.request("POST", path(id, "/pause"));
}

export async function unpause(client: ApiClient, id: string): Promise<void> {
  await client.request("POST", path(id, "/unpause"));
}

/** Sets the TTY size of the container's process. */
export async function resize(client: ApiClient, id: string, size: { rows: number; cols: number }) {
  await client.request("POST", path(id, "/resize"), { query: { h: size.rows, w: size.cols } });
}

export interface AttachOptions {
  readonly stdin?: boolean;
  readonly stdout?: boolean;
  readonly stderr?: boolean;
  /** Replay the log first. */
  readonly logs?: boolean;
  /** "ctrl-p,ctrl-q" form; the daemon detaches when it reads them. */
  readonly detachKeys?: string;
}

/**
 * Attaches to a container: the connection is hijacked (Upgrade: tcp). Writes go to the container's
 * stdin; reads are raw (TTY) or multiplexed (see cli/attach/stdcopy) output.
 */
export function attach(client: ApiClient, id: string, opts: AttachOptions = {}): Promise<HijackedConnection> {
  return client.hijack("POST", path(id, "/attach"), {
    query: {
      stream: true,
      stdin: opts.stdin ?? false,
      stdout: opts.stdout ?? false,
      stderr: opts.stderr ?? false,
      logs: opts.logs || undefined,
      detachKeys: opts.detachKeys || undefined,
    },
  });
}

export interface LogsOptions {
  readonly follow?: boolean;
  readonly stdout?: boolean;
  readonly stderr?: boolean;
  /** Unix seconds as a string ("1700000000.5"), as cli/timestamp-arg produces. */
  readonly since?: string;
  readonly until?: string;
  readonly timestamps?: boolean;
  /** "all" or a line count. */
  readonly tail?: string;
  readonly details?: boolean;
  readonly signal?: AbortSignal;
}

/** The log stream: multiplexed frames for a container without a TTY, raw bytes with one. */
export function logs(client: ApiClient, id: string, opts: LogsOptions = {}): Promise<IncomingMessage> {
  return client.stream("GET", path(id, "/logs"), {
    query: {
      follow: opts.follow || undefined,
      stdout: opts.stdout ?? true,
      stderr: opts.stderr ?? true,
      since: opts.since || undefined,
      until: opts.until || undefined,
      timestamps: opts.timestamps || undefined,
      tail: opts.tail || undefined,
      details: opts.details || undefined,
    },
    signal: opts.signal,
  });
}

export interface TopResponse {
  Titles: string[];
  Processes: string[][];
}

export function top(client: ApiClient, id: string, psArgs: readonly string[] = []) {
  return client.json<TopResponse>("GET", path(id, "/top"), {
    query: { ps_args: psArgs.length > 0 ? psArgs.join(" ") : undefined },
  });
}

/** One filesystem change: Kind 0 modified, 1 added, 2 deleted. */
export interface FilesystemChange {
  Path: string;
  Kind: 0 | 1 | 2;
}

export async function changes(client: ApiClient, id: string): Promise<FilesystemChange[]> {
  return (await client.json<FilesystemChange[] | null>("GET", path(id, "/changes"))) ?? [];
}

/** The container's filesystem as a tar stream. */
export function exportContainer(client: ApiClient, id: string): Promise<IncomingMessage> {
  return client.stream("GET", path(id, "/export"));
}

/** The X-Docker-Container-Path-Stat header: mode is Go's os.FileMode (dir bit 1<<31, symlink 1<<27). */
export interface PathStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string;
}

export const GO_MODE_DIR = 2 ** 31;
export const GO_MODE_SYMLINK = 2 ** 27;

/** Decodes the base64 JSON of X-Docker-Container-Path-Stat; undefined when absent. */
export function decodePathStat(header: string | string[] | undefined): PathStat | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value === "") return undefined;
  return JSON.parse(Buffer.from(value, "base64").toString("utf8")) as PathStat;
}

/** HEAD archive: what is at `containerPath`. Throws ApiError (404) when nothing is. */
export async function statPath(client: ApiClient, id: string, containerPath: string): Promise<PathStat> {
  const res = await client.request("HEAD", path(id, "/archive"), { query: { path: containerPath } });
  const stat = decodePathStat(res.headers["x-docker-container-path-stat"]);
  if (!stat) throw new Error(`no path stat for ${containerPath} in the daemon's answer`);
  return stat;
}

/** GET archive: a tar of `containerPath` (its base name at the top) and its stat. */
export async function getArchive(
  client: ApiClient,
  id: string,
  containerPath: string,
): Promise<{ stream: IncomingMessage; stat: PathStat | undefined }> {
  const stream = await client.stream("GET", path(id, "/archive"), { query: { path: containerPath } });
  return { stream, stat: decodePathStat(stream.headers["x-docker-container-path-stat"]) };
}

/** PUT archive: extracts a tar into the directory `containerPath`. */
export async function putArchive(
  client: ApiClient,
  id: string,
  containerPath: string,
  tar: Readable,
  opts: { noOverwriteDirNonDir?: boolean; copyUIDGID?: boolean } = {},
): Promise<void> {
  await client.request("PUT", path(id, "/archive"), {
    query: {
      path: containerPath,
      noOverwriteDirNonDir: opts.noOverwriteDirNonDir ?? true,
      copyUIDGID: opts.copyUIDGID || undefined,
    },
    body: tar,
    headers: { "Content-Type": "application/x-tar" },
  });
}

/** One sample of GET /containers/{id}/stats (the Linux fields the CLI reads). */
export interface StatsSample {
  id?: string;
  name?: string;
  read?: string;
  preread?: string;
  num_procs?: number;
  pids_stats?: { current?: number; limit?: number };
  cpu_stats?: CpuStats;
  precpu_stats?: CpuStats;
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
  blkio_stats?: { io_service_bytes_recursive?: { op: string; value: number }[] | null };
  networks?: Record<string, { rx_bytes: number; tx_bytes: number }>;
}

export interface CpuStats {
  cpu_usage?: { total_usage?: number; percpu_usage?: number[] | null };
  system_cpu_usage?: number;
  online_cpus?: number;
}

/** The stats stream: one JSON sample per line (one only with stream: false). */
export function stats(
  client: ApiClient,
  id: string,
  opts: { stream?: boolean; oneShot?: boolean; signal?: AbortSignal } = {},
): Promise<IncomingMessage> {
  return client.stream("GET", path(id, "/stats"), {
    query: { stream: opts.stream ?? true, "one-shot": opts.oneShot || undefined },
    signal: opts.signal,
  });
}

/** The body of POST /containers/{id}/update: resources plus the restart policy. */
export interface UpdateConfig {
  CpuShares?: number;
  Memory?: number;
  NanoCpus?: number;
  CpuPeriod?: number;
  CpuQuota?: number;
  CpuRealtimePeriod?: number;
  CpuRealtimeRuntime?: number;
  CpusetCpus?: string;
  CpusetMems?: string;
  BlkioWeight?: number;
  MemoryReservation?: number;
  MemorySwap?: number;
  PidsLimit?: number | null;
  RestartPolicy?: RestartPolicy;
  /** berth only: published ports to add and remove, applied live (see docs/networking.md). */
  BerthPortBindingsAdd?: Record<string, { HostIp?: string; HostPort?: string }[]>;
  BerthPortBindingsRemove?: Record<string, { HostIp?: string; HostPort?: string }[]>;
}

export async function update(client: ApiClient, id: string, config: UpdateConfig) {
  return (
    (await client.json<{ Warnings?: string[] | null }>("POST", path(id, "/update"), { body: config })) ?? {}
  );
}

export interface PruneReport {
  ContainersDeleted: string[] | null;
  SpaceReclaimed: number;
}

export function prune(client: ApiClient, filters: FilterInput = {}) {
  const encoded = encodeFilters(filters);
  return client.json<PruneReport>("POST", "/containers/prune", {
    query: { filters: encoded === "" ? undefined : encoded },
  });
}

export interface CommitOptions {
  /** "repo[:tag]"; empty: an untagged image. */
  readonly repo?: string;
  readonly tag?: string;
  readonly comment?: string;
  readonly author?: string;
  /** Dockerfile instructions ("ENV A=1", "CMD [\"sh\"]"). */
  readonly changes?: readonly string[];
  /** Pause the container during the commit (default true). */
  readonly pause?: boolean;
  readonly config?: ContainerCreateRequest;
}

export function commit(client: ApiClient, id: string, opts: CommitOptions = {}) {
  return client.json<{ Id: string }>("POST", "/commit", {
    query: {
      container: id,
      repo: opts.repo || undefined,
      tag: opts.tag || undefined,
      comment: opts.comment || undefined,
      author: opts.author || undefined,
      changes: opts.changes && opts.changes.length > 0 ? opts.changes : undefined,
      pause: opts.pause === false ? false : undefined,
    },
    body: opts.config ?? {},
  });
}
