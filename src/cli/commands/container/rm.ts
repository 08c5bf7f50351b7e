import { remove } from "../../../api/client/containers.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { forEachContainer, isNotFound } from "./_shared.js";

const FLAGS = defineFlags([
  {
    name: "force",
    short: "f",
    type: "bool",
    description: "Force the removal of a running container (uses SIGKILL)",
  },
  { name: "link", short: "l", type: "bool", description: "Remove the specified link" },
  {
    name: "volumes",
    short: "v",
    type: "bool",
    description: "Remove anonymous volumes associated with the container",
  },
]);

export const rmCommand = defineCommand({
  path: "container rm",
  aliases: ["container remove", "rm"],
  usage: "[OPTIONS] CONTAINER [CONTAINER...]",
  description: "Remove one or more containers",
  flags: FLAGS,
  args: { min: 1 },
  async run(ctx, { flags, args }) {
    const client = await ctx.client();
    return forEachContainer(
      ctx,
      args,
      async (name) => {
        const id = name.replace(/^\/+|\/+$/g, "");
        if (id === "") throw new Error("container name cannot be empty");
        await remove(client, id, { force: flags.force, volumes: flags.volumes, link: flags.link });
      },
      // With --force a missing container is reported but is not a failure.
      { quietErrors: (err) => flags.force && isNotFound(err) },
    );
  },
});
