import { prune } from "../../../api/client/networks.js";
import { filtersFromPairs } from "../../../api/types/filters.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { confirm } from "../../prompt.js";

const FLAGS = defineFlags([
  {
    name: "filter",
    type: "stringArray",
    valueName: "filter",
    description: 'Provide filter values (e.g. "until=<timestamp>")',
  },
  { name: "force", short: "f", type: "bool", description: "Do not prompt for confirmation" },
]);

export const networkPruneCommand = defineCommand({
  path: "network prune",
  usage: "[OPTIONS]",
  description: "Remove all unused networks",
  flags: FLAGS,
  args: { max: 0 },
  async run(ctx, { flags }) {
    const warning = "WARNING! This will remove all custom networks not used by at least one container.";
    if (!flags.force && !(await confirm(ctx, warning))) return 0;
    const report = await prune(await ctx.client(), filtersFromPairs(flags.filter));
    if (report.NetworksDeleted?.length) {
      ctx.stdout.write(`Deleted Networks:\n${report.NetworksDeleted.map((n) => `${n}\n`).join("")}`);
    }
    return 0;
  },
});
