import type { Duplex, Writable } from "node:stream";
import { invalidArgument } from "../../../lib/errors.js";
import type { ExecConfig, ExecInspect } from "../../types/containers.js";
import { DEFAULT_DETACH_KEYS, EscapeDetector, parseDetachKeys } from "../../types/detach-keys.js";
import { encodeFrame } from "../../types/stdcopy.js";
import { parseTimestamp } from "../../types/timestamp.js";
import { MULTIPLEXED_STREAM, RAW_STREAM } from "../context.js";
import { queryBool, queryInt, queryString } from "../query.js";
import { sendJson } from "../respond.js";
import type { Route } from "../router.js";

/** A process's stdio as the daemon hands it over: the route frames output and copies stdin. */
export interface StdioSession {
  tty: boolean;
  output: AsyncIterable<{ stream: "stdout" | "stderr"; data: Buffer }>;
  stdin?: Writable;
  close(): void;
}

export interface ContainerIoBackend {
  logs(
    ref: string,
    opts: {
      follow: boolean;
      stdout: boolean;
      stderr: boolean;
      since?: bigint;
      until?: bigint;
      timestamps: boolean;
      tail: string;
      signal: AbortSignal;
    },
  ): Promise<{ tty: boolean; output: StdioSession["output"] }>;
  /** Checks the container now; the returned function waits for the session (until start, for a created one). */
  attach(
    ref: string,
    opts: { stdin: boolean; stdout: boolean; stderr: boolean },
  ): Promise<{ tty: boolean; session: () => Promise<StdioSession> }>;
  resize(ref: string, height: number, width: number): Promise<void>;
  execCreate(ref: string, config: ExecConfig): Promise<{ Id: string }>;
  /** undefined when detached. */
  execStart(
    id: string,
    opts: { detach: boolean; tty?: boolean; consoleSize?: [number, number] | null },
  ): Promise<StdioSession | undefined>;
  execInspect(id: string): Promise<ExecInspect>;
  execResize(id: string, height: number, width: number): Promise<void>;
}

function frame(tty: boolean, stream: "stdout" | "stderr", data: Buffer): Buffer {
  return tty ? data : encodeFrame(stream, data);
}

/**
 * Copies a session over a hijacked connection until the process's output ends or the client leaves.
 * As in Docker, the daemon watches stdin for the detach keys: on them the client is let go and the
 * container keeps running.
 */
async function pump(conn: Duplex, session: StdioSession, detachKeys?: string): Promise<void> {
  if (session.stdin) {
    const stdin = session.stdin;
    const detector = new EscapeDetector(parseDetachKeys(detachKeys || DEFAULT_DETACH_KEYS));
    let detached = false;
    conn.on("data", (b: Buffer) => {
      if (detached) return;
      const r = session.tty ? detector.feed(b) : { forward: b, detached: false };
      if (r.forward.length) stdin.write(r.forward);
      if (r.detached) {
        detached = true;
        conn.end();
        conn.destroy();
      }
    });
    conn.on("end", () => {
      if (!detached) stdin.end();
    });
  } else {
    conn.resume();
  }
  conn.on("close", () => session.close());
  conn.on("error", () => session.close());
  try {
    for await (const o of session.output) {
      if (conn.destroyed) break;
      conn.write(frame(session.tty, o.stream, o.data));
    }
  } finally {
    session.close();
    conn.end();
  }
}

const dims = (q: URLSearchParams) => {
  const h = queryInt(q, "h", 0);
  const w = queryInt(q, "w", 0);
  if (h <= 0 || w <= 0) throw invalidArgument("h and w must be positive integers");
  return [h, w] as const;
};

