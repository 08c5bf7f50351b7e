import { type ApiClient, ApiError } from "../../../api/client/client.js";
import { inspect } from "../../../api/client/containers.js";
import { inspect as inspectImage } from "../../../api/client/images.js";
import { errorMessage } from "../../../lib/errors.js";
import { type CliContext, defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { compileTemplate } from "../../formatter/go-template.js";
import { goJSON } from "../../formatter/json.js";
import { INSPECT_FORMAT_HELP } from "./_format-help.js";
import { errorLine, isNotFound } from "./_shared.js";

const TYPES = [
  "config",
  "container",
  "image",
  "network",
  "node",
  "plugin",
  "secret",
  "service",
  "task",
  "volume",
];
const typeList = `"${TYPES.join('", "')}"`;

/** Fills a template once per object ("" and json are handled before). */
function templateRenderer(format: string): (o: unknown) => string {
  const template = compileTemplate(format.replace(/\\n/g, "\n").replace(/\\t/g, "\t"));
  return (o) => template.execute(o);
}

/**
 * docker's inspect output: an indented JSON array (one compact line with "json", or the template
 * once per object), then the errors on stderr; 1 when any name failed, 64 for a template that does not parse.
 */
async function inspectAll(
  ctx: CliContext,
  names: readonly string[],
  format: string,
  lookup: (name: string) => Promise<unknown>,
): Promise<number> {
  let render: ((o: unknown) => string) | undefined;
  if (format !== "" && format !== "json") {
    try {
      render = templateRenderer(format);
    } catch (err) {
      ctx.stderr.write(`template parsing error: ${errorMessage(err)}\n`);
      return 64;
    }
  }
  const found: unknown[] = [];
  const lines: string[] = [];
  const errors: string[] = [];
  for (const name of names) {
    try {
      const object = await lookup(name);
      if (render) lines.push(render(object));
      else found.push(object);
    } catch (err) {
      errors.push(
        render && !(err instanceof ApiError) && !isLookupError(err)
          ? `template parsing error: ${errorMessage(err)}`
          : errorLine(err),
      );
    }
  }
  if (render) ctx.stdout.write(lines.length > 0 ? lines.map((l) => `${l}\n`).join("") : "\n");
  else if (format === "json") ctx.stdout.write(`${goJSON(found)}\n`);
  else ctx.stdout.write(`${JSON.stringify(found, null, 4)}\n`);
  if (errors.length > 0) ctx.stderr.write(`${errors.join("\n")}\n`);
  return errors.length > 0 ? 1 : 0;
}

/** The "No such object" error of the type search (not a template failure). */
class LookupError extends Error {}
const isLookupError = (err: unknown) => err instanceof LookupError;

const FORMAT_FLAG = { name: "format", short: "f", type: "string", description: INSPECT_FORMAT_HELP } as const;

export const containerInspectCommand = defineCommand({
  path: "container inspect",
  usage: "[OPTIONS] CONTAINER [CONTAINER...]",
  description: "Display detailed information on one or more containers",
  flags: defineFlags([
    FORMAT_FLAG,
    { name: "size", short: "s", type: "bool", description: "Display total file sizes" },
  ]),
  args: { min: 1 },
  async run(ctx, { flags, args }) {
    const client = await ctx.client();
    return inspectAll(ctx, args, flags.format, (name) => inspect(client, name, { size: flags.size }));
  },
});

/** An error that lets `inspect` go on to the next object type (docker's isErrSkippable). */
function skippable(err: unknown): boolean {
  const message = err instanceof Error ? err.message : "";
  return isNotFound(err) || message.includes("not supported") || message.includes("invalid reference format");
}

type Lookup = (client: ApiClient, name: string, size: boolean) => Promise<unknown>;

/** The object types berth serves, in docker's search order. */
const LOOKUPS: readonly (readonly [string, Lookup])[] = [
  ["container", (client, name, size) => inspect(client, name, { size })],
  ["image", (client, name) => inspectImage(client, name)],
  ["network", (client, name) => client.json("GET", `/networks/${encodeURIComponent(name)}`)],
  ["volume", (client, name) => client.json("GET", `/volumes/${encodeURIComponent(name)}`)],
];

export const inspectCommand = defineCommand({
  path: "inspect",
  usage: "[OPTIONS] NAME|ID [NAME|ID...]",
  description: "Return low-level information on Docker objects",
  flags: defineFlags([
    FORMAT_FLAG,
    {
      name: "size",
      short: "s",
      type: "bool",
      description: "Display total file sizes if the type is container",
    },
    { name: "type", type: "string", description: "Only inspect objects of the given type" },
  ]),
  args: { min: 1 },
  async run(ctx, { flags, args, changed }) {
    const type = flags.type;
    if (changed.has("type") && type === "") {
      ctx.stderr.write(`type is empty: must be one of ${typeList}\n`);
      return 1;
    }
    if (type !== "" && !TYPES.includes(type)) {
      ctx.stderr.write(`unknown type: ${JSON.stringify(type)}: must be one of ${typeList}\n`);
      return 1;
    }
    const client = await ctx.client();
    return inspectAll(ctx, args, flags.format, async (name) => {
      for (const [objectType, lookup] of LOOKUPS) {
        if (type !== "" && objectType !== type) continue;
        try {
          const found = await lookup(client, name, flags.size);
          if (flags.size && objectType !== "container") {
            ctx.stderr.write(`WARNING: --size ignored for ${objectType}\n`);
          }
          return found;
        } catch (err) {
          if (type === "" && skippable(err)) continue;
          throw err;
        }
      }
      throw new LookupError(`Error: No such object: ${name}`);
    });
  },
});
