import { start } from "../../../api/client/containers.js";
import { type CliContext, defineCommand } from "../../command.js";
import { parseContainerOptions } from "../../container-options.js";
import { defineFlags } from "../../flags.js";
import { startAttached } from "./_attached.js";
import { CONTAINER_FLAGS } from "./_container-flags.js";
import { createContainer, processEnv } from "./_create.js";
import { errorLine, optionsFailure, withHelp } from "./_shared.js";

const FLAGS = defineFlags([
  ...CONTAINER_FLAGS,
  {
    name: "detach",
    short: "d",
    type: "bool",
    description: "Run container in background and print container ID",
  },
  { name: "detach-keys", type: "string", description: "Override the key sequence for detaching a container" },
  { name: "sig-proxy", type: "bool", default: true, description: "Proxy received signals to the process" },
]);

/**
 * docker's exit code for a failure before the container ran: 127 when the command is not found,
 * 126 when it cannot be invoked, else 125; the message gets the "--help" hint.
 */
export function startFailure(error: unknown): { code: number; message: string } {
  const message = errorLine(error);
  if (
    /executable file not found|no such file or directory|system cannot find the file specified/.test(message)
  ) {
    return { code: 127, message };
  }
  if (/permission denied|is a directory/.test(message)) return { code: 126, message };
  return { code: 125, message };
}

function runFailure(ctx: CliContext, error: unknown): number {
  const failure = startFailure(error);
  withHelp(ctx, "run", failure.message);
  return failure.code;
}

export const runCommand = defineCommand({
  path: "container run",
  aliases: ["run"],
  usage: "[OPTIONS] IMAGE [COMMAND] [ARG...]",
  description: "Create and run a new container from an image",
  flags: FLAGS,
  interspersed: false,
  args: { min: 1 },
  async run(ctx, parsed): Promise<number> {
    let opts: ReturnType<typeof parseContainerOptions>;
    try {
      opts = parseContainerOptions(parsed, processEnv());
    } catch (err) {
      return optionsFailure(ctx, runCommand, "run", err);
    }
    const f = parsed.flags;
    const config = opts.config;
    if (f.detach) {
      if (f.attach.length > 0) {
        ctx.stderr.write("conflicting options: cannot specify both --attach and --detach\n");
        return 1;
      }
      Object.assign(config, {
        AttachStdin: false,
        AttachStdout: false,
        AttachStderr: false,
        StdinOnce: false,
      });
    } else if (config.AttachStdin && config.Tty && !ctx.stdin.isTTY) {
      ctx.stderr.write("the input device is not a TTY\n");
      return 1;
    }
    if (config.Tty && ctx.stdout.isTTY && config.HostConfig) {
      Object.assign(config.HostConfig, { ConsoleSize: [ctx.stdout.rows, ctx.stdout.columns] });
    }
    const client = await ctx.client();
    let id: string;
    try {
      id = await createContainer(ctx, client, opts);
    } catch (err) {
      return runFailure(ctx, err);
    }
    const attach = config.AttachStdin || config.AttachStdout || config.AttachStderr;
    if (!attach) {
      ctx.stdout.write(`${id}\n`);
      try {
        await start(client, id);
      } catch (err) {
        return runFailure(ctx, err);
      }
      return 0;
    }
    const result = await startAttached(ctx, client, id, {
      tty: config.Tty ?? false,
      stdin: config.AttachStdin ?? false,
      stdout: config.AttachStdout ?? false,
      stderr: config.AttachStderr ?? false,
      detachKeys: f["detach-keys"],
      autoRemove: config.HostConfig?.AutoRemove ?? false,
      sigProxy: f["sig-proxy"],
    });
    switch (result.kind) {
      case "exited":
        return result.code;
      case "detached":
        return 0;
      case "start-failed":
        return runFailure(ctx, result.error);
      case "attach-failed":
        ctx.stderr.write(`${errorLine(result.error)}\n`);
        return 1;
    }
  },
});
