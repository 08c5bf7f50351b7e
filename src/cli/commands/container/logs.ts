import { inspect, logs } from "../../../api/client/containers.js";
import { demultiplex } from "../../../api/types/stdcopy.js";
import { type CliContext, defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { parseTimestampArg } from "../../timestamp-arg.js";
import { errorLine, onBrokenPipe } from "./_shared.js";

const FLAGS = defineFlags([
  { name: "details", type: "bool", description: "Show extra details provided to logs" },
  { name: "follow", short: "f", type: "bool", description: "Follow log output" },
  {
    name: "since",
    type: "string",
    description:
      'Show logs since timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)',
  },
  {
    name: "tail",
    short: "n",
    type: "string",
    default: "all",
    description: "Number of lines to show from the end of the logs",
  },
  { name: "timestamps", short: "t", type: "bool", description: "Show timestamps" },
  {
    name: "until",
    type: "string",
    description:
      'Show logs before a timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)',
  },
]);

/** Writes a chunk and waits for the stream to take more (or to fail: a closed pipe ends the copy). */
function write(out: NodeJS.WritableStream, data: Uint8Array): Promise<void> | undefined {
  if (out.write(data)) return undefined;
  return new Promise((resolve) => {
    const done = () => {
      out.off("drain", done);
      out.off("error", done);
      out.off("close", done);
      resolve();
    };
    out.on("drain", done);
    out.on("error", done);
    out.on("close", done);
  });
}

export const logsCommand = defineCommand({
  path: "container logs",
  aliases: ["logs"],
  usage: "[OPTIONS] CONTAINER",
  description: "Fetch the logs of a container",
  flags: FLAGS,
  args: { min: 1, max: 1 },
  async run(ctx, { flags, args }) {
    const times: Record<"since" | "until", string | undefined> = { since: undefined, until: undefined };
    const now = new Date();
    for (const key of ["since", "until"] as const) {
      if (flags[key] === "") continue;
      try {
        times[key] = parseTimestampArg(flags[key], now);
      } catch (err) {
        ctx.stderr.write(`invalid value for "${key}": ${(err as Error).message}\n`);
        return 1;
      }
    }
    try {
      const client = await ctx.client();
      const c = await inspect(client, args[0]!);
      const stream = await logs(client, c.Id, {
        follow: flags.follow,
        since: times.since,
        until: times.until,
        timestamps: flags.timestamps,
        tail: flags.tail,
        details: flags.details,
      });
      const offPipe = onBrokenPipe(ctx.stdout, () => stream.destroy());
      try {
        await copyLogs(ctx, stream, c.Config.Tty ?? false);
      } finally {
        offPipe();
      }
      return 0;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ERR_STREAM_PREMATURE_CLOSE") return 0;
      ctx.stderr.write(`${errorLine(err)}\n`);
      return 1;
    }
  },
});

/** Raw bytes with a TTY, else stdout and stderr frames to their own streams. */
async function copyLogs(ctx: CliContext, stream: AsyncIterable<Buffer>, tty: boolean): Promise<void> {
  if (tty) {
    for await (const chunk of stream) await write(ctx.stdout, chunk);
    return;
  }
  for await (const frame of demultiplex(stream)) {
    await write(frame.stream === "stderr" ? ctx.stderr : ctx.stdout, frame.data);
  }
}
