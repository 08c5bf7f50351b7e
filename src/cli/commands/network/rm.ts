import { remove } from "../../../api/client/networks.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { errorLine, isNotFound } from "../container/_shared.js";

const FLAGS = defineFlags([
  { name: "force", short: "f", type: "bool", description: "Do not error if the network does not exist" },
]);

export const networkRmCommand = defineCommand({
  path: "network rm",
  aliases: ["network remove"],
  usage: "NETWORK [NETWORK...]",
  description: "Remove one or more networks",
  flags: FLAGS,
  args: { min: 1 },
  async run(ctx, { flags, args }) {
    const client = await ctx.client();
    const errors: string[] = [];
    for (const name of args) {
      try {
        await remove(client, name);
        ctx.stdout.write(`${name}\n`);
      } catch (err) {
        if (flags.force && isNotFound(err)) continue;
        errors.push(errorLine(err));
      }
    }
    if (errors.length > 0) ctx.stderr.write(`${errors.join("\n")}\n`);
    return errors.length > 0 ? 1 : 0;
  },
});
