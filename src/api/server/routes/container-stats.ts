import { invalidArgument } from "../../../lib/errors.js";
import type { ContainerUpdateRequest, ContainerUpdateResponse } from "../../types/container-update.js";
import type { ContainerStats } from "../../types/stats.js";
import { queryBool, queryBoolOr } from "../query.js";
import { beginJsonStream, sendJson, writeJsonLine } from "../respond.js";
import type { Route } from "../router.js";

/** What the container resource routes (stats, update) need from the daemon. */
export interface ContainerStatsBackend {
  /** Resolves the container first (a 404 is a 404), then yields frames. */
  stats(
    ref: string,
    opts: { stream: boolean; oneShot: boolean; signal: AbortSignal },
  ): Promise<AsyncIterable<ContainerStats>>;
  update(ref: string, req: ContainerUpdateRequest): Promise<ContainerUpdateResponse>;
}

export function containerStatsRoutes(b: ContainerStatsBackend): Route[] {
  return [
    {
      method: "GET",
      path: "/containers/{id}/stats",
      handler: async ({ res, params, query, signal }) => {
        const stream = queryBoolOr(query, "stream", true);
        const oneShot = queryBool(query, "one-shot");
        if (oneShot && stream) throw invalidArgument("cannot have stream=true and one-shot=true");
        const frames = await b.stats(params.id!, {
          stream,
          oneShot,
          signal: signal ?? new AbortController().signal,
        });
        beginJsonStream(res);
        for await (const f of frames) {
          if (!writeJsonLine(res, f) && !res.destroyed) {
            await new Promise((r) => {
              res.once("drain", r);
              res.once("close", r);
            });
          }
          if (res.destroyed) break;
        }
        res.end();
      },
    },
    {
      method: "POST",
      path: "/containers/{id}/update",
      handler: async (ctx) => {
        const req = await ctx.json<ContainerUpdateRequest>();
        if (!req || typeof req !== "object" || Array.isArray(req))
          throw invalidArgument("update config is required");
        sendJson(ctx.res, 200, await b.update(ctx.params.id!, req));
      },
    },
  ];
}
