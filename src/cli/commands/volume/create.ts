import { create } from "../../../api/client/volumes.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { keyValues } from "./_shared.js";

const FLAGS = defineFlags([
  { name: "driver", short: "d", type: "string", default: "local", description: "Specify volume driver name" },
  { name: "label", type: "stringArray", valueName: "list", description: "Set metadata for a volume" },
  { name: "name", type: "string", description: "Specify volume name", hidden: true },
  {
    name: "opt",
    short: "o",
    type: "stringArray",
    valueName: "map",
    description: "Set driver specific options",
  },
]);

export const volumeCreateCommand = defineCommand({
  path: "volume create",
  usage: "[OPTIONS] [VOLUME]",
  description: "Create a volume",
  flags: FLAGS,
  args: { max: 1 },
  async run(ctx, { flags, args }) {
    if (args[0] !== undefined && flags.name !== "" && args[0] !== flags.name) {
      ctx.stderr.write("Conflicting options: either specify --name or provide positional arg, not both\n");
      return 1;
    }
    const vol = await create(await ctx.client(), {
      Name: args[0] ?? flags.name,
      Driver: flags.driver,
      DriverOpts: keyValues(flags.opt),
      Labels: keyValues(flags.label),
    });
    ctx.stdout.write(`${vol.Name}\n`);
    return 0;
  },
});
