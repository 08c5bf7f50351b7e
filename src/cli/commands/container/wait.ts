import { wait } from "../../../api/client/containers.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { errorLine } from "./_shared.js";

export const waitCommand = defineCommand({
  path: "container wait",
  aliases: ["wait"],
  usage: "CONTAINER [CONTAINER...]",
  description: "Block until one or more containers stop, then print their exit codes",
  flags: defineFlags([]),
  args: { min: 1 },
  async run(ctx, { args }) {
    const client = await ctx.client();
    const errors: string[] = [];
    for (const name of args) {
      try {
        const r = await wait(client, name);
        ctx.stdout.write(`${r.StatusCode}\n`);
      } catch (err) {
        errors.push(errorLine(err));
      }
    }
    if (errors.length > 0) ctx.stderr.write(`${errors.join("\n")}\n`);
    return errors.length > 0 ? 1 : 0;
  },
});
