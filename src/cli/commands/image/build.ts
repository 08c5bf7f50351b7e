import { promises as fs } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { build } from "../../../api/client/build.js";
import { defineCommand } from "../../command.js";
import { allCredentials } from "../../credentials.js";
import { defineFlags } from "../../flags.js";
import { contextFromDir, contextFromStdin } from "./build-context.js";
import { TtyBuildProgress } from "./build-progress.js";

const FLAGS = defineFlags([
  {
    name: "tag",
    short: "t",
    type: "stringArray",
    description: 'Name and optionally a tag in the "name:tag" format',
  },
  {
    name: "file",
    short: "f",
    type: "string",
    description: 'Name of the Dockerfile (default: "PATH/Dockerfile")',
  },
  { name: "build-arg", type: "stringArray", description: "Set build-time variables" },
  { name: "label", type: "stringArray", description: "Set metadata for an image" },
  { name: "target", type: "string", description: "Set the target build stage to build" },
  { name: "no-cache", type: "bool", description: "Do not use cache when building the image" },
  { name: "pull", type: "bool", description: "Always attempt to pull a newer version of the image" },
  {
    name: "platform",
    type: "string",
    description: 'Set platform if server is multi-platform capable ("linux/amd64")',
  },
  {
    name: "quiet",
    short: "q",
    type: "bool",
    description: "Suppress the build output and print image ID on success",
  },
  { name: "iidfile", type: "string", description: "Write the image ID to the file" },
  {
    name: "secret",
    type: "stringArray",
    description:
      'Secret to expose to the build (format: "id=mysecret[,src=/local/secret]" or "id=x,env=VAR")',
  },
  {
    name: "explain",
    type: "bool",
    description: "Print the cache decision of every step (key inputs and reason)",
  },
  { name: "check", type: "bool", description: "Run the build checks only; exit non-zero on warnings" },
  {
    name: "progress",
    type: "string",
    description: 'Set type of progress output ("auto", "plain", "tty")',
  },
]);

/** --secret id=x,src=file | id=x,env=VAR | id=x (the env var X, else the file x). */
async function readSecrets(specs: readonly string[]): Promise<Record<string, Buffer>> {
  const out: Record<string, Buffer> = {};
  for (const spec of specs) {
    const kv = new Map<string, string>();
    for (const part of spec.split(",")) {
      const eq = part.indexOf("=");
      if (eq < 0) throw new Error(`invalid --secret ${spec}: want key=value pairs`);
      kv.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1));
    }
    const id = kv.get("id");
    if (!id) throw new Error(`invalid --secret ${spec}: id= is required`);
    const src = kv.get("src") ?? kv.get("source");
    const env = kv.get("env");
    if (env !== undefined) {
      if (process.env[env] === undefined)
        throw new Error(`--secret ${spec}: environment variable ${env} is not set`);
      out[id] = Buffer.from(process.env[env]!);
    } else if (src !== undefined) out[id] = await fs.readFile(src);
    else if (process.env[id] !== undefined) out[id] = Buffer.from(process.env[id]!);
    else out[id] = await fs.readFile(id);
  }
  return out;
}

function keyValues(list: readonly string[], fromEnv: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list) {
    const eq = kv.indexOf("=");
    if (eq >= 0) out[kv.slice(0, eq)] = kv.slice(eq + 1);
    else if (!fromEnv) out[kv] = "";
    else if (process.env[kv] !== undefined) out[kv] = process.env[kv]!;
  }
  return out;
}

