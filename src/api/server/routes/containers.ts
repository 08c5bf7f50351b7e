import { invalidArgument } from "../../../lib/errors.js";
import type {
  ContainerCreateRequest,
  ContainerCreateResponse,
  ContainerInspect,
  ContainerSummary,
  ContainerWaitResponse,
} from "../../types/containers.js";
import type { Filters } from "../../types/filters.js";
import { parseFilters } from "../../types/filters.js";
import { queryBool, queryInt, queryString } from "../query.js";
import { sendJson, sendNoContent } from "../respond.js";
import type { Route } from "../router.js";

export type WaitCondition = "not-running" | "next-exit" | "removed";

/** What the container lifecycle routes need from the daemon. */
export interface ContainersBackend {
  create(
    req: ContainerCreateRequest,
    opts: { name?: string; platform?: string },
  ): Promise<ContainerCreateResponse>;
  list(opts: { all: boolean; limit: number; size: boolean; filters: Filters }): Promise<ContainerSummary[]>;
  inspect(ref: string, opts: { size: boolean }): Promise<ContainerInspect>;
  /** false when it was already running (Docker answers 304). */
  start(ref: string): Promise<boolean>;
  /** false when it was already stopped (304). */
  stop(ref: string, opts: { timeout?: number; signal?: string }): Promise<boolean>;
  restart(ref: string, opts: { timeout?: number; signal?: string }): Promise<void>;
  kill(ref: string, signal: string): Promise<void>;
  remove(ref: string, opts: { force: boolean; volumes: boolean }): Promise<void>;
  /** Resolves the container first (so a 404 is a 404), then waits. */
  wait(
    ref: string,
    condition: WaitCondition,
    signal: AbortSignal,
  ): Promise<() => Promise<ContainerWaitResponse>>;
  rename(ref: string, name: string): Promise<void>;
  pause(ref: string): Promise<void>;
  unpause(ref: string): Promise<void>;
  prune(filters: Filters): Promise<{ ContainersDeleted: string[] | null; SpaceReclaimed: number }>;
}

function timeoutOf(query: URLSearchParams): number | undefined {
  const t = queryString(query, "t") ?? queryString(query, "timeout");
  if (t === undefined) return undefined;
  if (!/^-?\d+$/.test(t)) throw invalidArgument(`invalid value for t: "${t}"`);
  return Number(t);
}

export function containerRoutes(b: ContainersBackend): Route[] {
  return [
    {
      method: "POST",
      path: "/containers/create",
      handler: async (ctx) => {
        const req = await ctx.json<ContainerCreateRequest>();
        if (!req || typeof req !== "object" || Array.isArray(req))
          throw invalidArgument("config cannot be empty in order to create a container");
        const created = await b.create(req, {
          name: queryString(ctx.query, "name"),
          platform: queryString(ctx.query, "platform"),
        });
        sendJson(ctx.res, 201, created);
      },
    },
    {
      method: "GET",
      path: "/containers/json",
      handler: async ({ res, query }) =>
        sendJson(
          res,
          200,
          await b.list({
            all: queryBool(query, "all"),
            limit: queryInt(query, "limit", -1),
            size: queryBool(query, "size"),
            filters: parseFilters(query.get("filters")),
          }),
        ),
    },
    {
      method: "POST",
      path: "/containers/prune",
      handler: async ({ res, query }) =>
        sendJson(res, 200, await b.prune(parseFilters(query.get("filters")))),
    },
    {
      method: "GET",
      path: "/containers/{id}/json",
      handler: async ({ res, params, query }) =>
        sendJson(res, 200, await b.inspect(params.id!, { size: queryBool(query, "size") })),
    },
    {
      method: "POST",
      path: "/containers/{id}/start",
      handler: async ({ res, params }) => {
        const started = await b.start(params.id!);
        if (started) sendNoContent(res);
        else res.writeHead(304).end();
      },
    },
    {
      method: "POST",
      path: "/containers/{id}/stop",
      handler: async ({ res, params, query }) => {
        const stopped = await b.stop(params.id!, {
          timeout: timeoutOf(query),
          signal: queryString(query, "signal"),
        });
        if (stopped) sendNoContent(res);
        else res.writeHead(304).end();
      },
    },
    {
      method: "POST",
      path: "/containers/{id}/restart",
      handler: async ({ res, params, query }) => {
        await b.restart(params.id!, { timeout: timeoutOf(query), signal: queryString(query, "signal") });
        sendNoContent(res);
      },
    },
    {
      method: "POST",
      path: "/containers/{id}/kill",
      handler: async ({ res, params, query }) => {
        await b.kill(params.id!, queryString(query, "signal") ?? "SIGKILL");
        sendNoContent(res);
      },
    },
    {
      method: "DELETE",
      path: "/containers/{id}",
      handler: async ({ res, params, query }) => {
        await b.remove(params.id!, { force: queryBool(query, "force"), volumes: queryBool(query, "v") });
        sendNoContent(res);
      },
    },
    {
      method: "POST",
      path: "/containers/{id}/wait",
      handler: async ({ res, params, query, signal }) => {
        const condition = (queryString(query, "condition") ?? "not-running") as WaitCondition;
        if (!["not-running", "next-exit", "removed"].includes(condition)) {
          throw invalidArgument(`invalid condition: "${condition}"`);
        }
        const result = await b.wait(params.id!, condition, signal ?? new AbortController().signal);
        // Headers go out now: `docker run` waits on this before it starts the container.
        res.writeHead(200, { "Content-Type": "application/json" });
        res.flushHeaders();
        res.end(`${JSON.stringify(await result())}\n`);
      },
    },
    {
      method: "POST",
      path: "/containers/{id}/rename",
      handler: async ({ res, params, query }) => {
        await b.rename(params.id!, queryString(query, "name") ?? "");
        sendNoContent(res);
      },
    },
    {
      method: "POST",
      path: "/containers/{id}/pause",
      handler: async ({ res, params }) => {
        await b.pause(params.id!);
        sendNoContent(res);
      },
    },
    {
      method: "POST",
      path: "/containers/{id}/unpause",
      handler: async ({ res, params }) => {
        await b.unpause(params.id!);
        sendNoContent(res);
      },
    },
  ];
}
