import type { Readable } from "node:stream";
import type { AuthConfig } from "../types/registry-auth.js";
import { type ApiClient, readJsonStream } from "./client.js";
import type { JsonMessage } from "./images.js";

export interface BuildOptions {
  tags?: readonly string[];
  dockerfile?: string;
  buildArgs?: Readonly<Record<string, string>>;
  labels?: Readonly<Record<string, string>>;
  target?: string;
  noCache?: boolean;
  quiet?: boolean;
  /** berth: print the cache decision table. */
  explain?: boolean;
  /** berth: run the build checks only. */
  check?: boolean;
  /** berth: RUN --mount=type=secret values. */
  secrets?: Readonly<Record<string, Buffer>>;
  /** berth, unix socket only: the daemon reads this context directory itself (no tar is sent). */
  contextPath?: string;
  /** --pull */
  pull?: boolean;
  /** --platform */
  platform?: string;
  /** Credentials by registry address (X-Registry-Config), for the images the build pulls. */
  registryConfig?: Readonly<Record<string, AuthConfig>>;
}

/** POST /build: sends the context tar; yields the legacy builder's JSON messages. */
export async function* build(client: ApiClient, context: Readable | undefined, opts: BuildOptions = {}) {
  const secrets = opts.secrets && Object.keys(opts.secrets).length > 0 ? opts.secrets : undefined;
  const res = await client.stream("POST", "/build", {
    query: {
      t: opts.tags,
      dockerfile: opts.dockerfile,
      buildargs:
        opts.buildArgs && Object.keys(opts.buildArgs).length ? JSON.stringify(opts.buildArgs) : undefined,
      labels: opts.labels && Object.keys(opts.labels).length ? JSON.stringify(opts.labels) : undefined,
      target: opts.target,
      nocache: opts.noCache || undefined,
      q: opts.quiet || undefined,
      rm: true,
      berthexplain: opts.explain || undefined,
      berthcheck: opts.check || undefined,
      berthcontext: opts.contextPath,
      pull: opts.pull || undefined,
      platform: opts.platform,
    },
    ...(context ? { body: context } : {}),
    headers: {
      "Content-Type": "application/x-tar",
      ...(opts.registryConfig && Object.keys(opts.registryConfig).length > 0
        ? { "X-Registry-Config": Buffer.from(JSON.stringify(opts.registryConfig)).toString("base64url") }
        : {}),
      ...(secrets
        ? {
            "X-Berth-Build-Secrets": Buffer.from(
              JSON.stringify(
                Object.fromEntries(Object.entries(secrets).map(([k, v]) => [k, v.toString("base64")])),
              ),
            ).toString("base64"),
          }
        : {}),
    },
  });
  yield* readJsonStream<JsonMessage>(res);
}

export interface BuildPruneOptions {
  all?: boolean;
  /** Docker's filters ({ until: ["24h"] }). */
  filters?: Readonly<Record<string, readonly string[]>>;
  keepStorage?: number;
}

/** POST /build/prune. */
export async function pruneBuildCache(
  client: ApiClient,
  opts: BuildPruneOptions = {},
): Promise<{ CachesDeleted: string[] | null; SpaceReclaimed: number }> {
  const filters = opts.filters && Object.keys(opts.filters).length ? JSON.stringify(opts.filters) : undefined;
  return client.json("POST", "/build/prune", {
    query: { all: opts.all || undefined, filters, "keep-storage": opts.keepStorage || undefined },
  });
}