export const imageBuildCommand = defineCommand({
  path: "image build",
  aliases: ["build"],
  usage: "[OPTIONS] PATH | -",
  description: "Build an image from a Dockerfile",
  flags: FLAGS,
  args: { min: 1, max: 1 },
  async run(ctx, { flags, args }) {
    const source = args[0]!;
    let dockerfile: string | undefined;
    /** A Dockerfile from outside the context directory (or stdin with -f -), sent with the context. */
    let external: { name: string; content: Buffer; path?: string } | undefined;
    if (flags.file && source !== "-") {
      if (flags.file === "-") {
        const chunks: Buffer[] = [];
        for await (const c of ctx.stdin) chunks.push(Buffer.from(c as Buffer));
        external = { name: `.dockerfile.${randomBytes(10).toString("hex")}`, content: Buffer.concat(chunks) };
      } else {
        const rel = path.relative(path.resolve(source), path.resolve(flags.file));
        if (rel.startsWith("..") || path.isAbsolute(rel)) {
          const file = path.resolve(flags.file);
          let content: Buffer;
          try {
            content = await fs.readFile(file);
          } catch (err) {
            ctx.stderr.write(`berth build: reading the Dockerfile: ${(err as Error).message}\n`);
            return 1;
          }
          external = { name: `.dockerfile.${randomBytes(10).toString("hex")}`, content, path: file };
        } else dockerfile = rel.split(path.sep).join("/");
      }
    } else if (flags.file === "-") {
      ctx.stderr.write("berth build: -f - needs a context directory (the Dockerfile comes from stdin)\n");
      return 1;
    }
    let secrets: Record<string, Buffer>;
    try {
      secrets = await readSecrets(flags.secret);
    } catch (err) {
      ctx.stderr.write(`berth build: ${(err as Error).message}\n`);
      return 125;
    }
    const client = await ctx.client();
    // Same host (unix socket): the daemon reads the directory itself, nothing is tarred.
    // A Dockerfile from stdin has no path the daemon could read: it travels in the tar.
    const local =
      source !== "-" &&
      client.host.startsWith("unix://") &&
      !process.env.BERTH_BUILD_NO_LOCAL_CONTEXT &&
      (external === undefined || external.path !== undefined);
    const mode = flags.progress || "auto";
    const tty = !flags.quiet && (mode === "tty" || (mode === "auto" && ctx.stdout.isTTY === true));
    const progress = tty ? new TtyBuildProgress(ctx.stdout) : undefined;
    const show = (text: string) => (progress ? progress.push(text) : ctx.stdout.write(text));
    const opts = {
      tags: flags.tag,
      ...(dockerfile ? { dockerfile } : {}),
      buildArgs: keyValues(flags["build-arg"], true),
      labels: keyValues(flags.label, false),
      ...(flags.target ? { target: flags.target } : {}),
      noCache: flags["no-cache"],
      pull: flags.pull,
      ...(flags.platform ? { platform: flags.platform } : {}),
      registryConfig: await allCredentials(),
      quiet: flags.quiet,
      explain: flags.explain,
      check: flags.check,
      secrets,
    };
    const attempt = async (useLocal: boolean): Promise<{ id: string; code: number; retry?: boolean }> => {
      const context = useLocal
        ? undefined
        : source === "-"
          ? await contextFromStdin(ctx.stdin)
          : contextFromDir(source, external?.name ?? dockerfile ?? "Dockerfile", external);
      const named = external ? (useLocal ? external.path : external.name) : dockerfile;
      let id = "";
      for await (const msg of build(client, context, {
        ...opts,
        ...(named ? { dockerfile: named } : {}),
        ...(useLocal ? { contextPath: path.resolve(source) } : {}),
      })) {
        if (msg.errorDetail || msg.error) {
          const text = msg.errorDetail?.message ?? msg.error ?? "";
          if (useLocal && text.startsWith("berthcontext:")) return { id, code: 0, retry: true };
          progress?.finish();
          ctx.stderr.write(`${text}\n`);
          return { id, code: msg.errorDetail?.code || 1 };
        }
        if (typeof msg.aux?.ID === "string") id = msg.aux.ID;
        else if (msg.stream && !flags.quiet) show(msg.stream);
      }
      progress?.finish();
      return { id, code: 0 };
    };
    let result = await attempt(local);
    if (result.retry) result = await attempt(false);
    if (result.code !== 0) return result.code;
    const id = result.id;
    if (flags.check) return 0;
    if (flags.quiet) ctx.stdout.write(`${id}\n`);
    if (flags.iidfile) await fs.writeFile(flags.iidfile, id);
    return 0;
  },
});
