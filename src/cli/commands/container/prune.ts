import { prune } from "../../../api/client/containers.js";
import { defineCommand } from "../../command.js";
import { defineFlags, type FlagError } from "../../flags.js";
import { humanSizeWithPrecision } from "../../formatter/units.js";
import { confirm } from "../../prompt.js";
import { errorLine, filterPairs, usageError } from "./_shared.js";

const FLAGS = defineFlags([
  {
    name: "filter",
    type: "stringArray",
    valueName: "filter",
    description: 'Provide filter values (e.g. "until=<timestamp>")',
  },
  { name: "force", short: "f", type: "bool", description: "Do not prompt for confirmation" },
]);

export const containerPruneCommand = defineCommand({
  path: "container prune",
  usage: "[OPTIONS]",
  description: "Remove all stopped containers",
  flags: FLAGS,
  args: { max: 0 },
  async run(ctx, { flags }): Promise<number> {
    let filters: ReturnType<typeof filterPairs>;
    try {
      filters = filterPairs(FLAGS[0], flags.filter);
    } catch (err) {
      return usageError(ctx, containerPruneCommand, err as FlagError);
    }
    if (!flags.force && !(await confirm(ctx, "WARNING! This will remove all stopped containers."))) return 0;
    try {
      const report = await prune(await ctx.client(), filters);
      const deleted = report.ContainersDeleted ?? [];
      if (deleted.length > 0)
        ctx.stdout.write(`Deleted Containers:\n${deleted.map((id) => `${id}\n`).join("")}\n`);
      ctx.stdout.write(
        `Total reclaimed space: ${humanSizeWithPrecision(deleted.length > 0 ? report.SpaceReclaimed : 0, 4)}\n`,
      );
      return 0;
    } catch (err) {
      ctx.stderr.write(`${errorLine(err)}\n`);
      return 1;
    }
  },
});
