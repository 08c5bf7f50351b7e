import { remove } from "../../../api/client/volumes.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { errorLine } from "../container/_shared.js";

const FLAGS = defineFlags([
  { name: "force", short: "f", type: "bool", description: "Force the removal of one or more volumes" },
]);

export const volumeRmCommand = defineCommand({
  path: "volume rm",
  aliases: ["volume remove"],
  usage: "[OPTIONS] VOLUME [VOLUME...]",
  description: "Remove one or more volumes",
  flags: FLAGS,
  args: { min: 1 },
  async run(ctx, { flags, args }) {
    const client = await ctx.client();
    const errors: string[] = [];
    for (const name of args) {
      try {
        await remove(client, name, { force: flags.force });
        ctx.stdout.write(`${name}\n`);
      } catch (err) {
        errors.push(errorLine(err));
      }
    }
    if (errors.length > 0) ctx.stderr.write(`${errors.join("\n")}\n`);
    return errors.length > 0 ? 1 : 0;
  },
});
