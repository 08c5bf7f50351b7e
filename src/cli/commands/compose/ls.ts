import { list } from "../../../api/client/containers.js";
import { L } from "../../../compose/plan/labels.js";
import { defineFlags } from "../../flags.js";
import { tabwrite } from "../../formatter/table.js";
import { defineComposeCommand } from "./_compose-command.js";

/** `compose ls`: projects as their containers' labels describe them: NAME STATUS CONFIG FILES. */
export const composeLs = defineComposeCommand({
  name: "ls",
  usage: "[OPTIONS]",
  description: "List running compose projects",
  flags: defineFlags([
    { name: "all", short: "a", type: "bool", description: "Show all stopped Compose projects" },
    { name: "filter", type: "stringArray", description: "Filter output based on conditions provided" },
    {
      name: "format",
      type: "string",
      default: "table",
      description: "Format the output. Values: [table | json]",
    },
    { name: "quiet", short: "q", type: "bool", description: "Only display project names" },
  ]),
  async run(ctx, _session, { flags }) {
    const client = await ctx.client();
    const all = await list(client, { all: true, filters: { label: [L.project] } });
    const projects = new Map<string, { states: Map<string, number>; files: string }>();
    for (const c of all) {
      const name = c.Labels[L.project];
      if (!name) continue;
      const p = projects.get(name) ?? { states: new Map(), files: c.Labels[L.configFiles] ?? "" };
      p.states.set(c.State, (p.states.get(c.State) ?? 0) + 1);
      projects.set(name, p);
    }
    const nameFilter = flags.filter.flatMap((f) => (f.startsWith("name=") ? [f.slice(5)] : []));
    const rows = [...projects.entries()]
      .filter(([, p]) => flags.all || p.states.has("running"))
      .filter(([n]) => nameFilter.length === 0 || nameFilter.some((f) => n.includes(f)))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([Name, p]) => ({
        Name,
        Status: [...p.states.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([s, n]) => `${s}(${n})`)
          .join(", "),
        ConfigFiles: p.files,
      }));
    if (flags.quiet) {
      for (const r of rows) ctx.stdout.write(`${r.Name}\n`);
    } else if (flags.format === "json") {
      ctx.stdout.write(`${JSON.stringify(rows)}\n`);
    } else {
      const lines = [
        "NAME\tSTATUS\tCONFIG FILES",
        ...rows.map((r) => `${r.Name}\t${r.Status}\t${r.ConfigFiles}`),
      ];
      ctx.stdout.write(tabwrite(`${lines.join("\n")}\n`));
    }
    return 0;
  },
});
