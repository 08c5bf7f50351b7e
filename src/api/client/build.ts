import type { Readable } from "node:stream";
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
}

/** POST /build: sends the context tar; yields the legacy builder's JSON messages. */
export async function* build(client: ApiClient, context: Readable, opts: BuildOptions = {}) {
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
    },
    body: context,
    headers: { "Content-Type": "application/x-tar" },
  });
  yield* readJsonStream<JsonMessage>(res);
}
