import { createReadStream } from "node:fs";
import { throwIfStreamError } from "../../../api/client/client.js";
import { importImage } from "../../../api/client/images.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";

const FLAGS = defineFlags([
  {
    name: "change",
    short: "c",
    type: "stringArray",
    description: "Apply Dockerfile instruction to the created image",
  },
  { name: "message", short: "m", type: "string", description: "Set commit message for imported image" },
  { name: "platform", type: "string", description: "Set platform if server is multi-platform capable" },
]);

export const imageImportCommand = defineCommand({
  path: "image import",
  aliases: ["import"],
  usage: "[OPTIONS] file|URL|- [REPOSITORY[:TAG]]",
  description: "Import the contents from a tarball to create a filesystem image",
  flags: FLAGS,
  args: { min: 1, max: 2 },
  async run(ctx, { flags, args }) {
    const source = args[0]!;
    if (/^https?:\/\//.test(source)) {
      ctx.stderr.write("berth import reads a file or STDIN (-); download the tarball first\n");
      return 1;
    }
    const input = source === "-" ? ctx.stdin : createReadStream(source);
    const stream = importImage(await ctx.client(), input, {
      repo: args[1],
      changes: flags.change,
      message: flags.message || undefined,
      platform: flags.platform || undefined,
    });
    for await (const msg of stream) {
      throwIfStreamError(msg);
      if (msg.status) ctx.stdout.write(`${msg.status}\n`);
    }
    return 0;
  },
});
