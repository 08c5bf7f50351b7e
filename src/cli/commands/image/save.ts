import { createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { save } from "../../../api/client/images.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";

const FLAGS = defineFlags([
  { name: "output", short: "o", type: "string", description: "Write to a file, instead of STDOUT" },
  { name: "platform", type: "stringArray", description: "Save only the given platforms", hidden: true },
]);

export const imageSaveCommand = defineCommand({
  path: "image save",
  aliases: ["save"],
  usage: "[OPTIONS] IMAGE [IMAGE...]",
  description: "Save one or more images to a tar archive (streamed to STDOUT by default)",
  flags: FLAGS,
  args: { min: 1 },
  async run(ctx, { flags, args }) {
    if (!flags.output && ctx.stdout.isTTY) {
      ctx.stderr.write("cowardly refusing to save to a terminal. Use the -o flag or redirect\n");
      return 1;
    }
    const res = await save(await ctx.client(), args);
    // Write to a temp name and rename, so a failed save never leaves a truncated archive behind.
    if (flags.output) {
      const { rename, rm } = await import("node:fs/promises");
      const tmp = `${flags.output}.berth-tmp`;
      try {
        await pipeline(res, createWriteStream(tmp));
        await rename(tmp, flags.output);
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
    } else {
      await pipeline(res, ctx.stdout);
    }
    return 0;
  },
});
