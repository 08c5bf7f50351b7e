import { invalidArgument } from "../../lib/errors.js";
import { formatTimestampNs } from "../../runtime/io/k8s-log.js";
import { readLog } from "../../runtime/io/log-file.js";
import { findContainer } from "./deps.js";
import type { OutputChunk } from "./io-types.js";
import type { RuntimeDeps } from "./runtime-deps.js";

export interface LogsOptions {
  follow: boolean;
  stdout: boolean;
  stderr: boolean;
  /** Unix nanoseconds. */
  since?: bigint;
  until?: bigint;
  timestamps: boolean;
  /** "all" or a line count. */
  tail: string;
  signal: AbortSignal;
}

/**
 * `docker logs`: the container's log file (kept after it exits and across daemon restarts),
 * optionally followed until the container stops or the client goes away.
 */
export function containerLogs(
  deps: RuntimeDeps,
  ref: string,
  opts: LogsOptions,
): { tty: boolean; output: AsyncIterable<OutputChunk> } {
  const c = findContainer(deps, ref);
  if (!opts.stdout && !opts.stderr) throw invalidArgument("You must choose at least one stream");
  const tail = opts.tail === "" || opts.tail === "all" ? undefined : Number(opts.tail);
  if (tail !== undefined && (!Number.isInteger(tail) || tail < 0)) {
    throw invalidArgument(`invalid value for "tail": "${opts.tail}"`);
  }
  const running = () => {
    const s = deps.store.get(c.id)?.state.status;
    return s === "running" || s === "paused" || s === "restarting";
  };
  const stopWhen = new Promise<void>((resolve) => {
    if (!running()) return resolve();
    const off = deps.watch.on(c.id, () => {
      if (!running()) {
        off();
        resolve();
      }
    });
    opts.signal.addEventListener("abort", () => {
      off();
      resolve();
    });
  });
  const file = deps.store.pathOf(c.id, "container.log");
  async function* output(): AsyncGenerator<OutputChunk> {
    for await (const e of readLog(file, {
      ...(tail !== undefined ? { tail } : {}),
      ...(opts.since !== undefined ? { since: opts.since } : {}),
      ...(opts.until !== undefined ? { until: opts.until } : {}),
      follow: opts.follow,
      signal: opts.signal,
      stopWhen,
    })) {
      if (e.stream === "stdout" ? !opts.stdout : !opts.stderr) continue;
      const text = e.partial ? e.line : Buffer.concat([e.line, Buffer.from("\n")]);
      const data = opts.timestamps
        ? Buffer.concat([Buffer.from(`${formatTimestampNs(e.timeNs)} `), text])
        : text;
      yield { stream: e.stream, data };
    }
  }
  return { tty: c.config.Tty ?? false, output: output() };
}
