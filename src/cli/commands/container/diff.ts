import { changes } from "../../../api/client/containers.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { errorLine } from "./_shared.js";

const KINDS = ["C", "A", "D"];

export const diffCommand = defineCommand({
  path: "container diff",
  aliases: ["diff"],
  usage: "CONTAINER",
  description: "Inspect changes to files or directories on a container's filesystem",
  flags: defineFlags([]),
  args: { min: 1, max: 1 },
  async run(ctx, { args }) {
    if (args[0] === "") {
      ctx.stderr.write("Container name cannot be empty\n");
      return 1;
    }
    try {
      for (const c of await changes(await ctx.client(), args[0]!)) {
        ctx.stdout.write(`${KINDS[c.Kind] ?? "?"} ${c.Path}\n`);
      }
      return 0;
    } catch (err) {
      ctx.stderr.write(`${errorLine(err)}\n`);
      return 1;
    }
  },
});
