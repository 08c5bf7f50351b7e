import { login } from "../../../api/client/registry.js";
import { defineCommand } from "../../command.js";
import { registryKey, storeCredentials } from "../../credentials.js";
import { defineFlags } from "../../flags.js";

const FLAGS = defineFlags([
  { name: "username", short: "u", type: "string", description: "Username" },
  { name: "password", short: "p", type: "string", description: "Password or Personal Access Token (PAT)" },
  {
    name: "password-stdin",
    type: "bool",
    description: "Take the Password or Personal Access Token (PAT) from stdin",
  },
]);

async function readStdin(stdin: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stdin) chunks.push(typeof c === "string" ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

export const loginCommand = defineCommand({
  path: "login",
  usage: "[OPTIONS] [SERVER]",
  description: "Authenticate to a registry",
  flags: FLAGS,
  args: { max: 1 },
  async run(ctx, { flags, args }) {
    const server = args[0] ?? "docker.io";
    let password = flags.password;
    if (flags["password-stdin"]) {
      if (password) {
        ctx.stderr.write("--password and --password-stdin are mutually exclusive\n");
        return 125;
      }
      if (!flags.username) {
        ctx.stderr.write("Must provide --username with --password-stdin\n");
        return 125;
      }
      password = await readStdin(ctx.stdin);
    } else if (password) {
      ctx.stderr.write("WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n");
    }
    if (!flags.username || !password) {
      ctx.stderr.write(
        "berth login needs -u USER and a password (-p or --password-stdin); it does not prompt\n",
      );
      return 1;
    }
    const key = registryKey(server);
    await login(await ctx.client(), { username: flags.username, password, serveraddress: key });
    const where = await storeCredentials(server, flags.username, password);
    ctx.stderr.write(`Credentials saved in ${where}\n`);
    ctx.stdout.write("Login Succeeded\n");
    return 0;
  },
});
