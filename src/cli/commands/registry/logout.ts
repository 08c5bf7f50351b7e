import { defineCommand } from "../../command.js";
import { eraseCredentials, registryKey } from "../../credentials.js";
import { defineFlags } from "../../flags.js";

export const logoutCommand = defineCommand({
  path: "logout",
  usage: "[SERVER]",
  description: "Log out from a registry",
  flags: defineFlags([]),
  args: { max: 1 },
  async run(ctx, { args }) {
    const key = registryKey(args[0] ?? "docker.io");
    const had = await eraseCredentials(key);
    ctx.stdout.write(had ? `Removing login credentials for ${key}\n` : `Not logged in to ${key}\n`);
    return 0;
  },
});
