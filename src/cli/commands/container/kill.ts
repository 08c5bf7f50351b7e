import { kill } from "../../../api/client/containers.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { forEachContainer } from "./_shared.js";

const FLAGS = defineFlags([
  { name: "signal", short: "s", type: "string", description: "Signal to send to the container" },
]);

export const killCommand = defineCommand({
  path: "container kill",
  aliases: ["kill"],
  usage: "[OPTIONS] CONTAINER [CONTAINER...]",
  description: "Kill one or more running containers",
  flags: FLAGS,
  args: { min: 1 },
  async run(ctx, { flags, args }) {
    const client = await ctx.client();
    return forEachContainer(ctx, args, (id) => kill(client, id, flags.signal));
  },
});
