import { history } from "../../../api/client/images.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { renderFormat } from "../../formatter/format.js";
import { ago, humanSize } from "../../formatter/units.js";
import { shortImageId } from "./_shared.js";

const FLAGS = defineFlags([
  { name: "format", type: "string", description: "Format output using a custom template" },
  {
    name: "human",
    short: "H",
    type: "bool",
    default: true,
    description: "Print sizes and dates in human readable format",
  },
  { name: "no-trunc", type: "bool", description: "Don't truncate output" },
  { name: "quiet", short: "q", type: "bool", description: "Only show image IDs" },
  { name: "platform", type: "string", description: "Show history for the given platform", hidden: true },
]);

function ellipsis(s: string, n: number): string {
  const chars = [...s];
  return chars.length <= n ? s : `${chars.slice(0, n - 1).join("")}…`;
}

export const imageHistoryCommand = defineCommand({
  path: "image history",
  aliases: ["history"],
  usage: "[OPTIONS] IMAGE",
  description: "Show the history of an image",
  flags: FLAGS,
  args: { min: 1, max: 1 },
  async run(ctx, { flags, args }) {
    const items = await history(await ctx.client(), args[0]!);
    const noTrunc = flags["no-trunc"];
    if (flags.quiet) {
      for (const i of items)
        ctx.stdout.write(`${i.Id === "<missing>" ? i.Id : shortImageId(i.Id, noTrunc)}\n`);
      return 0;
    }
    const now = Date.now();
    const rows = items.map((i) => {
      const createdBy = i.CreatedBy.replace(/\t/g, " ");
      return {
        ID: i.Id === "<missing>" ? i.Id : shortImageId(i.Id, noTrunc),
        CreatedSince: flags.human ? ago(i.Created * 1000, now) : new Date(i.Created * 1000).toISOString(),
        CreatedAt: new Date(i.Created * 1000).toISOString(),
        CreatedBy: noTrunc ? createdBy : ellipsis(createdBy, 45),
        Size: flags.human ? humanSize(i.Size) : String(i.Size),
        Comment: i.Comment,
      };
    });
    ctx.stdout.write(
      renderFormat(flags.format, rows, {
        defaultTable: "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}",
        headers: {
          ID: "IMAGE",
          CreatedSince: "CREATED",
          CreatedAt: "CREATED AT",
          CreatedBy: "CREATED BY",
          Size: "SIZE",
          Comment: "COMMENT",
        },
      }),
    );
    return 0;
  },
});
