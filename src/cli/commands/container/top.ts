import { top } from "../../../api/client/containers.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { tabwrite } from "../../formatter/table.js";
import { errorLine } from "./_shared.js";

export const topCommand = defineCommand({
  path: "container top",
  aliases: ["top"],
  usage: "CONTAINER [ps OPTIONS]",
  description: "Display the running processes of a container",
  flags: defineFlags([]),
  interspersed: false,
  args: { min: 1 },
  async run(ctx, { args }) {
    try {
      const procs = await top(await ctx.client(), args[0]!, args.slice(1));
      const lines = [procs.Titles, ...(procs.Processes ?? [])].map((cells) => `${cells.join("\t")}\n`);
      // docker's tabwriter here: minimum cell width 20, padding 3.
      ctx.stdout.write(tabwrite(lines.join(""), { minWidth: 20, tabWidth: 1, padding: 3, padChar: " " }));
      return 0;
    } catch (err) {
      ctx.stderr.write(`${errorLine(err)}\n`);
      return 1;
    }
  },
});
