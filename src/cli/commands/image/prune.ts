import { prune } from "../../../api/client/images.js";
import { filtersFromPairs } from "../../../api/types/filters.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { humanSize } from "../../formatter/units.js";
import { confirm } from "../../prompt.js";

const FLAGS = defineFlags([
  { name: "all", short: "a", type: "bool", description: "Remove all unused images, not just dangling ones" },
  {
    name: "filter",
    type: "stringArray",
    valueName: "filter",
    description: 'Provide filter values (e.g. "until=<timestamp>")',
  },
  { name: "force", short: "f", type: "bool", description: "Do not prompt for confirmation" },
]);

export const imagePruneCommand = defineCommand({
  path: "image prune",
  usage: "[OPTIONS]",
  description: "Remove unused images",
  flags: FLAGS,
  args: { max: 0 },
  async run(ctx, { flags }) {
    const warning = flags.all
      ? "WARNING! This will remove all images without at least one container associated to them."
      : "WARNING! This will remove all dangling images.";
    if (!flags.force && !(await confirm(ctx, warning))) return 0;
    const filters: Record<string, readonly string[]> = { ...filtersFromPairs(flags.filter) };
    if (flags.all) filters.dangling = ["false"];
    const report = await prune(await ctx.client(), filters);
    if (report.ImagesDeleted?.length) {
      ctx.stdout.write("Deleted Images:\n");
      for (const i of report.ImagesDeleted) {
        ctx.stdout.write("Untagged" in i ? `untagged: ${i.Untagged}\n` : `deleted: ${i.Deleted}\n`);
      }
      ctx.stdout.write("\n");
    }
    ctx.stdout.write(`Total reclaimed space: ${humanSize(report.SpaceReclaimed)}\n`);
    return 0;
  },
});
