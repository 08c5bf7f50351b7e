import { remove } from "../../../api/client/images.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";

const FLAGS = defineFlags([
  { name: "force", short: "f", type: "bool", description: "Force removal of the image" },
  { name: "no-prune", type: "bool", description: "Do not delete untagged parents" },
  { name: "platform", type: "stringArray", description: "Remove only the given platforms", hidden: true },
]);

export const imageRmCommand = defineCommand({
  path: "image rm",
  aliases: ["rmi", "image remove"],
  usage: "[OPTIONS] IMAGE [IMAGE...]",
  description: "Remove one or more images",
  flags: FLAGS,
  args: { min: 1 },
  async run(ctx, { flags, args }) {
    const client = await ctx.client();
    let code = 0;
    for (const name of args) {
      try {
        for (const item of await remove(client, name, { force: flags.force, noprune: flags["no-prune"] })) {
          ctx.stdout.write(
            "Untagged" in item ? `Untagged: ${item.Untagged}\n` : `Deleted: ${item.Deleted}\n`,
          );
        }
      } catch (err) {
        ctx.stderr.write(`Error response from daemon: ${(err as Error).message}\n`);
        code = 1;
      }
    }
    return code;
  },
});
