import { info } from "../../../api/client/system.js";
import type { SystemInfo } from "../../../api/types/system.js";
import { errorMessage } from "../../../lib/errors.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { compileTemplate, type Template } from "../../formatter/go-template.js";
import { FORMAT_HELP } from "./_format-help.js";
import { clientInfo, infoView, prettyInfo } from "./_info-view.js";

const FLAGS = defineFlags([{ name: "format", short: "f", type: "string", description: FORMAT_HELP }]);

export const infoCommand = defineCommand({
  path: "system info",
  aliases: ["info"],
  usage: "[OPTIONS]",
  description: "Display system-wide information",
  flags: FLAGS,
  args: { max: 0 },
  async run(ctx, { flags }) {
    let template: Template | undefined;
    if (flags.format !== "") {
      try {
        template = compileTemplate(flags.format === "json" ? "{{json .}}" : flags.format);
      } catch (err) {
        ctx.stderr.write(`template parsing error: ${errorMessage(err)}\n`);
        return 64;
      }
    }
    let server: SystemInfo | undefined;
    let serverError: unknown;
    try {
      const client = await ctx.client();
      server = await info(client);
    } catch (err) {
      serverError = err;
    }
    // docker/cli's debug.IsEnabled(): -D sets DEBUG for the process.
    const client = clientInfo(Boolean(process.env.DEBUG));
    const view = infoView(server, client, serverError === undefined ? [] : [errorMessage(serverError)]);
    if (!template) {
      const pretty = prettyInfo(view, server);
      ctx.stdout.write(pretty.stdout);
      ctx.stderr.write(pretty.stderr);
      if (serverError !== undefined) throw serverError;
      return pretty.failed ? 1 : 0;
    }
    let out = "";
    let templateError: unknown;
    try {
      out = template.execute(view);
    } catch (err) {
      templateError = err;
    }
    ctx.stdout.write(`${out}\n`);
    if (serverError !== undefined) throw serverError;
    if (templateError !== undefined) {
      ctx.stderr.write(`${errorMessage(templateError)}\n`);
      return 1;
    }
    return 0;
  },
});
