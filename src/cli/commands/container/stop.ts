import { stop } from "../../../api/client/containers.js";
import { type CliContext, defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { forEachContainer } from "./_shared.js";

/** stop and restart take the same flags. */
export const STOP_FLAGS = defineFlags([
  { name: "signal", short: "s", type: "string", description: "Signal to send to the container" },
  {
    name: "time",
    type: "int",
    description: "Seconds to wait before killing the container (deprecated: use --timeout)",
    hidden: true,
  },
  { name: "timeout", short: "t", type: "int", description: "Seconds to wait before killing the container" },
]);

/** --time (deprecated) and --timeout together: docker's message; true when refused. */
export function conflictingTimeFlags(ctx: CliContext, changed: ReadonlySet<string>): boolean {
  if (!(changed.has("time") && changed.has("timeout"))) return false;
  ctx.stderr.write("conflicting options: cannot specify both --timeout and --time\n");
  return true;
}

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
  flags: STOP_FLAGS,
  args: { min: 1 },
  async run(ctx, { flags, args, changed }) {
    if (conflictingTimeFlags(ctx, changed)) return 1;
    const client = await ctx.client();
    const timeout = stopTimeout(changed, flags);
    return forEachContainer(ctx, args, (id) => stop(client, id, { timeout, signal: flags.signal }));
  },
});
