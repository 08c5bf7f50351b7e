import { inspect } from "../../../api/client/containers.js";
import * as execApi from "../../../api/client/exec.js";
import type { ExecConfig } from "../../../api/types/containers.js";
import { runSession } from "../../attach/session.js";
import { monitorTtySize, terminalSize } from "../../attach/tty-size.js";
import { defineCommand } from "../../command.js";
import { defineFlags, FlagError, invalidFlagValue } from "../../flags.js";
import { processEnv } from "./_create.js";
import { parseEnvEntry, parseKeyValueFile } from "./_opts-values.js";
import { errorLine, usageError } from "./_shared.js";

const FLAGS = defineFlags([
  { name: "detach", short: "d", type: "bool", description: "Detached mode: run command in the background" },
  { name: "detach-keys", type: "string", description: "Override the key sequence for detaching a container" },
  {
    name: "env",
    short: "e",
    type: "stringArray",
    valueName: "list",
    description: "Set environment variables",
  },
  {
    name: "env-file",
    type: "stringArray",
    valueName: "list",
    description: "Read in a file of environment variables",
  },
  { name: "interactive", short: "i", type: "bool", description: "Keep STDIN open even if not attached" },
  { name: "privileged", type: "bool", description: "Give extended privileges to the command" },
  { name: "tty", short: "t", type: "bool", description: "Allocate a pseudo-TTY" },
  {
    name: "user",
    short: "u",
    type: "string",
    description: 'Username or UID (format: "<name|uid>[:<group|gid>]")',
  },
  { name: "workdir", short: "w", type: "string", description: "Working directory inside the container" },
]);

export const execCommand = defineCommand({
  path: "container exec",
  aliases: ["exec"],
  usage: "[OPTIONS] CONTAINER COMMAND [ARG...]",
  description: "Execute a command in a running container",
  flags: FLAGS,
  interspersed: false,
  args: { min: 2 },
  async run(ctx, { flags, args }): Promise<number> {
    const env = processEnv();
    let envList: string[];
    try {
      const cli = flags.env.map((e) => {
        try {
          return parseEnvEntry(e, env.getenv);
        } catch (err) {
          throw invalidFlagValue(FLAGS[2], e, err);
        }
      });
      const files = flags["env-file"].flatMap((p) => parseKeyValueFile(p, env.readFile(p), env.getenv));
      envList = [...files, ...cli.filter((e): e is string => e !== undefined)];
    } catch (err) {
      if (err instanceof FlagError) return usageError(ctx, execCommand, err);
      ctx.stderr.write(`${errorLine(err)}\n`);
      return 1;
    }
    const [container, ...cmd] = args as [string, ...string[]];
    const tty = flags.tty;
    const attached = !flags.detach;
    const config: ExecConfig = {
      User: flags.user,
      Privileged: flags.privileged,
      Tty: tty,
      AttachStdin: attached && flags.interactive,
      AttachStdout: attached,
      AttachStderr: attached,
      DetachKeys: flags["detach-keys"],
      Env: envList,
      WorkingDir: flags.workdir,
      Cmd: cmd,
    };
    const size = tty ? terminalSize(ctx.stdout) : undefined;
    if (size) config.ConsoleSize = [size.rows, size.cols];
    const client = await ctx.client();
    try {
      await inspect(client, container);
      if (attached && config.AttachStdin && tty && !ctx.stdin.isTTY) {
        ctx.stderr.write("the input device is not a TTY\n");
        return 1;
      }
      const { Id } = await execApi.create(client, container, {
        ...config,
        Detach: flags.detach,
      } as ExecConfig);
      const startOpts = { tty, consoleSize: config.ConsoleSize ?? undefined };
      if (flags.detach) {
        await execApi.startDetached(client, Id, startOpts);
        return 0;
      }
      const conn = await execApi.start(client, Id, startOpts);
      const stopResize =
        tty && ctx.stdin.isTTY ? monitorTtySize(ctx.stdout, (s) => execApi.resize(client, Id, s)) : () => {};
      try {
        const { detached } = await runSession(conn, {
          tty,
          stdin: config.AttachStdin ? ctx.stdin : undefined,
          stdout: ctx.stdout,
          stderr: tty ? ctx.stdout : ctx.stderr,
          detachKeys: flags["detach-keys"],
          warn: (m) => ctx.stderr.write(`WARNING: ${m}\n`),
        });
        if (detached) return 0;
      } finally {
        stopResize();
      }
      const result = await execApi.inspect(client, Id);
      return result.ExitCode ?? 0;
    } catch (err) {
      ctx.stderr.write(`${errorLine(err)}\n`);
      return 1;
    }
  },
});
