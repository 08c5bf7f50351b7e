import { rename } from "../../../api/client/containers.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { errorLine } from "./_shared.js";

export const renameCommand = defineCommand({
  path: "container rename",
  aliases: ["rename"],
  usage: "CONTAINER NEW_NAME",
  description: "Rename a container",
  flags: defineFlags([]),
  args: { min: 2, max: 2 },
  async run(ctx, { args }) {
    const oldName = args[0]!.trim();
    const newName = args[1]!.trim();
    if (oldName === "" || newName === "") {
      ctx.stderr.write("Error: Neither old nor new names may be empty\n");
      return 1;
    }
    try {
      await rename(await ctx.client(), oldName, newName);
      return 0;
    } catch (err) {
      ctx.stderr.write(`${errorLine(err)}\nError: failed to rename container named ${oldName}\n`);
      return 1;
    }
  },
});
