import type { ApiClient } from "../../../api/client/client.js";
import { attach, inspect, kill, resize, waitRegistered } from "../../../api/client/containers.js";
import { runSession } from "../../attach/session.js";
import { proxySignals } from "../../attach/signals.js";
import { monitorTtySize } from "../../attach/tty-size.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { errorLine } from "./_shared.js";

const FLAGS = defineFlags([
  { name: "detach-keys", type: "string", description: "Override the key sequence for detaching a container" },
  { name: "no-stdin", type: "bool", description: "Do not attach STDIN" },
  {
    name: "sig-proxy",
    type: "bool",
    default: true,
    description: "Proxy all received signals to the process",
  },
]);

/** Inspects the container and refuses the states docker cannot attach to. */
async function attachable(client: ApiClient, name: string) {
  const c = await inspect(client, name);
  if (!c.State.Running) throw new Error("You cannot attach to a stopped container, start it first");
  if (c.State.Paused) throw new Error("You cannot attach to a paused container, unpause it first");
  if (c.State.Restarting) {
    throw new Error("You cannot attach to a restarting container, wait until it is running");
  }
  return c;
}

export const attachCommand = defineCommand({
  path: "container attach",
  aliases: ["attach"],
  usage: "[OPTIONS] CONTAINER",
  description: "Attach local standard input, output, and error streams to a running container",
  flags: FLAGS,
  args: { min: 1, max: 1 },
  async run(ctx, { flags, args }) {
    const client = await ctx.client();
    const waitAbort = new AbortController();
    let stopSignals = () => {};
    let stopResize = () => {};
    try {
      const waiter = await waitRegistered(client, args[0]!, { signal: waitAbort.signal });
      const c = await attachable(client, args[0]!);
      const tty = c.Config.Tty ?? false;
      if (!flags["no-stdin"] && tty && !ctx.stdin.isTTY) throw new Error("the input device is not a TTY");
      const stdin = !flags["no-stdin"] && (c.Config.OpenStdin ?? false);
      if (flags["sig-proxy"] && !tty) stopSignals = proxySignals((sig) => kill(client, c.Id, sig));
      const conn = await attach(client, c.Id, {
        stdin,
        stdout: true,
        stderr: true,
        detachKeys: flags["detach-keys"],
      });
      await attachable(client, c.Id).catch((err) => {
        conn.socket.destroy();
        throw err;
      });
      if (tty && ctx.stdout.isTTY) {
        stopResize = monitorTtySize(ctx.stdout, (size) => resize(client, c.Id, size), { bump: true });
      }
      const { detached } = await runSession(conn, {
        tty,
        stdin: stdin ? ctx.stdin : undefined,
        stdout: ctx.stdout,
        stderr: ctx.stderr,
        detachKeys: flags["detach-keys"],
        warn: (m) => ctx.stderr.write(`WARNING: ${m}\n`),
      });
      if (detached) {
        ctx.stderr.write("read escape sequence\n");
        return 1;
      }
      const result = await waiter.result;
      if (result.Error?.Message) {
        ctx.stderr.write(`${result.Error.Message}\n`);
        return 1;
      }
      return result.StatusCode;
    } catch (err) {
      ctx.stderr.write(`${errorLine(err)}\n`);
      return 1;
    } finally {
      waitAbort.abort();
      stopResize();
      stopSignals();
    }
  },
});
