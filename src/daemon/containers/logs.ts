import { invalidArgument } from "../../lib/errors.js";
import { formatTimestampNs, type LogEntry } from "../../runtime/io/k8s-log.js";
import { readLog } from "../../runtime/io/log-file.js";
import { findContainer } from "./deps.js";
import type { OutputChunk } from "./io-types.js";
import { logFiles } from "./log-rotation.js";
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
  const range = {
    ...(opts.since !== undefined ? { since: opts.since } : {}),
    ...(opts.until !== undefined ? { until: opts.until } : {}),
  };
  const chunk = (e: LogEntry): OutputChunk | undefined => {
    if (e.stream === "stdout" ? !opts.stdout : !opts.stderr) return undefined;
    const text = e.partial ? e.line : Buffer.concat([e.line, Buffer.from("\n")]);
    const data = opts.timestamps
      ? Buffer.concat([Buffer.from(`${formatTimestampNs(e.timeNs)} `), text])
      : text;
    return { stream: e.stream, data };
  };
  async function* output(): AsyncGenerator<OutputChunk> {
    // Rotated files first (oldest first), then the live file, which is followed when asked.
    const files = await logFiles(deps, c.id);
    const current = files[files.length - 1]!;
    const older = files.slice(0, -1);
    let fromOlder: LogEntry[][] = [];
    if (tail === undefined) {
      for (const f of older) fromOlder.push(await collect(readLog(f, range)));
    } else {
      let need = tail - (await collect(readLog(current, { tail }))).length;
      for (const f of [...older].reverse()) {
        if (need <= 0) break;
        const entries = await collect(readLog(f, { tail: need, ...range }));
        fromOlder = [entries, ...fromOlder];
        need -= entries.length;
      }
    }
    for (const entries of fromOlder) {
      for (const e of entries) {
        const o = chunk(e);
        if (o) yield o;
      }
    }
    for await (const e of readLog(current, {
      ...(tail !== undefined ? { tail } : {}),
      ...range,
      follow: opts.follow,
      signal: opts.signal,
      stopWhen,
    })) {
      const o = chunk(e);
      if (o) yield o;
    }
  }
  return { tty: c.config.Tty ?? false, output: output() };
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
