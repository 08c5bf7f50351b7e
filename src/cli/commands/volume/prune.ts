import { prune } from "../../../api/client/volumes.js";
import { filtersFromPairs } from "../../../api/types/filters.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { humanSize } from "../../formatter/units.js";
import { confirm } from "../../prompt.js";

const FLAGS = defineFlags([
  {
    name: "all",
    short: "a",
    type: "bool",
    description: "Remove all unused volumes, not just anonymous ones",
  },
  {
    name: "filter",
    type: "stringArray",
    valueName: "filter",
    description: 'Provide filter values (e.g. "label=<label>")',
  },
  { name: "force", short: "f", type: "bool", description: "Do not prompt for confirmation" },
]);

export const volumePruneCommand = defineCommand({
  path: "volume prune",
  usage: "[OPTIONS]",
  description: "Remove unused local volumes",
  flags: FLAGS,
  args: { max: 0 },
  async run(ctx, { flags }) {
    const warning = flags.all
      ? "WARNING! This will remove all local volumes not used by at least one container."
      : "WARNING! This will remove anonymous local volumes not used by at least one container.";
    if (!flags.force && !(await confirm(ctx, warning))) return 0;
    const filters: Record<string, readonly string[]> = { ...filtersFromPairs(flags.filter) };
    if (flags.all) filters.all = ["true"];
    const report = await prune(await ctx.client(), filters);
    if (report.VolumesDeleted?.length) {
      ctx.stdout.write(`Deleted Volumes:\n${report.VolumesDeleted.map((v) => `${v}\n`).join("")}\n`);
    }
    ctx.stdout.write(`Total reclaimed space: ${humanSize(report.SpaceReclaimed)}\n`);
    return 0;
  },
});
