/**
 * POST /build with the legacy builder's JSON stream ({"stream"}, {"aux":{"ID"}}, and an
 * {"errorDetail"} line on failure, whose code is a failed RUN's exit code).
 */
import type { Readable } from "node:stream";
import { invalidArgument } from "../../../lib/errors.js";
import { errorMessageOf } from "../errors.js";
import { queryBool, queryString } from "../query.js";
import { beginJsonStream, writeJsonLine } from "../respond.js";
import type { Route } from "../router.js";

export interface BuildBackend {
  build(
    context: Readable,
    opts: {
      tags: string[];
      dockerfile: string;
      buildArgs: Record<string, string>;
      labels: Record<string, string>;
      target?: string;
      noCache: boolean;
      quiet: boolean;
    },
    emit: (m: { stream: string } | { aux: { ID: string } }) => void,
    signal?: AbortSignal,
  ): Promise<string>;
}

function jsonMap(query: URLSearchParams, name: string): Record<string, string> {
  const raw = query.get(name);
  if (!raw) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalidArgument(`invalid ${name} parameter: not JSON`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw invalidArgument(`invalid ${name} parameter: not an object`);
  }
  const out: Record<string, string> = {};
  // buildargs values may be null (an ARG taken from the client's environment but unset).
  for (const [k, v] of Object.entries(parsed)) if (typeof v === "string") out[k] = v;
  return out;
}

export function buildRoutes(b: BuildBackend): Route[] {
  return [
    {
      method: "POST",
      path: "/build",
      handler: async ({ req, res, query, signal }) => {
        const opts = {
          tags: query.getAll("t").filter((t) => t !== ""),
          dockerfile: queryString(query, "dockerfile") || "Dockerfile",
          buildArgs: jsonMap(query, "buildargs"),
          labels: jsonMap(query, "labels"),
          noCache: queryBool(query, "nocache"),
          quiet: queryBool(query, "q"),
          ...(queryString(query, "target") ? { target: queryString(query, "target")! } : {}),
        };
        if (queryString(query, "remote")) throw invalidArgument("remote build contexts are not supported");
        beginJsonStream(res);
        try {
          await b.build(req, opts, (m) => writeJsonLine(res, m), signal);
        } catch (err) {
          const code = (err as { exitCode?: unknown }).exitCode;
          const message = errorMessageOf(err);
          const detail = typeof code === "number" ? { code, message } : { message };
          writeJsonLine(res, { errorDetail: detail, error: message });
        }
        res.end();
      },
    },
  ];
}
