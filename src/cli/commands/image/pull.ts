import { pull } from "../../../api/client/registry.js";
import { formatReference, parseReference, repositoryName } from "../../../oci/reference.js";
import { defineCommand } from "../../command.js";
import { credentialsFor } from "../../credentials.js";
import { defineFlags } from "../../flags.js";
import { ProgressDisplay } from "../../progress-display.js";

const FLAGS = defineFlags([
  { name: "all-tags", short: "a", type: "bool", description: "Download all tagged images in the repository" },
  { name: "quiet", short: "q", type: "bool", description: "Suppress verbose output" },
  { name: "platform", type: "string", description: "Set platform if server is multi-platform capable" },
  { name: "disable-content-trust", type: "bool", description: "Skip image verification", hidden: true },
]);

export const imagePullCommand = defineCommand({
  path: "image pull",
  aliases: ["pull"],
  usage: "[OPTIONS] NAME[:TAG|@DIGEST]",
  description: "Download an image from a registry",
  flags: FLAGS,
  args: { min: 1, max: 1 },
  async run(ctx, { flags, args }) {
    const ref = parseReference(args[0]!);
    const all = flags["all-tags"];
    if (all && (ref.tag !== undefined || ref.digest !== undefined)) {
      ctx.stderr.write("tag can't be used with --all-tags/-a\n");
      return 125;
    }
    if (!all && ref.tag === undefined && ref.digest === undefined) {
      ref.tag = "latest";
      if (!flags.quiet) ctx.stdout.write("Using default tag: latest\n");
    }
    const display = new ProgressDisplay(ctx.stdout);
    const stream = pull(await ctx.client(), {
      fromImage: repositoryName(ref),
      tag: ref.digest ?? ref.tag ?? "",
      platform: flags.platform || undefined,
      auth: await credentialsFor(ref.domain),
    });
    for await (const m of stream) {
      if (flags.quiet) {
        if (m.error !== undefined || m.errorDetail !== undefined) display.show(m);
      } else display.show(m);
    }
    if (flags.quiet) ctx.stdout.write(`${formatReference(ref)}\n`);
    return 0;
  },
});
