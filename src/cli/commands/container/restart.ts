import { restart } from "../../../api/client/containers.js";
import { defineCommand } from "../../command.js";
import { forEachContainer } from "./_shared.js";
import { conflictingTimeFlags, STOP_FLAGS, stopTimeout } from "./stop.js";

export const restartCommand = defineCommand({
  path: "container restart",
  aliases: ["restart"],
  usage: "[OPTIONS] CONTAINER [CONTAINER...]",
  description: "Restart one or more containers",
  flags: STOP_FLAGS,
  args: { min: 1 },
  async run(ctx, { flags, args, changed }) {
    if (conflictingTimeFlags(ctx, changed)) return 1;
    const client = await ctx.client();
    const timeout = stopTimeout(changed, flags);
    // One after another, as docker restarts them.
    return forEachContainer(ctx, args, (name) => restart(client, name, { timeout, signal: flags.signal }), {
      oneAtATime: true,
    });
  },
});
