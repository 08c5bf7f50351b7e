import { pruneBuildCache } from "../../../api/client/build.js";
import { filtersFromPairs } from "../../../api/types/filters.js";
import { parseByteSize } from "../../../lib/byte-size.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { humanSize } from "../../formatter/units.js";
import { confirm } from "../../prompt.js";

const FLAGS = defineFlags([
  {
    name: "all",
    short: "a",
    type: "bool",
    description: "Remove all unused build cache, not just dangling ones",
  },
  {
    name: "filter",
    type: "stringArray",
    valueName: "filter",
    description: 'Provide filter values (e.g. "until=24h")',
  },
  { name: "force", short: "f", type: "bool", description: "Do not prompt for confirmation" },
  {
    name: "keep-storage",
    type: "string",
    description: "Amount of disk space to keep for cache (bytes, or 10MB, 1GB)",
  },
]);

/** "512", "10MB", "1.5GB" → bytes (docker's RAMInBytes, 1024-based). */
export function parseBytes(s: string): number {
  const n = parseByteSize(s);
  if (n === undefined) throw new Error(`invalid size: '${s}'`);
  return n;
}

export const builderPruneCommand = defineCommand({
  path: "builder prune",
  usage: "[OPTIONS]",
  description: "Remove build cache",
  flags: FLAGS,
  args: { max: 0 },
  async run(ctx, { flags }) {
    let keepStorage = 0;
    try {
      keepStorage = flags["keep-storage"] ? parseBytes(flags["keep-storage"]) : 0;
    } catch (err) {
      ctx.stderr.write(`berth builder prune: ${(err as Error).message}\n`);
      return 125;
    }
    const warning = flags.all
      ? "WARNING! This will remove all build cache."
      : "WARNING! This will remove all dangling build cache.";
    if (!flags.force && !(await confirm(ctx, warning))) return 0;
    const report = await pruneBuildCache(await ctx.client(), {
      all: flags.all,
      filters: filtersFromPairs(flags.filter),
      keepStorage,
    });
    if (report.CachesDeleted?.length) {
      ctx.stdout.write("Deleted build cache objects:\n");
      for (const id of report.CachesDeleted) ctx.stdout.write(`${id}\n`);
      ctx.stdout.write("\n");
    }
    ctx.stdout.write(`Total reclaimed space: ${humanSize(report.SpaceReclaimed)}\n`);
    return 0;
  },
});
