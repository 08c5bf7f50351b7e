import { defineCommand } from "../../command.js";
import { parseContainerOptions } from "../../container-options.js";
import { defineFlags } from "../../flags.js";
import { CREATE_CONTAINER_FLAGS } from "./_container-flags.js";
import { createContainer, processEnv } from "./_create.js";
import { errorLine, optionsFailure } from "./_shared.js";

const FLAGS = defineFlags([...CREATE_CONTAINER_FLAGS]);

export const createCommand = defineCommand({
  path: "container create",
  aliases: ["create"],
  usage: "[OPTIONS] IMAGE [COMMAND] [ARG...]",
  description: "Create a new container",
  flags: FLAGS,
  interspersed: false,
  args: { min: 1 },
  async run(ctx, parsed): Promise<number> {
    let opts: ReturnType<typeof parseContainerOptions>;
    try {
      opts = parseContainerOptions(parsed, processEnv());
    } catch (err) {
      return optionsFailure(ctx, createCommand, "create", err);
    }
    const { config } = opts;
    if (config.Tty && ctx.stdout.isTTY && config.HostConfig) {
      Object.assign(config.HostConfig, { ConsoleSize: [ctx.stdout.rows, ctx.stdout.columns] });
    }
    try {
      ctx.stdout.write(`${await createContainer(ctx, await ctx.client(), opts)}\n`);
      return 0;
    } catch (err) {
      ctx.stderr.write(`${errorLine(err)}\n`);
      return 1;
    }
  },
});
