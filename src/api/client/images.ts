/** Image endpoints for the client side (CLI, compose, tests). */
import type { Readable } from "node:stream";
import { encodeFilters } from "../types/filters.js";
import type {
  HistoryItem,
  ImageDeleteItem,
  ImageInspect,
  ImagePruneReport,
  ImageSummary,
} from "../types/images.js";
import { type ApiClient, readJsonStream } from "./client.js";

type FilterInput = Readonly<Record<string, readonly string[] | string | undefined>>;

export function list(
  client: ApiClient,
  opts: { all?: boolean; filters?: FilterInput; digests?: boolean } = {},
) {
  return client.json<ImageSummary[]>("GET", "/images/json", {
    query: {
      all: opts.all,
      digests: opts.digests,
      filters: opts.filters ? encodeFilters(opts.filters) : undefined,
    },
  });
}

export function inspect(client: ApiClient, name: string) {
  return client.json<ImageInspect>("GET", `/images/${encodeURIComponent(name)}/json`);
}

export function history(client: ApiClient, name: string) {
  return client.json<HistoryItem[]>("GET", `/images/${encodeURIComponent(name)}/history`);
}

export async function tag(client: ApiClient, source: string, repo: string, tagName?: string): Promise<void> {
  await client.request("POST", `/images/${encodeURIComponent(source)}/tag`, {
    query: { repo, tag: tagName },
  });
}

export function remove(client: ApiClient, name: string, opts: { force?: boolean; noprune?: boolean } = {}) {
  return client.json<ImageDeleteItem[]>("DELETE", `/images/${encodeURIComponent(name)}`, {
    query: { force: opts.force, noprune: opts.noprune },
  });
}

export function prune(client: ApiClient, filters: FilterInput = {}) {
  return client.json<ImagePruneReport>("POST", "/images/prune", {
    query: { filters: encodeFilters(filters) },
  });
}

/** Streams an archive in; yields the daemon's JSON messages ({"stream": "Loaded image: …\n"}). */
export async function* load(client: ApiClient, archive: Readable, opts: { quiet?: boolean } = {}) {
  const res = await client.stream("POST", "/images/load", {
    query: { quiet: opts.quiet },
    body: archive,
    headers: { "Content-Type": "application/x-tar" },
  });
  yield* readJsonStream<JsonMessage>(res);
}

export function save(client: ApiClient, names: readonly string[]) {
  return client.stream("GET", "/images/get", { query: { names } });
}

export async function* importImage(
  client: ApiClient,
  tarball: Readable,
  opts: {
    repo?: string;
    tag?: string;
    changes?: readonly string[];
    message?: string;
    platform?: string;
  } = {},
) {
  const res = await client.stream("POST", "/images/create", {
    query: {
      fromSrc: "-",
      repo: opts.repo,
      tag: opts.tag,
      changes: opts.changes,
      message: opts.message,
      platform: opts.platform,
    },
    body: tarball,
    headers: { "Content-Type": "application/x-tar" },
  });
  yield* readJsonStream<JsonMessage>(res);
}

/** One line of Docker's JSON message stream. */
export interface JsonMessage {
  stream?: string;
  status?: string;
  id?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message: string; code?: number };
  aux?: Record<string, unknown>;
}
