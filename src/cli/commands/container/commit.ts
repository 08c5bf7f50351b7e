import { commit } from "../../../api/client/containers.js";
import { parseReference, repositoryName } from "../../../oci/reference.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { errorLine } from "./_shared.js";

const FLAGS = defineFlags([
  {
    name: "author",
    short: "a",
    type: "string",
    description: 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")',
  },
  {
    name: "change",
    short: "c",
    type: "stringArray",
    valueName: "list",
    description: "Apply Dockerfile instruction to the created image",
  },
  { name: "message", short: "m", type: "string", description: "Commit message" },
  { name: "pause", short: "p", type: "bool", default: true, description: "Pause container during commit" },
]);

/** "repo[:tag]" as docker's client sends it to /commit: the full repository name and the tag apart. */
export function splitRepoTag(reference: string): { repo?: string; tag?: string } {
  if (reference === "") return {};
  const ref = parseReference(reference);
  if (ref.digest !== undefined) throw new Error("refusing to create a tag with a digest reference");
  return { repo: repositoryName(ref), tag: ref.tag };
}

export const commitCommand = defineCommand({
  path: "container commit",
  aliases: ["commit"],
  usage: "[OPTIONS] CONTAINER [REPOSITORY[:TAG]]",
  description: "Create a new image from a container's changes",
  flags: FLAGS,
  interspersed: false,
  args: { min: 1, max: 2 },
  async run(ctx, { flags, args }) {
    try {
      const { repo, tag } = splitRepoTag(args[1] ?? "");
      const { Id } = await commit(await ctx.client(), args[0]!, {
        repo,
        tag,
        comment: flags.message,
        author: flags.author,
        changes: flags.change,
        pause: flags.pause,
      });
      ctx.stdout.write(`${Id}\n`);
      return 0;
    } catch (err) {
      ctx.stderr.write(`${errorLine(err)}\n`);
      return 1;
    }
  },
});
