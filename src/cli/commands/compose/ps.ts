import { nameOf, projectContainers } from "../../../compose/apply/project-containers.js";
import { L } from "../../../compose/plan/labels.js";
import { defineFlags } from "../../flags.js";
import { renderFormat } from "../../formatter/format.js";
import { ContainerRow, PS_HEADERS } from "../container/_ps-view.js";
import { defineComposeCommand } from "./_compose-command.js";

const FLAGS = defineFlags([
  {
    name: "all",
    short: "a",
    type: "bool",
    description: "Show all stopped containers (including those created by the run command)",
  },
  {
    name: "format",
    type: "string",
    default: "table",
    description: "Format output using a custom template: 'table', 'json' or a Go template",
  },
  { name: "no-trunc", type: "bool", description: "Don't truncate output" },
  { name: "quiet", short: "q", type: "bool", description: "Only display IDs" },
  { name: "services", type: "bool", description: "Display services" },
  {
    name: "status",
    type: "stringArray",
    description:
      "Filter services by status. Values: [paused | restarting | removing | running | dead | created | exited]",
  },
]);

/** A ps row as Docker Compose presents it: docker's container row plus Name, Service, Project. */
class ComposeRow extends ContainerRow {
  readonly Name: string;
  readonly Service: string;
  readonly Project: string;
  readonly Health: string;
  readonly ExitCode: number;
  constructor(c: ConstructorParameters<typeof ContainerRow>[0], trunc: boolean, now: number) {
    super(c, trunc, now);
    this.Name = nameOf(c);
    this.Service = c.Labels[L.service] ?? "";
    this.Project = c.Labels[L.project] ?? "";
    this.Health =
      /\((healthy|unhealthy|health: starting)\)/.exec(c.Status)?.[1]?.replace("health: ", "") ?? "";
    this.ExitCode = Number(/Exited \((\d+)\)/.exec(c.Status)?.[1] ?? 0);
  }
}

export const composePs = defineComposeCommand({
  name: "ps",
  usage: "[OPTIONS] [SERVICE...]",
  description: "List containers",
  flags: FLAGS,
  async run(ctx, session, { flags, args }) {
    const client = await ctx.client();
    const name = await session.projectName(client);
    let list = await projectContainers(client, name, {
      all: flags.all,
      services: args,
      oneoff: flags.all ? undefined : false,
    });
    if (flags.status.length) list = list.filter((c) => flags.status.includes(c.State));
    if (flags.quiet) {
      for (const c of list) ctx.stdout.write(`${c.Id}\n`);
      return 0;
    }
    if (flags.services) {
      for (const s of [...new Set(list.map((c) => c.Labels[L.service] ?? ""))]) ctx.stdout.write(`${s}\n`);
      return 0;
    }
    const now = Date.now();
    const rows = list.map((c) => new ComposeRow(c, !flags["no-trunc"], now));
    ctx.stdout.write(
      renderFormat(flags.format, rows, {
        defaultTable:
          "table {{.Name}}\t{{.Image}}\t{{.Command}}\t{{.Service}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}",
        headers: {
          ...PS_HEADERS,
          Name: "NAME",
          Service: "SERVICE",
          Project: "PROJECT",
          Health: "HEALTH",
          ExitCode: "EXIT CODE",
        },
      }),
    );
    return 0;
  },
});
