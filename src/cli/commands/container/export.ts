import { createWriteStream, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { exportContainer } from "../../../api/client/containers.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { errorLine } from "./_shared.js";

const FLAGS = defineFlags([
  { name: "output", short: "o", type: "string", description: "Write to a file, instead of STDOUT" },
]);

export const exportCommand = defineCommand({
  path: "container export",
  aliases: ["export"],
  usage: "[OPTIONS] CONTAINER",
  description: "Export a container's filesystem as a tar archive",
  flags: FLAGS,
  args: { min: 1, max: 1 },
  async run(ctx, { flags, args }) {
    const output = flags.output;
    if (output === "" && ctx.stdout.isTTY) {
      ctx.stderr.write("cowardly refusing to save to a terminal. Use the -o flag or redirect\n");
      return 1;
    }
    // Written beside the target and renamed at the end, so a failed export leaves no partial file.
    const tmp = output === "" ? "" : join(dirname(output), `.${Date.now()}.berth-export.tmp`);
    try {
      const stream = await exportContainer(await ctx.client(), args[0]!);
      if (output === "") await pipeline(stream, ctx.stdout, { end: false });
      else {
        await pipeline(stream, createWriteStream(tmp, { mode: 0o600 }));
        renameSync(tmp, output);
      }
      return 0;
    } catch (err) {
      if (tmp !== "") rmSync(tmp, { force: true });
      ctx.stderr.write(`${errorLine(err)}\n`);
      return 1;
    }
  },
});
