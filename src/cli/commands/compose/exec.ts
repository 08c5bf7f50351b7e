import { nameOf, projectContainers } from "../../../compose/apply/project-containers.js";
import { L } from "../../../compose/plan/labels.js";
import { BerthError } from "../../../lib/errors.js";
import { defineFlags, parseFlags } from "../../flags.js";
import { execCommand } from "../container/exec.js";
import { defineComposeCommand } from "./_compose-command.js";

const FLAGS = defineFlags([
  { name: "detach", short: "d", type: "bool", description: "Detached mode: Run command in the background" },
  { name: "env", short: "e", type: "stringArray", description: "Set environment variables" },
  {
    name: "index",
    type: "int",
    default: 1,
    description: "Index of the container if service has multiple replicas",
  },
  {
    name: "no-TTY",
    short: "T",
    type: "bool",
    description: "Disable pseudo-TTY allocation. By default `docker compose exec` allocates a TTY.",
  },
  { name: "privileged", type: "bool", description: "Give extended privileges to the process" },
  { name: "user", short: "u", type: "string", description: "Run the command as this user" },
  { name: "workdir", short: "w", type: "string", description: "Path to workdir directory for this command" },
]);

/** `compose exec SERVICE CMD...`: the service's container found by label, then `berth exec` runs it. */
export const composeExec = defineComposeCommand({
  name: "exec",
  usage: "[OPTIONS] SERVICE COMMAND [ARGS...]",
  description: "Execute a command in a running container",
  flags: FLAGS,
  interspersed: false,
  args: { min: 2 },
  async run(ctx, session, { flags, args }) {
    const client = await ctx.client();
    const [service, ...cmd] = args as [string, ...string[]];
    const name = await session.projectName(client);
    const list = await projectContainers(client, name, { services: [service], oneoff: false });
    const target =
      list.find((c) => c.Labels[L.number] === String(flags.index)) ??
      (flags.index === 1 ? list[0] : undefined);
    if (!target)
      throw new BerthError(
        "not-found",
        list.length === 0
          ? `service "${service}" is not running`
          : `service "${service}" has no container number ${flags.index}`,
      );
    const tty = !flags["no-TTY"] && !!ctx.stdin.isTTY;
    const argv = [
      ...(flags.detach ? ["-d"] : ["-i"]),
      ...(tty && !flags.detach ? ["-t"] : []),
      ...(flags.privileged ? ["--privileged"] : []),
      ...(flags.user ? ["-u", flags.user] : []),
      ...(flags.workdir ? ["-w", flags.workdir] : []),
      ...flags.env.flatMap((e) => ["-e", e]),
      nameOf(target),
      ...cmd,
    ];
    return execCommand.run(ctx, parseFlags({ flags: execCommand.flags, interspersed: false }, argv) as never);
  },
});
