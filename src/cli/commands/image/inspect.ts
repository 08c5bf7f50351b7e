import { inspect } from "../../../api/client/images.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { renderInspect } from "./_shared.js";

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
