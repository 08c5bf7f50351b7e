import { list } from "../../../api/client/containers.js";
import { defineCommand } from "../../command.js";
import { defineFlags, type FlagError } from "../../flags.js";
import { renderFormat } from "../../formatter/format.js";
import { TABLE_FORMAT_HELP } from "./_format-help.js";
import { ContainerRow, PS_DEFAULT_TABLE, PS_HEADERS } from "./_ps-view.js";
import { errorLine, filterPairs, usageError } from "./_shared.js";

const FLAGS = defineFlags([
  { name: "all", short: "a", type: "bool", description: "Show all containers (default shows just running)" },
  {
    name: "filter",
    short: "f",
    type: "stringArray",
    valueName: "filter",
    description: "Filter output based on conditions provided",
  },
  { name: "format", type: "string", description: TABLE_FORMAT_HELP },
  {
    name: "last",
    short: "n",
    type: "int",
    default: -1,
    description: "Show n last created containers (includes all states)",
  },
  {
    name: "latest",
    short: "l",
    type: "bool",
    description: "Show the latest created container (includes all states)",
  },
  { name: "no-trunc", type: "bool", description: "Don't truncate output" },
  { name: "quiet", short: "q", type: "bool", description: "Only display container IDs" },
  { name: "size", short: "s", type: "bool", description: "Display total file sizes" },
]);

export const psCommand = defineCommand({
  path: "container ls",
  aliases: ["container list", "container ps", "ps"],
  usage: "[OPTIONS]",
  description: "List containers",
  flags: FLAGS,
  args: { max: 0 },
  async run(ctx, { flags, changed }): Promise<number> {
    let filters: ReturnType<typeof filterPairs>;
    try {
      filters = filterPairs(FLAGS[1], flags.filter);
    } catch (err) {
      return usageError(ctx, psCommand, err as FlagError);
    }
    let format = flags.format;
    if (format !== "" && flags.quiet) {
      ctx.stderr.write("WARNING: Ignoring custom format, because both --format and --quiet are set.\n");
    }
    if (flags.quiet) format = "{{.ID}}";
    // A template that shows .Size needs the sizes computed, as docker asks for them then.
    const size = flags.size || (!flags.quiet && !changed.has("size") && /\.Size\b/.test(format));
    const limit = flags.latest && flags.last === -1 ? 1 : flags.last;
    let containers: Awaited<ReturnType<typeof list>>;
    try {
      containers = await list(await ctx.client(), {
        all: flags.all,
        limit,
        size,
        filters,
      });
    } catch (err) {
      ctx.stderr.write(`${errorLine(err)}\n`);
      return 1;
    }
    const now = Date.now();
    const rows = containers.map((c) => new ContainerRow(c, !flags["no-trunc"], now));
    const defaultTable = size ? `${PS_DEFAULT_TABLE}\t{{.Size}}` : PS_DEFAULT_TABLE;
    ctx.stdout.write(renderFormat(format, rows, { defaultTable, headers: PS_HEADERS }));
    return 0;
  },
});
