import type { ApiClient } from "../../../api/client/client.js";
import { version } from "../../../api/client/system.js";
import type { SystemVersion } from "../../../api/types/system.js";
import { API_VERSION_CURRENT } from "../../../api/types/version.js";
import { errorMessage } from "../../../lib/errors.js";
import type { CliContext } from "../../command.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { compileTemplate, type Template } from "../../formatter/go-template.js";
import { tabwrite } from "../../formatter/table.js";
import { clientVersion } from "./_client-version.js";
import { FORMAT_HELP } from "./_format-help.js";
import { prettyVersion, serverVersionView, type VersionView } from "./_version-view.js";

const FLAGS = defineFlags([{ name: "format", short: "f", type: "string", description: FORMAT_HELP }]);

/** Negotiates when it can; like docker, falls back to the default version when the daemon is away. */
async function connect(
  ctx: CliContext,
): Promise<{ client?: ApiClient; apiVersion: string; error?: unknown }> {
  try {
    const client = await ctx.client();
    return { client, apiVersion: await client.apiVersion() };
  } catch (error) {
    return { apiVersion: API_VERSION_CURRENT, error };
  }
}

export const versionCommand = defineCommand({
  path: "version",
  usage: "[OPTIONS]",
  description: "Show the berth version information",
  flags: FLAGS,
  args: { max: 0 },
  async run(ctx, { flags }) {
    let template: Template | undefined;
    if (flags.format !== "") {
      try {
        template = compileTemplate(flags.format === "json" ? "{{json .}}" : flags.format, {
          name: "version",
        });
      } catch (err) {
        ctx.stderr.write(`template parsing error: ${errorMessage(err)}\n`);
        return 64;
      }
    }
    const conn = await connect(ctx);
    let serverError = conn.error;
    let server: SystemVersion | undefined;
    if (conn.client) {
      try {
        server = await version(conn.client);
      } catch (err) {
        serverError = err;
      }
    }
    const view: VersionView = {
      Client: clientVersion(conn.apiVersion),
      Server: server ? serverVersionView(server) : null,
    };
    let templateError: unknown;
    if (template) {
      let out = "";
      try {
        out = template.execute(view);
      } catch (err) {
        templateError = err;
      }
      ctx.stdout.write(tabwrite(`${out}\n`, { minWidth: 20, tabWidth: 1, padding: 1, padChar: " " }));
    } else {
      ctx.stdout.write(prettyVersion(view));
    }
    // The daemon's error wins over the template's (a template reading .Server fails without one).
    if (serverError !== undefined) throw serverError;
    if (templateError !== undefined) {
      ctx.stderr.write(`${errorMessage(templateError)}\n`);
      return 1;
    }
    return 0;
  },
});
