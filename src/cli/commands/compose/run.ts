import { randomBytes } from "node:crypto";
import * as containers from "../../../api/client/containers.js";
import { event } from "../../../compose/apply/context.js";
import { createServiceContainer } from "../../../compose/apply/create.js";
import { ensureImages } from "../../../compose/apply/images.js";
import { projectContainers } from "../../../compose/apply/project-containers.js";
import { ensureNetwork, ensureVolume, usedResources } from "../../../compose/apply/resources.js";
import { up } from "../../../compose/apply/up.js";
import { waitFor } from "../../../compose/apply/wait.js";
import { shellSplit } from "../../../compose/loader/shell-words.js";
import { oneoffName } from "../../../compose/plan/labels.js";
import { BerthError, errorMessage } from "../../../lib/errors.js";
import { defineFlags } from "../../flags.js";
import { startAttached } from "../container/_attached.js";
import { defineComposeCommand } from "./_compose-command.js";

const FLAGS = defineFlags([
  { name: "build", type: "bool", description: "Build image before starting container" },
  {
    name: "detach",
    short: "d",
    type: "bool",
    description: "Run container in background and print container ID",
  },
  { name: "entrypoint", type: "string", description: "Override the entrypoint of the image" },
  { name: "env", short: "e", type: "stringArray", description: "Set environment variables" },
  {
    name: "interactive",
    short: "i",
    type: "bool",
    default: true,
    description: "Keep STDIN open even if not attached",
  },
  { name: "name", type: "string", description: "Assign a name to the container" },
  {
    name: "no-TTY",
    short: "T",
    type: "bool",
    description: "Disable pseudo-TTY allocation (default: auto-detected)",
  },
  { name: "no-deps", type: "bool", description: "Don't start linked services" },
  { name: "rm", type: "bool", description: "Automatically remove the container when it exits" },
  {
    name: "service-ports",
    short: "P",
    type: "bool",
    description: "Run command with all service's ports enabled and mapped to the host",
  },
  { name: "user", short: "u", type: "string", description: "Run as specified username or uid" },
  { name: "workdir", short: "w", type: "string", description: "Working directory inside the container" },
]);

export const composeRun = defineComposeCommand({
  name: "run",
  usage: "[OPTIONS] SERVICE [COMMAND] [ARGS...]",
  description: "Run a one-off command on a service",
  flags: FLAGS,
  interspersed: false,
  args: { min: 1 },
  async run(ctx, session, { flags, args }) {
    const c = await session.context();
    const [service, ...command] = args as [string, ...string[]];
    const svc = c.project.services[service];
    if (!svc) throw new BerthError("invalid-argument", `no such service: ${service}`);
    const deps = Object.keys(svc.depends_on ?? {}).filter((d) => c.project.services[d]);
    if (!flags["no-deps"] && deps.length > 0) {
      const started = await up(c, { services: deps });
      for (const [dep, d] of Object.entries(svc.depends_on ?? {})) {
        const goal =
          d.condition === "service_healthy"
            ? "healthy"
            : d.condition === "service_completed_successfully"
              ? "completed"
              : "started";
        for (const s of started.filter((x) => x.service === dep)) {
          try {
            await waitFor(c.client, s.id, s.name, goal);
          } catch (err) {
            throw new BerthError(
              "failed-precondition",
              `dependency failed to start: service "${dep}": ${errorMessage(err)}`,
            );
          }
        }
      }
    }
    const used = usedResources(c.project, [service]);
    let networksOk = true;
    for (const n of used.networks) networksOk = (await ensureNetwork(c, n)) && networksOk;
    for (const v of used.volumes) await ensureVolume(c, v);
    const ids = await ensureImages(c, [service], { build: flags.build });
    const env: Record<string, string> = {};
    for (const e of flags.env) {
      const i = e.indexOf("=");
      if (i < 0) {
        const v = process.env[e];
        if (v !== undefined) env[e] = v;
      } else env[e.slice(0, i)] = e.slice(i + 1);
    }
    const tty = !flags["no-TTY"] && !flags.detach && !!ctx.stdin.isTTY;
    const interactive = flags.interactive && !flags.detach;
    const name = flags.name || oneoffName(c.project.name, service, randomBytes(6).toString("hex"));
    const running = await projectContainers(c.client, c.project.name, { all: false, oneoff: false });
    const created = await createServiceContainer(c, service, 1, {
      imageId: ids[service],
      name,
      oneoff: true,
      running,
      defaultNetworkOnly: !networksOk,
      overrides: {
        command: command.length ? command : undefined,
        entrypoint: flags.entrypoint ? shellSplit(flags.entrypoint) : undefined,
        env,
        tty,
        interactive,
        noPorts: !flags["service-ports"],
        user: flags.user || undefined,
        workdir: flags.workdir || undefined,
        autoRemove: flags.rm,
      },
    });
    if (flags.detach) {
      await containers.start(c.client, created.id);
      ctx.stdout.write(`${created.name}\n`);
      return 0;
    }
    c.progress(event("Container", created.name, "Created"));
    const result = await startAttached(ctx, c.client, created.id, {
      tty,
      stdin: interactive,
      stdout: true,
      stderr: true,
      detachKeys: "",
      autoRemove: flags.rm,
      sigProxy: true,
    });
    switch (result.kind) {
      case "exited":
        return result.code;
      case "detached":
        return 0;
      default:
        throw result.error;
    }
  },
});
