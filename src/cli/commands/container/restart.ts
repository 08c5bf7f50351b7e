import { restart } from "../../../api/client/containers.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { errorLine } from "./_shared.js";
import { stopTimeout } from "./stop.js";

const FLAGS = defineFlags([
  { name: "signal", short: "s", type: "string", description: "Signal to send to the container" },
  {
    name: "time",
    type: "int",
    description: "Seconds to wait before killing the container (deprecated: use --timeout)",
    hidden: true,
  },
  { name: "timeout", short: "t", type: "int", description: "Seconds to wait before killing the container" },
]);

export const restartCommand = defineCommand({
  path: "container restart",
  aliases: ["restart"],
  usage: "[OPTIONS] CONTAINER [CONTAINER...]",
  description: "Restart one or more containers",
  flags: FLAGS,
  args: { min: 1 },
  async run(ctx, { flags, args, changed }) {
    if (changed.has("time") && changed.has("timeout")) {
      ctx.stderr.write("conflicting options: cannot specify both --timeout and --time\n");
      return 1;
    }
    const client = await ctx.client();
    const timeout = stopTimeout(changed, flags);
    const errors: string[] = [];
    // One after another, as docker restarts them.
    for (const name of args) {
      try {
        await restart(client, name, { timeout, signal: flags.signal });
        ctx.stdout.write(`${name}\n`);
      } catch (err) {
        errors.push(errorLine(err));
      }
    }
    if (errors.length > 0) ctx.stderr.write(`${errors.join("\n")}\n`);
    return errors.length > 0 ? 1 : 0;
  },
});
