import { tag } from "../../../api/client/images.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";

export const imageTagCommand = defineCommand({
  path: "image tag",
  aliases: ["tag"],
  usage: "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
  description: "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
  flags: defineFlags([]),
  args: { min: 2, max: 2 },
  async run(ctx, { args }) {
    await tag(await ctx.client(), args[0]!, args[1]!);
    return 0;
  },
});