export function containerIoRoutes(b: ContainerIoBackend): Route[] {
  return [
    {
      method: "GET",
      path: "/containers/{id}/logs",
      handler: async ({ res, params, query, signal }) => {
        const { tty, output } = await b.logs(params.id!, {
          follow: queryBool(query, "follow"),
          stdout: queryBool(query, "stdout"),
          stderr: queryBool(query, "stderr"),
          since: parseTimestamp(query.get("since")) || undefined,
          until: parseTimestamp(query.get("until")) || undefined,
          timestamps: queryBool(query, "timestamps"),
          tail: queryString(query, "tail") ?? "all",
          signal: signal ?? new AbortController().signal,
        });
        res.writeHead(200, { "Content-Type": tty ? RAW_STREAM : MULTIPLEXED_STREAM });
        res.flushHeaders();
        for await (const o of output) {
          if (!res.write(frame(tty, o.stream, o.data))) await new Promise((r) => res.once("drain", r));
        }
        res.end();
      },
    },
    {
      method: "POST",
      path: "/containers/{id}/attach",
      handler: async (ctx) => {
        const q = ctx.query;
        const ready = await b.attach(ctx.params.id!, {
          stdin: queryBool(q, "stdin"),
          stdout: queryBool(q, "stdout"),
          stderr: queryBool(q, "stderr"),
        });
        // The 101 goes out before the session exists: `docker run` waits for it before it starts
        // the container, and the session appears only at start.
        const conn = await ctx.hijack(ready.tty ? RAW_STREAM : MULTIPLEXED_STREAM);
        let session: StdioSession;
        try {
          session = await ready.session();
        } catch {
          // The container failed to start: the start request reports why; the stream just ends.
          conn.end();
          return;
        }
        await pump(conn, session, queryString(q, "detachKeys"));
      },
    },
    {
      method: "POST",
      path: "/containers/{id}/resize",
      handler: async ({ res, params, query }) => {
        const [h, w] = dims(query);
        await b.resize(params.id!, h, w);
        res.writeHead(200).end();
      },
    },
    {
      method: "POST",
      path: "/containers/{id}/exec",
      handler: async (ctx) => {
        const cfg = await ctx.json<ExecConfig>();
        if (!cfg || typeof cfg !== "object") throw invalidArgument("exec config is required");
        sendJson(ctx.res, 201, await b.execCreate(ctx.params.id!, cfg));
      },
    },
    {
      method: "POST",
      path: "/exec/{id}/start",
      handler: async (ctx) => {
        const body =
          (await ctx.json<{ Detach?: boolean; Tty?: boolean; ConsoleSize?: [number, number] | null }>()) ??
          {};
        const opts = {
          detach: body.Detach ?? false,
          ...(body.Tty !== undefined ? { tty: body.Tty } : {}),
          consoleSize: body.ConsoleSize ?? null,
        };
        if (opts.detach) {
          await b.execStart(ctx.params.id!, opts);
          ctx.res.writeHead(200).end();
          return;
        }
        // As Docker does: the connection is taken first and a failure to start is written into it;
        // the client then reads the exit code (126/127) from exec inspect.
        const inspect = await b.execInspect(ctx.params.id!);
        const tty = opts.tty ?? inspect.ProcessConfig.tty;
        const conn = await ctx.hijack(tty ? RAW_STREAM : MULTIPLEXED_STREAM);
        let session: StdioSession | undefined;
        try {
          session = await b.execStart(ctx.params.id!, opts);
        } catch (err) {
          conn.end(frame(tty, "stderr", Buffer.from(`${(err as Error).message}\r\n`)));
          return;
        }
        if (session) await pump(conn, session);
        else conn.end();
      },
    },
    {
      method: "GET",
      path: "/exec/{id}/json",
      handler: async ({ res, params }) => sendJson(res, 200, await b.execInspect(params.id!)),
    },
    {
      method: "POST",
      path: "/exec/{id}/resize",
      handler: async ({ res, params, query }) => {
        const [h, w] = dims(query);
        await b.execResize(params.id!, h, w);
        res.writeHead(200).end();
      },
    },
  ];
}
