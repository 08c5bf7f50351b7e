import { nameOf, projectContainers } from "../../../compose/apply/project-containers.js";
import { defineFlags } from "../../flags.js";
import { parseTimestampArg } from "../../timestamp-arg.js";
import { defineComposeCommand } from "./_compose-command.js";
import { LogPrinter, pipeLogs } from "./_log-printer.js";

const FLAGS = defineFlags([
  { name: "follow", short: "f", type: "bool", description: "Follow log output" },
  { name: "index", type: "int", description: "index of the container if service has multiple replicas" },
  { name: "no-color", type: "bool", description: "Produce monochrome output" },
  { name: "no-log-prefix", type: "bool", description: "Don't print prefix in logs" },
  {
    name: "since",
    type: "string",
    description:
      "Show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)",
  },
  {
    name: "tail",
    short: "n",
    type: "string",
    default: "all",
    description: "Number of lines to show from the end of the logs for each container",
  },
  { name: "timestamps", short: "t", type: "bool", description: "Show timestamps" },
]);

export const composeLogs = defineComposeCommand({
  name: "logs",
  usage: "[OPTIONS] [SERVICE...]",
  description: "View output from containers",
  flags: FLAGS,
  async run(ctx, session, { flags, args }) {
    const client = await ctx.client();
    const name = await session.projectName(client);
    let list = await projectContainers(client, name, { all: true, services: args, oneoff: false });
    if (flags.index > 0)
      list = list.filter((c) => c.Labels["com.docker.compose.container-number"] === String(flags.index));
    const targets = list.map((c) => ({ id: c.Id, name: nameOf(c) }));
    const printer = new LogPrinter(
      ctx.stdout,
      targets.map((t) => t.name),
      {
        noColor: flags["no-color"],
        noPrefix: flags["no-log-prefix"],
      },
    );
    const since = flags.since ? parseTimestampArg(flags.since, new Date()) : undefined;
    const abort = new AbortController();
    const onInt = () => abort.abort();
    process.once("SIGINT", onInt);
    try {
      await Promise.all(
        targets.map((t) =>
          pipeLogs(client, printer, t, {
            follow: flags.follow,
            tail: flags.tail,
            timestamps: flags.timestamps,
            since,
            signal: abort.signal,
          }),
        ),
      );
    } finally {
      process.off("SIGINT", onInt);
    }
    return 0;
  },
});
