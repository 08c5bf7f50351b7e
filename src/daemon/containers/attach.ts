import { conflict } from "../../lib/errors.js";
import { type AttachConnection, openAttach } from "../../runtime/io/attach.js";
import { findContainer } from "./deps.js";
import type { OutputChunk, StdioSession } from "./io-types.js";
import { liveOf, type RuntimeDeps, runPaths } from "./runtime-deps.js";

export interface AttachOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
}

/**
 * `docker attach` (and the attach `docker run` makes before it starts the container): a running
 * container is joined now; a created one when it starts, before its process runs, so no output
 * is missed.
 */
export async function attachContainer(
  deps: RuntimeDeps,
  ref: string,
  opts: AttachOptions,
): Promise<StdioSession> {
  const c = findContainer(deps, ref);
  const status = c.state.status;
  let conn: AttachConnection;
  if (status === "running") {
    const p = runPaths(deps, c.id);
    conn = await openAttach({ socketPath: p.attach, ctlPath: p.ctl });
  } else if (status === "created" || status === "exited") {
    conn = await new Promise<AttachConnection>((resolve, reject) => {
      liveOf(deps, c.id).pendingAttach.push((r) => (r instanceof Error ? reject(r) : resolve(r)));
    });
  } else if (status === "paused") {
    throw conflict(`You cannot attach to a paused container, unpause it first`);
  } else {
    throw conflict(`You cannot attach to a stopped container, start it first`);
  }
  const tty = c.config.Tty ?? false;
  async function* output(): AsyncGenerator<OutputChunk> {
    for await (const o of conn.output) {
      if (o.stream === "stdout" ? opts.stdout : opts.stderr) yield o;
    }
  }
  return {
    tty,
    output: output(),
    ...(opts.stdin && c.config.OpenStdin ? { stdin: conn.stdin } : {}),
    resize: (h, w) => conn.resize(h, w),
    close: () => conn.close(),
  };
}

/** POST /containers/{id}/resize. */
export async function resizeContainer(
  deps: RuntimeDeps,
  ref: string,
  height: number,
  width: number,
): Promise<void> {
  const c = findContainer(deps, ref);
  if (c.state.status !== "running") throw conflict(`Container ${c.id} is not running`);
  const { resizeTerminal } = await import("../../runtime/io/attach.js");
  await resizeTerminal(runPaths(deps, c.id).ctl, height, width);
}
