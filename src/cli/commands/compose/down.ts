import { down } from "../../../compose/apply/down.js";
import { defineFlags, FlagError } from "../../flags.js";
import { defineComposeCommand } from "./_compose-command.js";

const FLAGS = defineFlags([
  {
    name: "remove-orphans",
    type: "bool",
    description: "Remove containers for services not defined in the Compose file",
  },
  {
    name: "rmi",
    type: "string",
    description:
      'Remove images used by services. "local" remove only images that don\'t have a custom tag ("local"|"all")',
  },
  { name: "timeout", short: "t", type: "int", description: "Specify a shutdown timeout in seconds" },
  {
    name: "volumes",
    short: "v",
    type: "bool",
    description:
      'Remove named volumes declared in the "volumes" section of the Compose file and anonymous volumes attached to containers',
  },
]);

export const composeDown = defineComposeCommand({
  name: "down",
  usage: "[OPTIONS] [SERVICES]",
  description: "Stop and remove containers, networks",
  flags: FLAGS,
  async run(_ctx, session, { flags, changed }) {
    if (flags.rmi !== "" && flags.rmi !== "local" && flags.rmi !== "all")
      throw new FlagError("invalid-value", `invalid value for --rmi: "${flags.rmi}" (use "local" or "all")`);
    const c = await session.context({ labels: true });
    await down(c, {
      volumes: flags.volumes,
      rmi: flags.rmi === "" ? undefined : (flags.rmi as "local" | "all"),
      removeOrphans: flags["remove-orphans"],
      timeout: changed.has("timeout") ? flags.timeout : undefined,
    });
    return 0;
  },
});
