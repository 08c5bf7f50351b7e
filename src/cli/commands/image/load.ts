import { createReadStream } from "node:fs";
import { throwIfStreamError } from "../../../api/client/client.js";
import { load } from "../../../api/client/images.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";

const FLAGS = defineFlags([
  { name: "input", short: "i", type: "string", description: "Read from tar archive file, instead of STDIN" },
  { name: "quiet", short: "q", type: "bool", description: "Suppress the load output" },
  { name: "platform", type: "stringArray", description: "Load only the given platforms", hidden: true },
]);

export const imageLoadCommand = defineCommand({
  path: "image load",
  aliases: ["load"],
  usage: "[OPTIONS]",
  description: "Load an image from a tar archive or STDIN",
  flags: FLAGS,
  args: { max: 0 },
  async run(ctx, { flags }) {
    if (!flags.input && ctx.stdin.isTTY) {
      ctx.stderr.write("requested load from stdin, but stdin is empty\n");
      return 1;
    }
    const input = flags.input ? createReadStream(flags.input) : ctx.stdin;
    for await (const msg of load(await ctx.client(), input, { quiet: flags.quiet })) {
      throwIfStreamError(msg);
      if (msg.stream && !flags.quiet) ctx.stdout.write(msg.stream);
    }
    return 0;
  },
});
