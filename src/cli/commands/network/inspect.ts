import { inspect } from "../../../api/client/networks.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { inspectEach } from "../image/_shared.js";

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
    return inspectEach(ctx, args, (name) => inspect(client, name), flags.format);
  },
});
