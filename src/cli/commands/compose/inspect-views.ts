/** top, port, images: per-container views of the project. */
import * as containers from "../../../api/client/containers.js";
import * as images from "../../../api/client/images.js";
import { nameOf, projectContainers } from "../../../compose/apply/project-containers.js";
import { L } from "../../../compose/plan/labels.js";
import { BerthError, isKind } from "../../../lib/errors.js";
import { defineFlags } from "../../flags.js";
import { tabwrite } from "../../formatter/table.js";
import { humanSize } from "../../formatter/units.js";
import { defineComposeCommand } from "./_compose-command.js";

export const composeTop = defineComposeCommand({
  name: "top",
  usage: "[SERVICES...]",
  description: "Display the running processes",
  flags: defineFlags([]),
  async run(ctx, session, { args }) {
    const client = await ctx.client();
    const list = await projectContainers(client, await session.projectName(client), { services: args });
    for (const c of list) {
      const top = await containers.top(client, c.Id);
      ctx.stdout.write(`${nameOf(c)}\n`);
      ctx.stdout.write(
        tabwrite([top.Titles.join("\t"), ...top.Processes.map((p) => p.join("\t"))].join("\n") + "\n"),
      );
      ctx.stdout.write("\n");
    }
    return 0;
  },
});

export const composePort = defineComposeCommand({
  name: "port",
  usage: "[OPTIONS] SERVICE PRIVATE_PORT",
  description: "Print the public port for a port binding",
  flags: defineFlags([
    {
      name: "index",
      type: "int",
      default: 1,
      description: "Index of the container if service has multiple replicas",
    },
    { name: "protocol", type: "string", default: "tcp", description: "tcp or udp" },
  ]),
  args: { min: 2, max: 2 },
  async run(ctx, session, { flags, args }) {
    const client = await ctx.client();
    const [service, port] = args as [string, string];
    const list = await projectContainers(client, await session.projectName(client), {
      services: [service],
      oneoff: false,
    });
    const c = list.find((x) => x.Labels[L.number] === String(flags.index));
    if (!c) throw new BerthError("not-found", `service "${service}" has no container number ${flags.index}`);
    const info = await containers.inspect(client, c.Id);
    const bindings = (
      info.NetworkSettings?.Ports as Record<string, { HostIp: string; HostPort: string }[] | null> | undefined
    )?.[`${port}/${flags.protocol}`];
    if (!bindings || bindings.length === 0)
      throw new BerthError(
        "not-found",
        `no port ${port}/${flags.protocol} for container ${nameOf(c)}: it is not published`,
      );
    const b = bindings.find((x) => !x.HostIp.includes(":")) ?? bindings[0]!;
    ctx.stdout.write(`${b.HostIp || "0.0.0.0"}:${b.HostPort}\n`);
    return 0;
  },
});

export const composeImages = defineComposeCommand({
  name: "images",
  usage: "[OPTIONS] [SERVICE...]",
  description: "List images used by the created containers",
  flags: defineFlags([
    {
      name: "format",
      type: "string",
      default: "table",
      description: "Format the output. Values: [table | json]",
    },
    { name: "quiet", short: "q", type: "bool", description: "Only display IDs" },
  ]),
  async run(ctx, session, { flags, args }) {
    const client = await ctx.client();
    const list = await projectContainers(client, await session.projectName(client), {
      all: true,
      services: args,
    });
    const rows: { ContainerName: string; Repository: string; Tag: string; ID: string; Size: number }[] = [];
    for (const c of list) {
      let repo = c.Image;
      let tag = "";
      let size = 0;
      try {
        const img = await images.inspect(client, c.ImageID || c.Image);
        const ref =
          img.RepoTags?.find((t) => t === c.Image || t === `${c.Image}:latest`) ??
          img.RepoTags?.[0] ??
          "<none>:<none>";
        const at = ref.lastIndexOf(":");
        repo = ref.slice(0, at);
        tag = ref.slice(at + 1);
        size = img.Size;
      } catch (err) {
        if (!isKind(err, "not-found")) throw err;
      }
      rows.push({
        ContainerName: nameOf(c),
        Repository: repo,
        Tag: tag,
        ID: (c.ImageID || "").replace(/^sha256:/, ""),
        Size: size,
      });
    }
    if (flags.quiet) {
      for (const id of new Set(rows.map((r) => r.ID))) ctx.stdout.write(`${id}\n`);
      return 0;
    }
    if (flags.format === "json") {
      ctx.stdout.write(`${JSON.stringify(rows)}\n`);
      return 0;
    }
    const lines = ["CONTAINER\tREPOSITORY\tTAG\tIMAGE ID\tSIZE"];
    for (const r of rows)
      lines.push([r.ContainerName, r.Repository, r.Tag, r.ID.slice(0, 12), humanSize(r.Size)].join("\t"));
    ctx.stdout.write(tabwrite(`${lines.join("\n")}\n`));
    return 0;
  },
});
