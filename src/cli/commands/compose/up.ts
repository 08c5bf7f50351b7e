import { projectContainers } from "../../../compose/apply/project-containers.js";
import { stopContainers } from "../../../compose/apply/stop.js";
import { up } from "../../../compose/apply/up.js";
import { defineFlags, FlagError } from "../../flags.js";
import { defineComposeCommand } from "./_compose-command.js";
import { exitCodeOf, LogPrinter, pipeLogs } from "./_log-printer.js";

const FLAGS = defineFlags([
  {
    name: "abort-on-container-exit",
    type: "bool",
    description: "Stops all containers if any container was stopped. Incompatible with -d",
  },
  {
    name: "always-recreate-deps",
    type: "bool",
    description: "Recreate dependent containers. Incompatible with --no-recreate.",
  },
  { name: "attach", type: "stringArray", description: "Restrict attaching to the specified services" },
  { name: "build", type: "bool", description: "Build images before starting containers" },
  {
    name: "detach",
    short: "d",
    type: "bool",
    description: "Detached mode: Run containers in the background",
  },
  {
    name: "exit-code-from",
    type: "string",
    description: "Return the exit code of the selected service container",
  },
  {
    name: "force-recreate",
    type: "bool",
    description: "Recreate containers even if their configuration and image haven't changed",
  },
  { name: "no-build", type: "bool", description: "Don't build an image, even if it's policy" },
  { name: "no-color", type: "bool", description: "Produce monochrome output" },
  { name: "no-deps", type: "bool", description: "Don't start linked services" },
  { name: "no-log-prefix", type: "bool", description: "Don't print prefix in logs" },
  { name: "no-recreate", type: "bool", description: "If containers already exist, don't recreate them" },
  { name: "no-start", type: "bool", description: "Don't start the services after creating them" },
  {
    name: "pull",
    type: "string",
    default: "policy",
    description: 'Pull image before running ("always"|"missing"|"never")',
  },
  { name: "quiet-pull", type: "bool", description: "Pull without printing progress information" },
  {
    name: "remove-orphans",
    type: "bool",
    description: "Remove containers for services not defined in the Compose file",
  },
  {
    name: "scale",
    type: "stringArray",
    valueName: "scale",
    description:
      "Scale SERVICE to NUM instances. Overrides the scale setting in the Compose file if present.",
  },
  {
    name: "timeout",
    short: "t",
    type: "int",
    description:
      "Use this timeout in seconds for container shutdown when attached or when containers are already running",
  },
  { name: "timestamps", type: "bool", description: "Show timestamps" },
  {
    name: "wait",
    type: "bool",
    description: "Wait for services to be running|healthy. Implies detached mode.",
  },
  {
    name: "wait-timeout",
    type: "int",
    description: "Maximum duration in seconds to wait for the project to be running|healthy",
  },
]);

export const composeUp = defineComposeCommand({
  name: "up",
  usage: "[OPTIONS] [SERVICE...]",
  description: "Create and start containers",
  flags: FLAGS,
  async run(ctx, session, { flags, args, changed }) {
    const scale: Record<string, number> = {};
    for (const s of flags.scale) {
      const m = /^([^=]+)=(\d+)$/.exec(s);
      if (!m) throw new FlagError("invalid-value", `invalid --scale "${s}": use SERVICE=NUM`);
      scale[m[1]!] = Number(m[2]);
    }
    const detach = flags.detach || flags.wait;
    if (detach && flags["abort-on-container-exit"])
      throw new FlagError("invalid-value", "--abort-on-container-exit and --detach are incompatible");
    if (flags["no-recreate"] && flags["force-recreate"])
      throw new FlagError("invalid-value", "--force-recreate and --no-recreate are incompatible");
    const pull = flags.pull === "policy" ? undefined : (flags.pull as "always" | "missing" | "never");
    const c = await session.context();
    const interrupted = new AbortController();
    const onSigint = () => interrupted.abort();
    process.once("SIGINT", onSigint);
    let started: Awaited<ReturnType<typeof up>>;
    try {
      started = await up(c, {
        services: args,
        noDeps: flags["no-deps"],
        build: flags.build,
        noBuild: flags["no-build"],
        pull,
        forceRecreate: flags["force-recreate"],
        noRecreate: flags["no-recreate"],
        removeOrphans: flags["remove-orphans"],
        scale,
        noStart: flags["no-start"],
        wait: flags.wait,
        waitTimeoutMs: changed.has("wait-timeout") ? flags["wait-timeout"] * 1000 : undefined,
        signal: interrupted.signal,
      });
    } finally {
      process.off("SIGINT", onSigint);
    }
    if (detach || flags["no-start"]) return 0;

    // Attached: stream every container's log with its prefix until all exit, or Ctrl-C stops them.
    const attachTo = flags.attach.length ? started.filter((s) => flags.attach.includes(s.service)) : started;
    const printer = new LogPrinter(
      ctx.stdout,
      attachTo.map((s) => s.name),
      {
        noColor: flags["no-color"],
        noPrefix: flags["no-log-prefix"],
      },
    );
    ctx.stdout.write(`Attaching to ${attachTo.map((s) => s.name).join(", ")}\n`);
    const stopAll = new AbortController();
    const logsDone = attachTo.map((s) =>
      pipeLogs(c.client, printer, s, {
        follow: true,
        timestamps: flags.timestamps,
        signal: stopAll.signal,
      }).catch(() => undefined),
    );
    let firstExit: { name: string; service: string; code: number } | undefined;
    let signalled = false;
    const stopProject = async () => {
      const list = await projectContainers(c.client, c.project.name, { all: false, oneoff: false });
      await stopContainers(c, list, changed.has("timeout") ? flags.timeout : undefined);
    };
    const result = await new Promise<number>((resolve) => {
      let remaining = started.length;
      let stopping = false;
      const sigint = () => {
        if (stopping) {
          ctx.stderr.write("Killing...\n");
          process.exit(130);
        }
        stopping = true;
        signalled = true;
        ctx.stderr.write("Gracefully stopping... (press Ctrl+C again to force)\n");
        stopProject().then(
          () => resolve(130),
          () => resolve(130),
        );
      };
      process.on("SIGINT", sigint);
      if (started.length === 0) resolve(0);
      for (const s of started) {
        exitCodeOf(c.client, s.id, stopAll.signal).then(async (code) => {
          if (stopAll.signal.aborted) return;
          if (code >= 0) printer.line(s.name, `exited with code ${code}`);
          firstExit ??= { name: s.name, service: s.service, code };
          remaining--;
          if (flags["abort-on-container-exit"] && !stopping) {
            stopping = true;
            ctx.stderr.write("Aborting on container exit...\n");
            await stopProject().catch(() => undefined);
            resolve(firstExit.code);
          } else if (remaining === 0 && !stopping) resolve(0);
        });
      }
    }).finally(() => process.removeAllListeners("SIGINT"));
    stopAll.abort();
    await Promise.race([Promise.all(logsDone), new Promise((r) => setTimeout(r, 500))]);
    if (flags["exit-code-from"]) {
      const target = started.find((s) => s.service === flags["exit-code-from"]);
      if (target) return Math.max(0, await exitCodeOf(c.client, target.id));
    }
    return signalled ? 130 : result;
  },
});
