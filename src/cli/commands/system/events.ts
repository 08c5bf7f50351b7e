import { events } from "../../../api/client/system.js";
import { filtersFromPairs } from "../../../api/types/filters.js";
import { errorMessage } from "../../../lib/errors.js";
import { defineCommand, usageOf } from "../../command.js";
import { defineFlags, invalidFlagValue, usageErrorText } from "../../flags.js";
import { compileTemplate, type Template } from "../../formatter/go-template.js";
import { parseTimestampArg } from "../../timestamp-arg.js";
import { eventLine, eventView } from "./_event-view.js";
import { FORMAT_HELP } from "./_format-help.js";

const FLAGS = defineFlags([
  {
    name: "filter",
    short: "f",
    type: "stringArray",
    valueName: "filter",
    description: "Filter output based on conditions provided",
  },
  { name: "format", type: "string", description: FORMAT_HELP },
  { name: "since", type: "string", description: "Show all events created since timestamp" },
  { name: "until", type: "string", description: "Stream events until this timestamp" },
]);

/** Parses --format and tries it on an empty event, as docker does, so a bad template fails before streaming. */
function makeTemplate(format: string): Template | undefined {
  if (format === "") return undefined;
  const template = compileTemplate(format === "json" ? "{{json .}}" : format);
  template.execute(eventView({}));
  return template;
}

/** Streams events until --until passes or the process is interrupted (Ctrl-C exits 130, as docker's does). */
export const eventsCommand = defineCommand({
  path: "system events",
  aliases: ["events"],
  usage: "[OPTIONS]",
  description: "Get real time events from the server",
  flags: FLAGS,
  args: { max: 0 },
  async run(ctx, { flags }) {
    let template: Template | undefined;
    try {
      template = makeTemplate(flags.format);
    } catch (err) {
      ctx.stderr.write(`Error parsing format: ${errorMessage(err)}\n`);
      return 64;
    }
    const badFilter = flags.filter.find((pair) => !pair.includes("="));
    if (badFilter !== undefined) {
      const err = invalidFlagValue(FLAGS[0], badFilter, "bad format of filter (expected name=value)");
      ctx.stderr.write(`${usageErrorText(err, usageOf(eventsCommand))}\n`);
      return 125;
    }
    let since: string | undefined;
    let until: string | undefined;
    try {
      const now = new Date();
      if (flags.since !== "") since = parseTimestampArg(flags.since, now);
      if (flags.until !== "") until = parseTimestampArg(flags.until, now);
    } catch (err) {
      ctx.stderr.write(`${errorMessage(err)}\n`);
      return 1;
    }
    const stream = events(await ctx.client(), { since, until, filters: filtersFromPairs(flags.filter) });
    for await (const event of stream) {
      if (!template) {
        ctx.stdout.write(eventLine(event));
        continue;
      }
      let out: string;
      try {
        out = template.execute(eventView(event));
      } catch (err) {
        ctx.stdout.write("\n");
        ctx.stderr.write(`${errorMessage(err)}\n`);
        return 1;
      }
      ctx.stdout.write(`${out}\n`);
    }
    return 0;
  },
});
