import { promises as fs } from "node:fs";
import path from "node:path";
import { build } from "../../../api/client/build.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { contextFromDir, contextFromStdin } from "./build-context.js";

const FLAGS = defineFlags([
  {
    name: "tag",
    short: "t",
    type: "stringArray",
    description: 'Name and optionally a tag in the "name:tag" format',
  },
  {
    name: "file",
    short: "f",
    type: "string",
    description: 'Name of the Dockerfile (default: "PATH/Dockerfile")',
  },
  { name: "build-arg", type: "stringArray", description: "Set build-time variables" },
  { name: "label", type: "stringArray", description: "Set metadata for an image" },
  { name: "target", type: "string", description: "Set the target build stage to build" },
  { name: "no-cache", type: "bool", description: "Do not use cache when building the image" },
  {
    name: "quiet",
    short: "q",
    type: "bool",
    description: "Suppress the build output and print image ID on success",
  },
  { name: "iidfile", type: "string", description: "Write the image ID to the file" },
]);

function keyValues(list: readonly string[], fromEnv: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list) {
    const eq = kv.indexOf("=");
    if (eq >= 0) out[kv.slice(0, eq)] = kv.slice(eq + 1);
    else if (!fromEnv) out[kv] = "";
    else if (process.env[kv] !== undefined) out[kv] = process.env[kv]!;
  }
  return out;
}

export const imageBuildCommand = defineCommand({
  path: "image build",
  aliases: ["build"],
  usage: "[OPTIONS] PATH | -",
  description: "Build an image from a Dockerfile",
  flags: FLAGS,
  args: { min: 1, max: 1 },
  async run(ctx, { flags, args }) {
    const source = args[0]!;
    let dockerfile: string | undefined;
    if (flags.file && source !== "-") {
      const rel = path.relative(path.resolve(source), path.resolve(flags.file));
      if (rel.startsWith("..") || path.isAbsolute(rel)) {
        ctx.stderr.write("berth build: the Dockerfile (-f) must be inside the build context\n");
        return 1;
      }
      dockerfile = rel.split(path.sep).join("/");
    }
    const context = source === "-" ? await contextFromStdin(ctx.stdin) : contextFromDir(source);
    let id = "";
    for await (const msg of build(await ctx.client(), context, {
      tags: flags.tag,
      ...(dockerfile ? { dockerfile } : {}),
      buildArgs: keyValues(flags["build-arg"], true),
      labels: keyValues(flags.label, false),
      ...(flags.target ? { target: flags.target } : {}),
      noCache: flags["no-cache"],
      quiet: flags.quiet,
    })) {
      if (msg.errorDetail || msg.error) {
        ctx.stderr.write(`${msg.errorDetail?.message ?? msg.error}\n`);
        return msg.errorDetail?.code || 1;
      }
      if (typeof msg.aux?.ID === "string") id = msg.aux.ID;
      else if (msg.stream && !flags.quiet) ctx.stdout.write(msg.stream);
    }
    if (flags.quiet) ctx.stdout.write(`${id}\n`);
    if (flags.iidfile) await fs.writeFile(flags.iidfile, id);
    return 0;
  },
});
