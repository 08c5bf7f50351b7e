import { create } from "../../../api/client/networks.js";
import type { NetworkIpamConfig } from "../../../api/types/networks.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { keyValues } from "../volume/_shared.js";

const FLAGS = defineFlags([
  { name: "attachable", type: "bool", description: "Enable manual container attachment" },
  {
    name: "driver",
    short: "d",
    type: "string",
    default: "bridge",
    description: "Driver to manage the Network",
  },
  {
    name: "gateway",
    type: "stringArray",
    valueName: "ipSlice",
    description: "IPv4 or IPv6 Gateway for the master subnet",
  },
  { name: "internal", type: "bool", description: "Restrict external access to the network" },
  {
    name: "ip-range",
    type: "stringArray",
    valueName: "ipNetSlice",
    description: "Allocate container ip from a sub-range",
  },
  { name: "ipv6", type: "bool", description: "Enable or disable IPv6 address assignment" },
  { name: "label", type: "stringArray", valueName: "list", description: "Set metadata on a network" },
  {
    name: "opt",
    short: "o",
    type: "stringArray",
    valueName: "map",
    description: "Set driver specific options",
  },
  {
    name: "subnet",
    type: "stringArray",
    valueName: "stringSlice",
    description: "Subnet in CIDR format that represents a network segment",
  },
]);

/** Comma-separated slice flags (docker's ipSlice / stringSlice): every value, split on ",". */
const slice = (values: readonly string[]) => values.flatMap((v) => v.split(",")).filter((v) => v !== "");

export const networkCreateCommand = defineCommand({
  path: "network create",
  usage: "[OPTIONS] NETWORK",
  description: "Create a network",
  flags: FLAGS,
  args: { min: 1, max: 1 },
  async run(ctx, { flags, args }) {
    const subnets = slice(flags.subnet);
    const gateways = slice(flags.gateway);
    const ranges = slice(flags["ip-range"]);
    if (subnets.length === 0 && (gateways.length > 0 || ranges.length > 0)) {
      ctx.stderr.write("every ip-range or gateway must have a corresponding subnet\n");
      return 1;
    }
    if (gateways.length > subnets.length || ranges.length > subnets.length) {
      ctx.stderr.write("cannot configure multiple ranges or gateways on the same subnet\n");
      return 1;
    }
    const config: NetworkIpamConfig[] = subnets.map((s, i) => ({
      Subnet: s,
      ...(gateways[i] ? { Gateway: gateways[i] } : {}),
      ...(ranges[i] ? { IPRange: ranges[i] } : {}),
    }));
    const res = await create(await ctx.client(), {
      Name: args[0]!,
      Driver: flags.driver,
      Internal: flags.internal,
      Attachable: flags.attachable,
      EnableIPv6: flags.ipv6,
      Labels: keyValues(flags.label),
      Options: keyValues(flags.opt),
      IPAM: { Driver: "default", Config: config, Options: {} },
    });
    ctx.stdout.write(`${res.Id}\n`);
    return 0;
  },
});
