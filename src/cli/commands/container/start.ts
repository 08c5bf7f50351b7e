import { inspect, start } from "../../../api/client/containers.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { startAttached } from "./_attached.js";
import { errorLine } from "./_shared.js";

const FLAGS = defineFlags([
  { name: "attach", short: "a", type: "bool", description: "Attach STDOUT/STDERR and forward signals" },
  { name: "checkpoint", type: "string", description: "Restore from this checkpoint", hidden: true },
  {
    name: "checkpoint-dir",
    type: "string",
    description: "Use a custom checkpoint storage directory",
    hidden: true,
  },
  { name: "detach-keys", type: "string", description: "Override the key sequence for detaching a container" },
  { name: "interactive", short: "i", type: "bool", description: "Attach container's STDIN" },
]);

export const startCommand = defineCommand({
  path: "container start",
  aliases: ["start"],
  usage: "[OPTIONS] CONTAINER [CONTAINER...]",
  description: "Start one or more stopped containers",
  flags: FLAGS,
  args: { min: 1 },
  async run(ctx, { flags, args }) {
    const client = await ctx.client();
    if (flags.checkpoint !== "") {
      ctx.stderr.write("checkpoints are not supported\n");
      return 1;
    }
    if (!flags.attach && !flags.interactive) {
      const failed: string[] = [];
      for (const name of args) {
        try {
          await start(client, name);
          ctx.stdout.write(`${name}\n`);
        } catch (err) {
          ctx.stderr.write(`${errorLine(err)}\n`);
          failed.push(name);
        }
      }
      if (failed.length === 0) return 0;
      ctx.stderr.write(`Error: failed to start containers: ${failed.join(", ")}\n`);
      return 1;
    }
    if (args.length > 1) {
      ctx.stderr.write("you cannot start and attach multiple containers at once\n");
      return 1;
    }
    let c: Awaited<ReturnType<typeof inspect>>;
    try {
      c = await inspect(client, args[0]!);
    } catch (err) {
      ctx.stderr.write(`${errorLine(err)}\n`);
      return 1;
    }
    const tty = c.Config.Tty ?? false;
    const result = await startAttached(ctx, client, c.Id, {
      tty,
      stdin: flags.interactive && (c.Config.OpenStdin ?? false),
      stdout: true,
      stderr: true,
      detachKeys: flags["detach-keys"],
      autoRemove: c.HostConfig.AutoRemove ?? false,
      sigProxy: !tty,
    });
    if (result.kind === "exited") return result.code;
    if (result.kind === "detached") return 0;
    ctx.stderr.write(`${errorLine(result.error)}\n`);
    return 1;
  },
});
