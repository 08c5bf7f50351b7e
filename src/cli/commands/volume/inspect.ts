import { inspect } from "../../../api/client/volumes.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { inspectEach } from "../image/_shared.js";

const FLAGS = defineFlags([
  { name: "format", short: "f", type: "string", description: "Format output using a custom template" },
]);

export const volumeInspectCommand = defineCommand({
  path: "volume inspect",
  usage: "[OPTIONS] VOLUME [VOLUME...]",
  description: "Display detailed information on one or more volumes",
  flags: FLAGS,
  args: { min: 1 },
  async run(ctx, { flags, args }) {
    const client = await ctx.client();
    return inspectEach(ctx, args, (name) => inspect(client, name), flags.format);
  },
});
