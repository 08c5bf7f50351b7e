import { writeFileSync } from "node:fs";
import {
  renderConfig,
  renderImages,
  renderProfiles,
  renderServices,
  renderVolumes,
} from "../../../compose/loader/index.js";
import { defineFlags, FlagError } from "../../flags.js";
import { defineComposeCommand } from "./_compose-command.js";

/** `compose config`: the resolved model (the loader renders it), or one of its lists. */
export const composeConfig = defineComposeCommand({
  name: "config",
  usage: "[OPTIONS] [SERVICE...]",
  description: "Parse, resolve and render compose file in canonical format",
  flags: defineFlags([
    {
      name: "format",
      type: "string",
      default: "yaml",
      description: "Format the output. Values: [yaml | json]",
    },
    { name: "images", type: "bool", description: "Print the image names, one per line." },
    { name: "output", short: "o", type: "string", description: "Save to file (default to stdout)" },
    { name: "profiles", type: "bool", description: "Print the profile names, one per line." },
    {
      name: "quiet",
      short: "q",
      type: "bool",
      description: "Only validate the configuration, don't print anything",
    },
    { name: "services", type: "bool", description: "Print the service names, one per line." },
    { name: "volumes", type: "bool", description: "Print the volume names, one per line." },
  ]),
  async run(ctx, session, { flags, args }) {
    if (flags.format !== "yaml" && flags.format !== "json")
      throw new FlagError("invalid-value", `unsupported format "${flags.format}": use yaml or json`);
    const loaded = await session.load(args);
    for (const w of loaded.meta.warnings) ctx.stderr.write(`WARN[0000] ${w}\n`);
    if (flags.quiet) return 0;
    const p = loaded.project;
    if (args.length) {
      for (const name of Object.keys(p.services)) if (!args.includes(name)) delete p.services[name];
    }
    const text = flags.services
      ? renderServices(p)
      : flags.volumes
        ? renderVolumes(p)
        : flags.profiles
          ? renderProfiles(loaded)
          : flags.images
            ? renderImages(p)
            : renderConfig(p, flags.format);
    if (flags.output) writeFileSync(flags.output, text);
    else ctx.stdout.write(text);
    return 0;
  },
});
