import { inspect } from "../../../api/client/containers.js";
import { defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { goQuote } from "../../go-strconv.js";
import { errorLine } from "./_shared.js";

const joinHostPort = (host: string, port: string) =>
  host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;

/** Natural order: runs of digits compare as numbers ("80/tcp" before "443/tcp"). */
export function naturalLess(a: string, b: string): boolean {
  const chunks = (s: string) => s.match(/\d+|\D+/g) ?? [];
  const x = chunks(a);
  const y = chunks(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const p = x[i]!;
    const q = y[i]!;
    if (p === q) continue;
    const pn = /^\d/.test(p);
    const qn = /^\d/.test(q);
    if (pn && qn && Number(p) !== Number(q)) return Number(p) < Number(q);
    return p < q;
  }
  return x.length < y.length;
}

export const portCommand = defineCommand({
  path: "container port",
  aliases: ["port"],
  usage: "CONTAINER [PRIVATE_PORT[/PROTO]]",
  description: "List port mappings or a specific mapping for the container",
  flags: defineFlags([]),
  args: { min: 1, max: 2 },
  async run(ctx, { args }) {
    const [name, wanted] = args as [string, string | undefined];
    let ports: Record<string, { HostIp?: string; HostPort?: string }[] | null>;
    try {
      ports = (await inspect(await ctx.client(), name)).NetworkSettings?.Ports ?? {};
    } catch (err) {
      ctx.stderr.write(`${errorLine(err)}\n`);
      return 1;
    }
    const out: string[] = [];
    if (wanted !== undefined) {
      const slash = wanted.indexOf("/");
      const port = slash < 0 ? wanted : wanted.slice(0, slash);
      const proto = slash < 0 || wanted.slice(slash + 1) === "" ? "tcp" : wanted.slice(slash + 1);
      if (!/^\d+$/.test(port) || Number(port) > 65535) {
        const why = /^\d+$/.test(port) ? "value out of range" : "invalid syntax";
        ctx.stderr.write(
          `Error: invalid port (${port}): strconv.ParseUint: parsing ${goQuote(port)}: ${why}\n`,
        );
        return 1;
      }
      const frontends = ports[`${port}/${proto}`] ?? [];
      if (frontends.length === 0) {
        ctx.stderr.write(`Error: No public port '${wanted}' published for ${name}\n`);
        return 1;
      }
      for (const f of frontends) out.push(joinHostPort(f.HostIp ?? "", f.HostPort ?? ""));
    } else {
      for (const [from, frontends] of Object.entries(ports)) {
        for (const f of frontends ?? [])
          out.push(`${from} -> ${joinHostPort(f.HostIp ?? "", f.HostPort ?? "")}`);
      }
    }
    out.sort((a, b) => (naturalLess(a, b) ? -1 : naturalLess(b, a) ? 1 : 0));
    if (out.length > 0) ctx.stdout.write(`${out.join("\n")}\n`);
    return 0;
  },
});
