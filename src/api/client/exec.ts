/**
 * Exec endpoints: create an exec instance in a running container, start it (hijacked unless
 * detached), resize its TTY and read its exit code.
 *
 *   const { Id } = await create(client, "web", { Cmd: ["sh"], AttachStdout: true, AttachStderr: true });
 *   const conn = await start(client, Id, { tty: false });   // multiplexed output on conn.socket
 *   const { ExitCode } = await inspect(client, Id);
 */
import type { ExecConfig, ExecInspect } from "../types/containers.js";
import type { ApiClient, HijackedConnection } from "./client.js";

const path = (id: string, rest: string) => `/exec/${encodeURIComponent(id)}${rest}`;

export function create(client: ApiClient, container: string, config: ExecConfig) {
  return client.json<{ Id: string }>("POST", `/containers/${encodeURIComponent(container)}/exec`, {
    body: config,
  });
}

export interface ExecStartOptions {
  readonly tty?: boolean;
  /** [rows, cols] */
  readonly consoleSize?: readonly [number, number];
}

function startBody(detach: boolean, opts: ExecStartOptions) {
  return { Detach: detach, Tty: opts.tty ?? false, ConsoleSize: opts.consoleSize ?? null };
}

/** Starts the exec attached: the hijacked connection carries stdin and (raw or multiplexed) output. */
export function start(
  client: ApiClient,
  id: string,
  opts: ExecStartOptions = {},
): Promise<HijackedConnection> {
  return client.hijack("POST", path(id, "/start"), { body: startBody(false, opts) });
}

/** Starts the exec in the background. */
export async function startDetached(
  client: ApiClient,
  id: string,
  opts: ExecStartOptions = {},
): Promise<void> {
  await client.request("POST", path(id, "/start"), { body: startBody(true, opts) });
}

export async function resize(client: ApiClient, id: string, size: { rows: number; cols: number }) {
  await client.request("POST", path(id, "/resize"), { query: { h: size.rows, w: size.cols } });
}

export function inspect(client: ApiClient, id: string) {
  return client.json<ExecInspect>("GET", path(id, "/json"));
}
