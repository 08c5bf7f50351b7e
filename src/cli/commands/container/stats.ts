import type { ApiClient } from "../../../api/client/client.js";
import { readJsonStream } from "../../../api/client/client.js";
import { list, type StatsSample, stats } from "../../../api/client/containers.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { renderFormat } from "../../formatter/format.js";
import { TABLE_FORMAT_HELP } from "./_format-help.js";
import { errorLine, onBrokenPipe } from "./_shared.js";
import {
  emptyEntry,
  STATS_DEFAULT_TABLE,
  STATS_HEADERS,
  type StatsEntry,
  statsEntry,
  statsRow,
} from "./_stats-view.js";

const FLAGS = defineFlags([
  { name: "all", short: "a", type: "bool", description: "Show all containers (default shows just running)" },
  { name: "format", type: "string", description: TABLE_FORMAT_HELP },
  { name: "no-stream", type: "bool", description: "Disable streaming stats and only pull the first result" },
  { name: "no-trunc", type: "bool", description: "Do not truncate output" },
]);

/** Follows one container's stats; `first` settles with the first sample (or the error). */
class Collector {
  entry: StatsEntry;
  error: unknown;
  readonly first: Promise<void>;
  readonly #abort = new AbortController();

  constructor(client: ApiClient, container: string, stream: boolean) {
    this.entry = emptyEntry(container);
    this.first = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2000);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      (async () => {
        const res = await stats(client, container, { stream, signal: this.#abort.signal });
        for await (const sample of readJsonStream<StatsSample>(res)) {
          this.entry = statsEntry(container, sample);
          done();
          if (!stream) break;
        }
      })()
        .catch((err: unknown) => {
          if (!this.#abort.signal.aborted) this.error = err;
          this.entry = { ...emptyEntry(container), id: this.entry.id, name: this.entry.name };
        })
        .finally(done);
    });
  }

  stop(): void {
    this.#abort.abort();
  }
}

export const statsCommand = defineCommand({
  path: "container stats",
  aliases: ["stats"],
  usage: "[OPTIONS] [CONTAINER...]",
  description: "Display a live stream of container(s) resource usage statistics",
  flags: FLAGS,
  async run(ctx, { flags, args }) {
    const client = await ctx.client();
    const stream = !flags["no-stream"];
    let names = args;
    if (names.length === 0) {
      try {
        names = (await list(client, { all: flags.all })).map((c) => c.Id.slice(0, 12));
      } catch (err) {
        ctx.stderr.write(`${errorLine(err)}\n`);
        return 1;
      }
    }
    const collectors = names.map((n) => new Collector(client, n, stream));
    const stopAll = () => {
      for (const c of collectors) c.stop();
    };
    await Promise.all(collectors.map((c) => c.first));
    if (args.length > 0) {
      const errors = collectors.filter((c) => c.error !== undefined).map((c) => errorLine(c.error));
      if (errors.length > 0) {
        stopAll();
        ctx.stderr.write(`${errors.join("\n")}\n`);
        return 1;
      }
    }
    const render = () =>
      renderFormat(
        flags.format,
        collectors.map((c) => statsRow(c.entry, !flags["no-trunc"])),
        { defaultTable: STATS_DEFAULT_TABLE, headers: STATS_HEADERS },
      );
    if (!stream) {
      ctx.stdout.write(render());
      return 0;
    }
    // Redraw in place every half second until interrupted (or every container is gone).
    return new Promise<number>((resolve) => {
      const tick = () => {
        const lines = render().split("\n");
        ctx.stdout.write(`\x1b[H${lines.map((l) => `${l}\x1b[K`).join("\n")}\x1b[J`);
        if (args.length > 0 && collectors.every((c) => c.error !== undefined)) finish(0);
      };
      const timer = setInterval(tick, 500);
      const finish = (code: number) => {
        clearInterval(timer);
        process.off("SIGINT", onInt);
        offPipe();
        stopAll();
        resolve(code);
      };
      const onInt = () => finish(130);
      process.on("SIGINT", onInt);
      const offPipe = onBrokenPipe(ctx.stdout, () => finish(0));
      tick();
    });
  },
});
