import { events } from "../../../api/client/system.js";
import { L } from "../../../compose/plan/labels.js";
import { defineFlags } from "../../flags.js";
import { defineComposeCommand } from "./_compose-command.js";

/** `compose events`: the project's container events, as text lines or JSON objects (--json). */
export const composeEvents = defineComposeCommand({
  name: "events",
  usage: "[OPTIONS] [SERVICE...]",
  description: "Receive real time events from containers",
  flags: defineFlags([
    { name: "json", type: "bool", description: "Output events as a stream of json objects" },
    { name: "since", type: "string", description: "Show all events created since timestamp" },
    { name: "until", type: "string", description: "Stream events until this timestamp" },
  ]),
  async run(ctx, session, { flags, args }) {
    const client = await ctx.client();
    const project = await session.projectName(client);
    const abort = new AbortController();
    const onInt = () => abort.abort();
    process.once("SIGINT", onInt);
    try {
      for await (const e of events(client, {
        since: flags.since || undefined,
        until: flags.until || undefined,
        filters: { type: ["container"], label: [`${L.project}=${project}`] },
        signal: abort.signal,
      })) {
        const attrs = e.Actor.Attributes ?? {};
        const service = attrs[L.service] ?? "";
        if (args.length && !args.includes(service)) continue;
        const time = new Date(Math.floor(e.timeNano / 1e6)).toISOString();
        const shown: Record<string, string> = {};
        for (const [k, v] of Object.entries(attrs))
          if (!k.startsWith("com.docker.compose.") && !k.startsWith("berth.compose.")) shown[k] = v;
        if (flags.json) {
          ctx.stdout.write(
            `${JSON.stringify({ time, type: "container", action: e.Action, id: e.Actor.ID, service, attributes: shown })}\n`,
          );
        } else {
          const a = Object.entries(shown)
            .sort(([x], [y]) => x.localeCompare(y))
            .map(([k, v]) => `${k}=${v}`)
            .join(", ");
          ctx.stdout.write(`${time} container ${e.Action} ${e.Actor.ID} (${a})\n`);
        }
      }
    } finally {
      process.off("SIGINT", onInt);
    }
    return 0;
  },
});
