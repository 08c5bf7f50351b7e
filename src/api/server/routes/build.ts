/**
 * POST /build with the legacy builder's JSON stream ({"stream"}, {"aux":{"ID"}}, and an
 * {"errorDetail"} line on failure, whose code is a failed RUN's exit code), and POST /build/prune.
 *
 * berth-only parameters (the docker CLI never sends them):
 *   berthexplain=1          print the cache decision table
 *   berthcheck=1            run the build checks only (warnings fail the build)
 *   berthcontext=/abs/dir   local clients on the unix socket: read the context from this directory
 *                           instead of a tar body (the body is then empty)
 *   X-Berth-Build-Secrets   header: base64 of JSON {id: base64 value} for RUN --mount=type=secret
 */
import type { Readable } from "node:stream";
import { invalidArgument } from "../../../lib/errors.js";
import { type AuthConfig, decodeRegistryConfig } from "../../types/registry-auth.js";
import { type Filters, parseFilters } from "../../types/filters.js";
import { errorMessageOf } from "../errors.js";
import { queryBool, queryString } from "../query.js";
import { beginJsonStream, sendJson, writeJsonLine } from "../respond.js";
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
      explain?: boolean;
      checkOnly?: boolean;
      secrets?: Record<string, Buffer>;
      contextPath?: string;
      pull?: boolean;
      platform?: string;
      registryAuth?: Record<string, AuthConfig>;
    },
    emit: (m: { stream: string } | { aux: { ID: string } }) => void,
    signal?: AbortSignal,
  ): Promise<string>;
  prune(o: {
    all: boolean;
    filters: Filters;
    keepStorage: number;
  }): Promise<{ CachesDeleted: string[] | null; SpaceReclaimed: number }>;
}

/** X-Berth-Build-Secrets: base64 of a JSON object of base64 values. */
function secretsHeader(raw: string | string[] | undefined): Record<string, Buffer> | undefined {
  if (typeof raw !== "string" || raw === "") return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, "base64").toString("utf8"));
  } catch {
    throw invalidArgument("invalid X-Berth-Build-Secrets header: not base64 JSON");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    throw invalidArgument("invalid X-Berth-Build-Secrets header: not an object");
  const out: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(parsed)) if (typeof v === "string") out[k] = Buffer.from(v, "base64");
  return out;
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
          explain: queryBool(query, "berthexplain"),
          checkOnly: queryBool(query, "berthcheck"),
          ...optional("secrets", secretsHeader(req.headers["x-berth-build-secrets"])),
          ...optional("contextPath", localContext(req, queryString(query, "berthcontext"))),
          // The docker CLI sends pull=1 for --pull (older clients: a non-empty string).
          pull: queryBool(query, "pull"),
          ...optional("platform", queryString(query, "platform") || undefined),
          registryAuth: decodeRegistryConfig(header(req.headers["x-registry-config"])),
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
    {
      method: "POST",
      path: "/build/prune",
      handler: async ({ res, query }) => {
        const keep = Number(query.get("reserved-space") || query.get("keep-storage") || "0");
        if (!Number.isFinite(keep) || keep < 0) throw invalidArgument("invalid keep-storage: want bytes");
        sendJson(
          res,
          200,
          await b.prune({
            all: queryBool(query, "all"),
            filters: parseFilters(query.get("filters")),
            keepStorage: keep,
          }),
        );
      },
    },
  ];
}

function optional<K extends string, V>(k: K, v: V | undefined): { [P in K]?: V } {
  return (v === undefined ? {} : { [k]: v }) as { [P in K]?: V };
}

/** berthcontext is honored only on the unix socket (a local client naming an absolute directory). */
function localContext(req: { socket: { remoteAddress?: string | undefined } }, dir: string | undefined) {
  if (!dir) return undefined;
  if (req.socket.remoteAddress !== undefined)
    throw invalidArgument("berthcontext: a context directory can only be given over the local unix socket");
  if (!dir.startsWith("/"))
    throw invalidArgument("berthcontext: the context directory must be an absolute path");
  return dir;
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
