import { connect, disconnect } from "../../../api/client/networks.js";
import type { EndpointSettings } from "../../../api/types/containers.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";

const CONNECT_FLAGS = defineFlags([
  {
    name: "alias",
    type: "stringArray",
    valueName: "strings",
    description: "Add network-scoped alias for the container",
  },
  { name: "ip", type: "string", description: "IPv4 address (e.g., `172.30.100.104`)" },
  { name: "ip6", type: "string", description: "IPv6 address (e.g., `2001:db8::33`)" },
  { name: "link", type: "stringArray", valueName: "list", description: "Add link to another container" },
]);

export const networkConnectCommand = defineCommand({
  path: "network connect",
  usage: "[OPTIONS] NETWORK CONTAINER",
  description: "Connect a container to a network",
  flags: CONNECT_FLAGS,
  args: { min: 2, max: 2 },
  async run(ctx, { flags, args }) {
    const aliases = flags.alias.flatMap((a) => a.split(",")).filter((a) => a !== "");
    const ep: EndpointSettings = {
      ...(aliases.length ? { Aliases: aliases } : {}),
      ...(flags.ip || flags.ip6
        ? {
            IPAMConfig: {
              ...(flags.ip ? { IPv4Address: flags.ip } : {}),
              ...(flags.ip6 ? { IPv6Address: flags.ip6 } : {}),
            },
          }
        : {}),
      ...(flags.link.length ? { Links: flags.link } : {}),
    };
    await connect(await ctx.client(), args[0]!, args[1]!, ep);
    return 0;
  },
});

const DISCONNECT_FLAGS = defineFlags([
  {
    name: "force",
    short: "f",
    type: "bool",
    description: "Force the container to disconnect from a network",
  },
]);

export const networkDisconnectCommand = defineCommand({
  path: "network disconnect",
  usage: "[OPTIONS] NETWORK CONTAINER",
  description: "Disconnect a container from a network",
  flags: DISCONNECT_FLAGS,
  args: { min: 2, max: 2 },
  async run(ctx, { flags, args }) {
    await disconnect(await ctx.client(), args[0]!, args[1]!, flags.force);
    return 0;
  },
});
