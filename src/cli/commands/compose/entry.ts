/**
 * `berth compose` in the CLI's table. Compose (its YAML parser, loader and planner) is half the CLI's
 * code, so it is imported only when the command runs: other commands start without parsing it.
 */
import { defineCommand } from "../../command.js";
import { GLOBALS } from "./_globals.js";

export const composeCommand = defineCommand({
  path: "compose",
  usage: "[OPTIONS] COMMAND",
  description: "Define and run multi-container applications",
  flags: GLOBALS,
  interspersed: false,
  async run(ctx, parsed) {
    const { runCompose } = await import("./index.js");
    return runCompose(ctx, parsed);
  },
});
