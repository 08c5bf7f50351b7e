import { inspect } from "../../../api/client/images.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { inspectEach } from "./_shared.js";

const FLAGS = defineFlags([
  { name: "format", short: "f", type: "string", description: "Format output using a custom template" },
  {
    name: "platform",
    type: "string",
    description: "Inspect a specific platform of a multi-platform image",
    hidden: true,
  },
]);

export const imageInspectCommand = defineCommand({
  path: "image inspect",
  usage: "[OPTIONS] IMAGE [IMAGE...]",
  description: "Display detailed information on one or more images",
  flags: FLAGS,
  args: { min: 1 },
  async run(ctx, { flags, args }) {
    const client = await ctx.client();
    return inspectEach(ctx, args, (name) => inspect(client, name), flags.format);
  },
});
