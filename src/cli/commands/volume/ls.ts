import { list } from "../../../api/client/volumes.js";
import { filtersFromPairs } from "../../../api/types/filters.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { renderFormat } from "../../formatter/format.js";
import { naturalLess, VOLUME_HEADERS, VolumeRow } from "./_shared.js";

const FLAGS = defineFlags([
  { name: "cluster", type: "bool", description: "Display only cluster volumes", hidden: true },
  {
    name: "filter",
    short: "f",
    type: "stringArray",
    valueName: "filter",
    description: 'Provide filter values (e.g. "dangling=true")',
  },
  { name: "format", type: "string", description: "Format output using a custom template" },
  { name: "quiet", short: "q", type: "bool", description: "Only display volume names" },
]);

export const volumeLsCommand = defineCommand({
  path: "volume ls",
  aliases: ["volume list"],
  usage: "[OPTIONS]",
  description: "List volumes",
  flags: FLAGS,
  args: { max: 0 },
  async run(ctx, { flags }) {
    const res = await list(await ctx.client(), { filters: filtersFromPairs(flags.filter) });
    const volumes = [...(res.Volumes ?? [])].sort((a, b) => naturalLess(a.Name, b.Name));
    for (const w of res.Warnings ?? []) ctx.stderr.write(`${w}\n`);
    if (flags.quiet && flags.format === "") {
      for (const v of volumes) ctx.stdout.write(`${v.Name}\n`);
      return 0;
    }
    ctx.stdout.write(
      renderFormat(
        flags.format,
        volumes.map((v) => new VolumeRow(v)),
        { defaultTable: "table {{.Driver}}\t{{.Name}}", headers: VOLUME_HEADERS },
      ),
    );
    return 0;
  },
});
