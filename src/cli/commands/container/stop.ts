import { stop } from "../../../api/client/containers.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { forEachContainer } from "./_shared.js";

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

/** The --timeout value: undefined unless given (the container's own StopTimeout applies). */
export function stopTimeout(changed: ReadonlySet<string>, flags: { time: number; timeout: number }) {
  if (changed.has("timeout")) return flags.timeout;
  return changed.has("time") ? flags.time : undefined;
}

export const stopCommand = defineCommand({
  path: "container stop",
  aliases: ["stop"],
  usage: "[OPTIONS] CONTAINER [CONTAINER...]",
  description: "Stop one or more running containers",
  flags: FLAGS,
  args: { min: 1 },
  async run(ctx, { flags, args, changed }) {
    if (changed.has("time") && changed.has("timeout")) {
      ctx.stderr.write("conflicting options: cannot specify both --timeout and --time\n");
      return 1;
    }
    const client = await ctx.client();
    const timeout = stopTimeout(changed, flags);
    return forEachContainer(ctx, args, (id) => stop(client, id, { timeout, signal: flags.signal }));
  },
});
