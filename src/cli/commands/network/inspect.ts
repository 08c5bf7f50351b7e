import { inspect } from "../../../api/client/networks.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { renderInspect } from "../image/_shared.js";

const FLAGS = defineFlags([
  { name: "format", short: "f", type: "string", description: "Format output using a custom template" },
]);

export const networkInspectCommand = defineCommand({
  path: "network inspect",
  usage: "[OPTIONS] NETWORK [NETWORK...]",
  description: "Display detailed information on one or more networks",
  flags: FLAGS,
  args: { min: 1 },
  async run(ctx, { flags, args }) {
    const client = await ctx.client();
    const found: unknown[] = [];
    let failed = false;
    for (const name of args) {
      try {
        found.push(await inspect(client, name));
      } catch (err) {
        failed = true;
        ctx.stderr.write(`Error response from daemon: ${(err as Error).message}\n`);
      }
    }
    ctx.stdout.write(renderInspect(found, flags.format));
    return failed ? 1 : 0;
  },
});
