import { pause, unpause } from "../../../api/client/containers.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { forEachContainer } from "./_shared.js";

export const pauseCommand = defineCommand({
  path: "container pause",
  aliases: ["pause"],
  usage: "CONTAINER [CONTAINER...]",
  description: "Pause all processes within one or more containers",
  flags: defineFlags([]),
  args: { min: 1 },
  async run(ctx, { args }) {
    const client = await ctx.client();
    return forEachContainer(ctx, args, (id) => pause(client, id));
  },
});

export const unpauseCommand = defineCommand({
  path: "container unpause",
  aliases: ["unpause"],
  usage: "CONTAINER [CONTAINER...]",
  description: "Unpause all processes within one or more containers",
  flags: defineFlags([]),
  args: { min: 1 },
  async run(ctx, { args }) {
    const client = await ctx.client();
    return forEachContainer(ctx, args, (id) => unpause(client, id));
  },
});
