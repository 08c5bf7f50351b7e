/** start, stop, restart, kill, rm, pause, unpause: the project's containers, in dependency order. */
import * as containers from "../../../api/client/containers.js";
import { event } from "../../../compose/apply/context.js";
import { nameOf, projectContainers } from "../../../compose/apply/project-containers.js";
import { levels, removeContainers, startContainers, stopContainers } from "../../../compose/apply/stop.js";
import { buildGraph, withDependencies } from "../../../compose/plan/graph.js";
import { BerthError } from "../../../lib/errors.js";
import { defineFlags } from "../../flags.js";
import { confirm } from "../../prompt.js";
import { defineComposeCommand } from "./_compose-command.js";

const TIMEOUT = {
  name: "timeout",
  short: "t",
  type: "int",
  description: "Specify a shutdown timeout in seconds",
} as const;

export const composeStart = defineComposeCommand({
  name: "start",
  usage: "[SERVICE...]",
  description: "Start services",
  flags: defineFlags([]),
  async run(_ctx, session, { args }) {
    const c = await session.context({ labels: true });
    const services = args.length ? [...withDependencies(buildGraph(c.project), args)] : [];
    const list = await projectContainers(c.client, c.project.name, { all: true, services, oneoff: false });
    if (list.length === 0) throw new BerthError("failed-precondition", "no containers to start");
    await startContainers(c, list);
    return 0;
  },
});

export const composeStop = defineComposeCommand({
  name: "stop",
  usage: "[OPTIONS] [SERVICE...]",
  description: "Stop services",
  flags: defineFlags([TIMEOUT]),
  async run(_ctx, session, { flags, args, changed }) {
    const c = await session.context({ labels: true });
    const list = await projectContainers(c.client, c.project.name, { all: false, services: args });
    await stopContainers(c, list, changed.has("timeout") ? flags.timeout : undefined);
    return 0;
  },
});

export const composeRestart = defineComposeCommand({
  name: "restart",
  usage: "[OPTIONS] [SERVICE...]",
  description: "Restart service containers",
  flags: defineFlags([
    { name: "no-deps", type: "bool", description: "Don't restart dependent services" },
    TIMEOUT,
  ]),
  async run(_ctx, session, { flags, args, changed }) {
    const c = await session.context({ labels: true });
    const list = await projectContainers(c.client, c.project.name, {
      all: true,
      services: args,
      oneoff: false,
    });
    for (const group of levels(c, list, false)) {
      await Promise.all(
        group.map(async (x) => {
          c.progress(event("Container", nameOf(x), "Restarting"));
          await containers.restart(c.client, x.Id, {
            timeout: changed.has("timeout") ? flags.timeout : undefined,
          });
          c.progress(event("Container", nameOf(x), "Started"));
        }),
      );
    }
    return 0;
  },
});

export const composeKill = defineComposeCommand({
  name: "kill",
  usage: "[OPTIONS] [SERVICE...]",
  description: "Force stop service containers",
  flags: defineFlags([
    {
      name: "remove-orphans",
      type: "bool",
      description: "Remove containers for services not defined in the Compose file",
    },
    {
      name: "signal",
      short: "s",
      type: "string",
      default: "SIGKILL",
      description: "SIGNAL to send to the container",
    },
  ]),
  async run(_ctx, session, { flags, args }) {
    const c = await session.context({ labels: true });
    const list = await projectContainers(c.client, c.project.name, { all: false, services: args });
    if (list.length === 0) throw new BerthError("failed-precondition", "no container to kill");
    await Promise.all(
      list.map(async (x) => {
        c.progress(event("Container", nameOf(x), "Killing"));
        await containers.kill(c.client, x.Id, flags.signal);
        c.progress(event("Container", nameOf(x), "Killed"));
      }),
    );
    return 0;
  },
});

export const composeRm = defineComposeCommand({
  name: "rm",
  usage: "[OPTIONS] [SERVICE...]",
  description: "Removes stopped service containers",
  flags: defineFlags([
    { name: "force", short: "f", type: "bool", description: "Don't ask to confirm removal" },
    {
      name: "stop",
      short: "s",
      type: "bool",
      description: "Stop the containers, if required, before removing",
    },
    {
      name: "volumes",
      short: "v",
      type: "bool",
      description: "Remove any anonymous volumes attached to containers",
    },
  ]),
  async run(ctx, session, { flags, args }) {
    const c = await session.context({ labels: true });
    let list = await projectContainers(c.client, c.project.name, {
      all: true,
      services: args,
      oneoff: false,
    });
    if (flags.stop) await stopContainers(c, list);
    else list = list.filter((x) => x.State !== "running" && x.State !== "restarting" && x.State !== "paused");
    if (flags.stop)
      list = await projectContainers(c.client, c.project.name, { all: true, services: args, oneoff: false });
    if (list.length === 0) {
      c.progress("No stopped containers");
      return 0;
    }
    if (!flags.force) {
      const ok = await confirm(ctx, `Going to remove ${list.map(nameOf).join(", ")}`);
      if (!ok) return 0;
    }
    await removeContainers(c, list, { volumes: flags.volumes });
    return 0;
  },
});

function pauseLike(name: "pause" | "unpause") {
  return defineComposeCommand({
    name,
    usage: "[SERVICE...]",
    description: name === "pause" ? "Pause services" : "Unpause services",
    flags: defineFlags([]),
    async run(_ctx, session, { args }) {
      const c = await session.context({ labels: true });
      const list = await projectContainers(c.client, c.project.name, { all: false, services: args });
      await Promise.all(
        list.map(async (x) => {
          await (name === "pause" ? containers.pause : containers.unpause)(c.client, x.Id);
          c.progress(event("Container", nameOf(x), name === "pause" ? "Paused" : "Unpaused"));
        }),
      );
      return 0;
    },
  });
}

export const composePause = pauseLike("pause");
export const composeUnpause = pauseLike("unpause");
