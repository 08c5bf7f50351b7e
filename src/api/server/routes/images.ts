import type { IncomingMessage, ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import { invalidArgument } from "../../../lib/errors.js";
import type { Filters } from "../../types/filters.js";
import { parseFilters } from "../../types/filters.js";
import type {
  HistoryItem,
  ImageDeleteItem,
  ImageInspect,
  ImagePruneReport,
  ImageSummary,
} from "../../types/images.js";
import { type AuthConfig, decodeRegistryAuth } from "../../types/registry-auth.js";
import { queryBool, queryString } from "../query.js";
import { beginJsonStream, sendJson, writeJsonLine } from "../respond.js";
import type { Route } from "../router.js";

/** What the image routes need from the daemon. */
export interface ImagesBackend {
  list(opts: { all: boolean; filters: Filters }): Promise<ImageSummary[]>;
  inspect(name: string): Promise<ImageInspect>;
  history(name: string): Promise<HistoryItem[]>;
  tag(source: string, target: string): Promise<void>;
  remove(name: string, opts: { force: boolean; noprune: boolean }): Promise<ImageDeleteItem[]>;
  prune(filters: Filters): Promise<ImagePruneReport>;
  load(body: Readable): Promise<{ messages: string[] }>;
  save(names: string[]): Promise<Readable>;
  import(
    body: Readable,
    opts: { repo?: string; tag?: string; changes: string[]; message?: string; platform?: string },
  ): Promise<string>;
  pull(
    req: { fromImage: string; tag?: string; platform?: string; auth?: AuthConfig },
    emit: (message: object) => void,
  ): Promise<void>;
  push(
    req: { name: string; tag?: string; auth?: AuthConfig },
    emit: (message: object) => void,
  ): Promise<void>;
}

export function imageRoutes(b: ImagesBackend): Route[] {
  return [
    {
      method: "GET",
      path: "/images/json",
      handler: async ({ res, query }) =>
        sendJson(
          res,
          200,
          await b.list({ all: queryBool(query, "all"), filters: parseFilters(query.get("filters")) }),
        ),
    },
    {
      method: "POST",
      path: "/images/load",
      handler: async ({ req, res }) => {
        const { messages } = await b.load(req);
        beginJsonStream(res);
        for (const m of messages) writeJsonLine(res, { stream: `${m}\n` });
        res.end();
      },
    },
    {
      method: "GET",
      path: "/images/get",
      handler: async ({ res, query }) => streamTar(res, await b.save(query.getAll("names"))),
    },
    {
      method: "POST",
      path: "/images/prune",
      handler: async ({ res, query }) =>
        sendJson(res, 200, await b.prune(parseFilters(query.get("filters")))),
    },
    {
      method: "POST",
      path: "/images/create",
      handler: async ({ req, res, query }) => {
        const fromSrc = queryString(query, "fromSrc");
        const platform = queryString(query, "platform");
        if (fromSrc === undefined) {
          const fromImage = queryString(query, "fromImage");
          if (!fromImage) throw invalidArgument("either fromImage or fromSrc is required");
          const auth = decodeRegistryAuth(header(req, "x-registry-auth"));
          await progressStream(res, (emit) =>
            b.pull({ fromImage, tag: queryString(query, "tag"), platform, auth }, emit),
          );
          return;
        }
        if (fromSrc !== "-")
          throw invalidArgument(
            "import from a URL is not supported: send the tarball as the body (fromSrc=-)",
          );
        const id = await b.import(req, {
          repo: queryString(query, "repo"),
          tag: queryString(query, "tag"),
          changes: query.getAll("changes"),
          message: queryString(query, "message"),
          platform,
        });
        beginJsonStream(res);
        writeJsonLine(res, { status: id });
        res.end();
      },
    },
    {
      method: "POST",
      path: "/images/{name}/push",
      handler: async ({ req, res, params, query }) => {
        const auth = decodeRegistryAuth(header(req, "x-registry-auth"));
        await progressStream(res, (emit) =>
          b.push({ name: params.name!, tag: queryString(query, "tag"), auth }, emit),
        );
      },
    },
    {
      method: "GET",
      path: "/images/{name}/json",
      handler: async ({ res, params }) => sendJson(res, 200, await b.inspect(params.name!)),
    },
    {
      method: "GET",
      path: "/images/{name}/history",
      handler: async ({ res, params }) => sendJson(res, 200, await b.history(params.name!)),
    },
    {
      method: "GET",
      path: "/images/{name}/get",
      handler: async ({ res, params }) => streamTar(res, await b.save([params.name!])),
    },
    {
      method: "POST",
      path: "/images/{name}/tag",
      handler: async ({ res, params, query }) => {
        const repo = queryString(query, "repo");
        if (!repo) throw invalidArgument("repository name (repo) is required");
        const tag = queryString(query, "tag");
        await b.tag(params.name!, tag ? `${repo}:${tag}` : repo);
        res.writeHead(201).end();
      },
    },
    {
      method: "DELETE",
      path: "/images/{name}",
      handler: async ({ res, params, query }) =>
        sendJson(
          res,
          200,
          await b.remove(params.name!, {
            force: queryBool(query, "force"),
            noprune: queryBool(query, "noprune"),
          }),
        ),
    },
  ];
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * A JSON progress stream that starts with the first message: an error before it is an ordinary
 * error response (404 for an unknown image, as Docker), one after it is written in-band.
 */
async function progressStream(
  res: ServerResponse,
  run: (emit: (message: object) => void) => Promise<void>,
): Promise<void> {
  const emit = (m: object) => {
    if (!res.headersSent) beginJsonStream(res);
    writeJsonLine(res, m);
  };
  await run(emit);
  if (!res.headersSent) beginJsonStream(res);
  res.end();
}

async function streamTar(res: ServerResponse, tar: Readable): Promise<void> {
  res.writeHead(200, { "Content-Type": "application/x-tar" });
  await new Promise<void>((resolve, reject) => {
    tar.on("error", (err) => {
      res.destroy(err);
      reject(err);
    });
    res.on("close", resolve);
    tar.pipe(res);
  });
}
