/**
 * `berth compose`: one command in the CLI's table whose run() reads Docker Compose's global options
 * (-f, -p, --env-file, --profile, --project-directory) and dispatches to the subcommand.
 */
import { ComposeError, EXIT } from "../../../compose/apply/context.js";
import { BerthError, errorMessage, isKind } from "../../../lib/errors.js";
import type { CliContext } from "../../command.js";
import { FlagError, type ParsedFlags, parseFlags, renderHelp, usageErrorText } from "../../flags.js";
import type { ComposeCommand } from "./_compose-command.js";
import { GLOBALS } from "./_globals.js";
import { ComposeSession } from "./_session.js";
import { composeBuild } from "./build.js";
import { composeConfig } from "./config.js";
import { composeDown } from "./down.js";
import { composeEvents } from "./events.js";
import { composeExec } from "./exec.js";
import { composeImages, composePort, composeTop } from "./inspect-views.js";
import {
  composeKill,
  composePause,
  composeRestart,
  composeRm,
  composeStart,
  composeStop,
  composeUnpause,
} from "./lifecycle.js";
import { composeLogs } from "./logs.js";
import { composeLs } from "./ls.js";
import { composePs } from "./ps.js";
import { composePull, composePush } from "./pull-push.js";
import { composeRun } from "./run.js";
import { composeUp } from "./up.js";

const SUBCOMMANDS: readonly ComposeCommand[] = [
  composeBuild,
  composeConfig,
  composeDown,
  composeEvents,
  composeExec,
  composeImages,
  composeKill,
  composeLogs,
  composeLs,
  composePause,
  composePort,
  composePs,
  composePull,
  composePush,
  composeRestart,
  composeRm,
  composeRun,
  composeStart,
  composeStop,
  composeTop,
  composeUnpause,
  composeUp,
] as unknown as readonly ComposeCommand[];

const DESCRIPTION = `Define and run multi-container applications

Commands:
${SUBCOMMANDS.map((c) => `  ${c.name.padEnd(12)}${c.description}`).join("\n")}

Run 'berth compose COMMAND --help' for more information on a command.`;

/** The compose command's run(), loaded only when `berth compose` is used (see entry.ts). */
export async function runCompose(
  ctx: CliContext,
  { flags, args, help }: ParsedFlags<typeof GLOBALS>,
): Promise<number> {
  if (help || args.length === 0) {
    ctx.stdout.write(
      renderHelp(
        { path: "berth compose", usage: "[OPTIONS] COMMAND", description: DESCRIPTION, flags: GLOBALS },
        ctx.columns,
      ),
    );
    return 0;
  }
  const [name, ...rest] = args as [string, ...string[]];
  const sub = SUBCOMMANDS.find((c) => c.name === name || c.aliases?.includes(name));
  if (!sub) {
    ctx.stderr.write(`unknown docker command: "compose ${name}"\nRun 'berth compose --help' for usage.\n`);
    return 1;
  }
  const usage = {
    path: `berth compose ${sub.name}`,
    usage: sub.usage,
    description: sub.description,
    flags: sub.flags,
  };
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags({ flags: sub.flags, interspersed: sub.interspersed ?? true }, rest);
  } catch (err) {
    if (err instanceof FlagError) {
      ctx.stderr.write(`${usageErrorText(err, usage)}\n`);
      return EXIT.syntax;
    }
    throw err;
  }
  if (parsed.help) {
    ctx.stdout.write(renderHelp(usage, ctx.columns));
    return 0;
  }
  const { min = 0, max = Number.POSITIVE_INFINITY } = sub.args ?? {};
  if (parsed.args.length < min || parsed.args.length > max) {
    ctx.stderr.write(
      `"berth compose ${sub.name}" requires ${min === max ? "exactly" : parsed.args.length < min ? "at least" : "at most"} ${parsed.args.length < min ? min : max} argument(s).\nUsage:  berth compose ${sub.name} ${sub.usage}\n`,
    );
    return EXIT.syntax;
  }
  const env = process.env;
  const session = new ComposeSession(ctx, {
    files: flags.file,
    projectName: flags["project-name"] || env.COMPOSE_PROJECT_NAME || "",
    envFiles: flags["env-file"],
    profiles: flags.profile,
    projectDirectory: flags["project-directory"],
  });
  try {
    return await sub.run(ctx, session, parsed as never);
  } catch (err) {
    // Docker Compose prints errors plainly, without "Error response from daemon", and exits 1.
    if (isKind(err, "canceled")) return 130;
    ctx.stderr.write(
      `${err instanceof BerthError || err instanceof Error ? errorMessage(err) : String(err)}\n`,
    );
    return err instanceof ComposeError ? err.exitCode : err instanceof FlagError ? EXIT.syntax : 1;
  }
}
