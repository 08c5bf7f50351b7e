/**
 * Routes for a container's filesystem and processes: top, changes (diff), export, commit and
 * archive (cp). Thin adapters over the backend they declare.
 */
import type { ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ContainerConfig } from "../../types/containers.js";
import { queryBool, queryBoolOr, queryString } from "../query.js";
import { sendJson } from "../respond.js";
import type { Route } from "../router.js";

export interface TopResponse {
  Titles: string[];
  Processes: string[][];
}

/** Kind: 0 modified, 1 added, 2 deleted. */
export interface FilesystemChange {
  Path: string;
  Kind: 0 | 1 | 2;
}

/** Sent base64-encoded as X-Docker-Container-Path-Stat; mode is Go's os.FileMode. */
export interface ContainerPathStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string;
}

export interface CommitRequest {
  container: string;
  repo?: string | undefined;
  tag?: string | undefined;
  comment?: string | undefined;
  author?: string | undefined;
  pause: boolean;
  changes: string[];
  config?: ContainerConfig | undefined;
}

export interface ContainerFsBackend {
  top(ref: string, psArgs: string | undefined): Promise<TopResponse>;
  changes(ref: string): Promise<FilesystemChange[]>;
  /** The tar stream; destroying it releases what the daemon holds for it. */
  export(ref: string): Promise<Readable>;
  commit(req: CommitRequest): Promise<{ Id: string }>;
  statPath(ref: string, path: string): Promise<ContainerPathStat>;
  getArchive(ref: string, path: string): Promise<{ stat: ContainerPathStat; stream: Readable }>;
  putArchive(
    ref: string,
    path: string,
    tar: Readable,
    opts: { noOverwriteDirNonDir: boolean; copyUIDGID: boolean },
  ): Promise<void>;
}

const STAT_HEADER = "X-Docker-Container-Path-Stat";

const encodeStat = (stat: ContainerPathStat) => Buffer.from(JSON.stringify(stat)).toString("base64");

/** Streams a tar to the client; a client that leaves early only ends the stream. */
async function sendTar(res: ServerResponse, tar: Readable, headers: Record<string, string> = {}) {
  res.writeHead(200, { "Content-Type": "application/x-tar", ...headers });
  try {
    await pipeline(tar, res);
  } catch (err) {
    if ((err as { code?: string }).code !== "ERR_STREAM_PREMATURE_CLOSE") throw err;
  }
}

export function containerFsRoutes(b: ContainerFsBackend): Route[] {
  return [
    {
      method: "GET",
      path: "/containers/{id}/top",
      handler: async ({ res, params, query }) =>
        sendJson(res, 200, await b.top(params.id!, queryString(query, "ps_args"))),
    },
    {
      method: "GET",
      path: "/containers/{id}/changes",
      handler: async ({ res, params }) => {
        const changes = await b.changes(params.id!);
        // Docker sends null, not [], when nothing changed.
        sendJson(res, 200, changes.length > 0 ? changes : null);
      },
    },
    {
      method: "GET",
      path: "/containers/{id}/export",
      handler: async ({ res, params }) => sendTar(res, await b.export(params.id!)),
    },
    {
      method: "POST",
      path: "/commit",
      handler: async (ctx) => {
        const q = ctx.query;
        const body = await ctx.json<ContainerConfig | null>();
        const created = await b.commit({
          container: q.get("container") ?? "",
          repo: queryString(q, "repo"),
          tag: queryString(q, "tag"),
          comment: queryString(q, "comment"),
          author: queryString(q, "author"),
          pause: queryBoolOr(q, "pause", true),
          changes: q.getAll("changes").filter((c) => c !== ""),
          config: body ?? undefined,
        });
        sendJson(ctx.res, 201, created);
      },
    },
    {
      method: "HEAD",
      path: "/containers/{id}/archive",
      handler: async ({ res, params, query }) => {
        const stat = await b.statPath(params.id!, query.get("path") ?? "");
        res.writeHead(200, { [STAT_HEADER]: encodeStat(stat) }).end();
      },
    },
    {
      method: "GET",
      path: "/containers/{id}/archive",
      handler: async ({ res, params, query }) => {
        const { stat, stream } = await b.getArchive(params.id!, query.get("path") ?? "");
        await sendTar(res, stream, { [STAT_HEADER]: encodeStat(stat) });
      },
    },
    {
      method: "PUT",
      path: "/containers/{id}/archive",
      handler: async ({ req, res, params, query }) => {
        await b.putArchive(params.id!, query.get("path") ?? "", req, {
          noOverwriteDirNonDir: queryBool(query, "noOverwriteDirNonDir"),
          copyUIDGID: queryBool(query, "copyUIDGID"),
        });
        res.writeHead(200).end();
      },
    },
  ];
}
