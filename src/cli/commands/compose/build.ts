import { buildService } from "../../../compose/apply/images.js";
import { buildGraph } from "../../../compose/plan/graph.js";
import { BerthError } from "../../../lib/errors.js";
import { defineFlags } from "../../flags.js";
import { defineComposeCommand } from "./_compose-command.js";

export const composeBuild = defineComposeCommand({
  name: "build",
  usage: "[OPTIONS] [SERVICE...]",
  description: "Build or rebuild services",
  flags: defineFlags([
    { name: "no-cache", type: "bool", description: "Do not use cache when building the image" },
    { name: "pull", type: "bool", description: "Always attempt to pull a newer version of the image" },
    { name: "quiet", short: "q", type: "bool", description: "Don't print anything to STDOUT" },
  ]),
  async run(ctx, session, { flags, args }) {
    const c = await session.context();
    for (const s of args)
      if (!c.project.services[s]) throw new BerthError("invalid-argument", `no such service: ${s}`);
    const services = buildGraph(c.project).order.filter(
      (s) => c.project.services[s]!.build && (args.length === 0 || args.includes(s)),
    );
    const quiet = { ...c, buildOutput: flags.quiet ? undefined : (t: string) => ctx.stdout.write(t) };
    for (const s of services) await buildService(quiet, s, { noCache: flags["no-cache"], pull: flags.pull });
    return 0;
  },
});
