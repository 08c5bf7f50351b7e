import { list } from "../../../api/client/networks.js";
import { filtersFromPairs } from "../../../api/types/filters.js";
import type { Network } from "../../../api/types/networks.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { renderFormat } from "../../formatter/format.js";

const FLAGS = defineFlags([
  {
    name: "filter",
    short: "f",
    type: "stringArray",
    valueName: "filter",
    description: 'Provide filter values (e.g. "driver=bridge")',
  },
  { name: "format", type: "string", description: "Format output using a custom template" },
  { name: "no-trunc", type: "bool", description: "Do not truncate the output" },
  { name: "quiet", short: "q", type: "bool", description: "Only display network IDs" },
]);

const HEADERS: Readonly<Record<string, string>> = {
  ID: "NETWORK ID",
  Name: "NAME",
  Driver: "DRIVER",
  Scope: "SCOPE",
  IPv4: "IPV4",
  IPv6: "IPV6",
  Internal: "INTERNAL",
  Labels: "LABELS",
  CreatedAt: "CREATED",
};

/** One row of `network ls`, as docker's networkContext shows it. */
class NetworkRow {
  readonly ID: string;
  readonly Name: string;
  readonly Driver: string;
  readonly Scope: string;
  readonly IPv4: string;
  readonly IPv6: string;
  readonly Internal: string;
  readonly Labels: string;
  readonly CreatedAt: string;
  readonly #labels: Readonly<Record<string, string>>;

  constructor(n: Network, trunc: boolean) {
    this.ID = trunc ? n.Id.slice(0, 12) : n.Id;
    this.Name = n.Name;
    this.Driver = n.Driver;
    this.Scope = n.Scope;
    this.IPv4 = String(n.EnableIPv4);
    this.IPv6 = String(n.EnableIPv6);
    this.Internal = String(n.Internal);
    this.#labels = n.Labels ?? {};
    this.Labels = Object.entries(this.#labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(",");
    this.CreatedAt = n.Created;
  }

  Label(name: string): string {
    return this.#labels[name] ?? "";
  }
}

export const networkLsCommand = defineCommand({
  path: "network ls",
  aliases: ["network list"],
  usage: "[OPTIONS]",
  description: "List networks",
  flags: FLAGS,
  args: { max: 0 },
  async run(ctx, { flags }) {
    const nets = [...(await list(await ctx.client(), { filters: filtersFromPairs(flags.filter) }))].sort(
      (a, b) => a.Name.localeCompare(b.Name),
    );
    const rows = nets.map((n) => new NetworkRow(n, !flags["no-trunc"]));
    if (flags.quiet && flags.format === "") {
      for (const r of rows) ctx.stdout.write(`${r.ID}\n`);
      return 0;
    }
    ctx.stdout.write(
      renderFormat(flags.format, rows, {
        defaultTable: "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}",
        headers: HEADERS,
      }),
    );
    return 0;
  },
});
