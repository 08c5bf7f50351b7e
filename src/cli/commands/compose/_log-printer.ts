/**
 * Compose-style log output: each line prefixed `name  | `, coloured per container on a terminal and
 * plain otherwise; follows many containers at once and reports when each exits.
 */
import type { ApiClient } from "../../../api/client/client.js";
import { inspect, logs, wait } from "../../../api/client/containers.js";
import { demultiplex } from "../../../api/types/stdcopy.js";

const COLOURS = [36, 33, 32, 35, 34, 96, 93, 92, 95, 94];

export interface LogTarget {
  id: string;
  name: string;
}

export class LogPrinter {
  readonly #out: NodeJS.WritableStream;
  readonly #colour: boolean;
  readonly #width: number;
  readonly #noPrefix: boolean;
  #next = 0;
  readonly #assigned = new Map<string, number>();

  constructor(
    out: NodeJS.WritableStream & { isTTY?: boolean },
    names: readonly string[],
    opts: { noColor?: boolean; noPrefix?: boolean } = {},
  ) {
    this.#out = out;
    this.#colour = !!out.isTTY && !opts.noColor && !process.env.NO_COLOR;
    this.#width = Math.max(0, ...names.map((n) => n.length));
    this.#noPrefix = opts.noPrefix ?? false;
  }

  prefix(name: string): string {
    if (this.#noPrefix) return "";
    const text = `${name.padEnd(this.#width)}  | `;
    if (!this.#colour) return text;
    let c = this.#assigned.get(name);
    if (c === undefined) {
      c = COLOURS[this.#next++ % COLOURS.length]!;
      this.#assigned.set(name, c);
    }
    return `\x1b[${c}m${text}\x1b[0m`;
  }

  line(name: string, text: string): void {
    this.#out.write(`${this.prefix(name)}${text}\n`);
  }
}

/** Streams one container's log through the printer, line by line, until it ends or `signal` aborts. */
export async function pipeLogs(
  client: ApiClient,
  printer: LogPrinter,
  target: LogTarget,
  opts: { follow?: boolean; tail?: string; timestamps?: boolean; since?: string; signal?: AbortSignal },
): Promise<void> {
  const c = await inspect(client, target.id);
  const res = await logs(client, target.id, {
    follow: opts.follow,
    tail: opts.tail,
    timestamps: opts.timestamps,
    since: opts.since,
    signal: opts.signal,
  });
  let pending = "";
  const emit = (chunk: string) => {
    pending += chunk;
    let i = pending.indexOf("\n");
    while (i >= 0) {
      printer.line(target.name, pending.slice(0, i).replace(/\r$/, ""));
      pending = pending.slice(i + 1);
      i = pending.indexOf("\n");
    }
  };
  try {
    if (c.Config.Tty) for await (const chunk of res) emit((chunk as Buffer).toString("utf8"));
    else for await (const f of demultiplex(res)) emit(Buffer.from(f.data).toString("utf8"));
  } catch (err) {
    if (!opts.signal?.aborted && (err as NodeJS.ErrnoException).code !== "ERR_STREAM_PREMATURE_CLOSE")
      throw err;
  }
  if (pending !== "") printer.line(target.name, pending);
}

/** Waits for a container to stop; its exit code (or -1 when the wait failed or was aborted). */
export async function exitCodeOf(client: ApiClient, id: string, signal?: AbortSignal): Promise<number> {
  try {
    return (await wait(client, id, { condition: "not-running", signal })).StatusCode;
  } catch {
    return -1;
  }
}
