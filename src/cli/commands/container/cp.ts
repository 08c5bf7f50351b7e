import { promises as fs } from "node:fs";
import { pipeline } from "node:stream/promises";
import type { ApiClient } from "../../../api/client/client.js";
import {
  GO_MODE_DIR,
  GO_MODE_SYMLINK,
  getArchive,
  putArchive,
  statPath,
} from "../../../api/client/containers.js";
import { type CliContext, defineCommand } from "../../command.js";
import { defineFlags } from "../../flags.js";
import { humanSize } from "../../formatter/units.js";
import {
  type CopyInfo,
  dirName,
  joinPath,
  prepareArchiveCopy,
  rebaseEntryName,
  rebaseNameFor,
  resolveLocalPath,
  splitCpArg,
  splitPathDirEntry,
} from "./_cp-paths.js";
import { errorLine } from "./_shared.js";

const FLAGS = defineFlags([
  { name: "archive", short: "a", type: "bool", description: "Archive mode (copy all uid/gid information)" },
  { name: "follow-link", short: "L", type: "bool", description: "Always follow symbol link in SRC_PATH" },
  {
    name: "quiet",
    short: "q",
    type: "bool",
    description:
      "Suppress progress output during copy. Progress output is automatically suppressed if no terminal is attached",
  },
]);

interface CopyOptions {
  readonly container: string;
  readonly src: string;
  readonly dst: string;
  readonly followLink: boolean;
  readonly copyUidGid: boolean;
  readonly quiet: boolean;
}

const isDirMode = (mode: number) => (mode & GO_MODE_DIR) !== 0;
const isLinkMode = (mode: number) => (mode & GO_MODE_SYMLINK) !== 0;

/** ValidateOutputPath: the parent must exist; an existing target must be a directory or a file. */
async function validateOutputPath(path: string): Promise<void> {
  const dir = dirName(path);
  if (!(await fs.stat(dir).catch(() => undefined))) {
    throw new Error(`invalid output path: directory ${JSON.stringify(dir)} does not exist`);
  }
  const st = await fs.stat(path).catch(() => undefined);
  if (st && !st.isDirectory() && !st.isFile()) {
    throw new Error(`invalid output path: ${JSON.stringify(path)} must be a directory or a regular file`);
  }
}

async function copyFromContainer(ctx: CliContext, client: ApiClient, o: CopyOptions): Promise<void> {
  const dst = o.dst === "-" ? "-" : resolveLocalPath(process.cwd(), o.dst);
  if (dst !== "-") await validateOutputPath(dst);
  let src = o.src;
  let rebaseName: string | undefined;
  if (o.followLink) {
    const st = await statPath(client, o.container, src).catch(() => undefined);
    if (st && isLinkMode(st.mode)) {
      const target = st.linkTarget.startsWith("/")
        ? st.linkTarget
        : joinPath(splitPathDirEntry(src)[0], st.linkTarget);
      ({ path: src, rebaseName } = rebaseNameFor(src, target));
    }
  }
  const { stream, stat } = await getArchive(client, o.container, src);
  if (dst === "-") {
    await pipeline(stream, ctx.stdout, { end: false });
    return;
  }
  const { destinationInfo, untar } = await import("./_cp-archive.js");
  const srcInfo: CopyInfo = { path: src, exists: true, isDir: isDirMode(stat?.mode ?? 0), rebaseName };
  const plan = prepareArchiveCopy(srcInfo, await destinationInfo(dst));
  let copied = 0;
  await untar(stream, plan.dstDir, {
    rename: (name) => rebaseEntryName(name, plan.rebase),
    onBytes: (n) => {
      copied += n;
    },
  });
  if (!o.quiet) ctx.stderr.write(`Successfully copied ${humanSize(copied)} to ${dst}\n`);
}

async function copyToContainer(ctx: CliContext, client: ApiClient, o: CopyOptions): Promise<void> {
  const src = o.src === "-" ? "-" : resolveLocalPath(process.cwd(), o.src);
  let dstInfo: CopyInfo = { path: o.dst, exists: false, isDir: false };
  let st = await statPath(client, o.container, o.dst).catch(() => undefined);
  if (st && isLinkMode(st.mode)) {
    const target = st.linkTarget.startsWith("/")
      ? st.linkTarget
      : joinPath(splitPathDirEntry(o.dst)[0], st.linkTarget);
    dstInfo = { ...dstInfo, path: target };
    st = await statPath(client, o.container, target).catch(() => undefined);
  }
  if (st) dstInfo = { ...dstInfo, exists: true, isDir: isDirMode(st.mode) };
  const put = { copyUIDGID: o.copyUidGid, noOverwriteDirNonDir: true };
  if (src === "-") {
    if (!dstInfo.isDir) throw new Error(`destination "${o.container}:${o.dst}" must be a directory`);
    await putArchive(client, o.container, dstInfo.path, ctx.stdin, put);
    return;
  }
  // Loaded on use: the tar code is only for cp.
  const { sourceInfo, tarResource } = await import("./_cp-archive.js");
  const srcInfo = await sourceInfo(src, o.followLink);
  const plan = prepareArchiveCopy(srcInfo, dstInfo);
  let copied = 0;
  const tar = tarResource(srcInfo, (name) => rebaseEntryName(name, plan.rebase));
  tar.on("data", (b: Buffer) => {
    copied += b.length;
  });
  await putArchive(client, o.container, plan.dstDir, tar, put);
  if (!o.quiet)
    ctx.stderr.write(`Successfully copied ${humanSize(copied)} to ${o.container}:${dstInfo.path}\n`);
}

export const cpCommand = defineCommand({
  path: "container cp",
  aliases: ["cp"],
  usage: "[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tberth cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH",
  description:
    "Copy files/folders between a container and the local filesystem\n\n" +
    "Use '-' as the source to read a tar archive from stdin\n" +
    "and extract it to a directory destination in a container.\n" +
    "Use '-' as the destination to stream a tar archive of a\n" +
    "container source to stdout.",
  flags: FLAGS,
  args: { min: 2, max: 2 },
  async run(ctx, { flags, args, changed }) {
    const [srcArg, dstArg] = args as [string, string];
    if (srcArg === "" || dstArg === "") {
      ctx.stderr.write(`${srcArg === "" ? "source" : "destination"} can not be empty\n`);
      return 1;
    }
    const from = splitCpArg(srcArg);
    const to = splitCpArg(dstArg);
    if (from.container !== "" && to.container !== "") {
      ctx.stderr.write("copying between containers is not supported\n");
      return 1;
    }
    if (from.container === "" && to.container === "") {
      ctx.stderr.write("must specify at least one container source\n");
      return 1;
    }
    const opts: CopyOptions = {
      container: from.container || to.container,
      src: from.path,
      dst: to.path,
      followLink: flags["follow-link"],
      copyUidGid: flags.archive,
      quiet: changed.has("quiet") ? flags.quiet : !ctx.stdout.isTTY,
    };
    try {
      const client = await ctx.client();
      if (from.container !== "") await copyFromContainer(ctx, client, opts);
      else await copyToContainer(ctx, client, opts);
      return 0;
    } catch (err) {
      ctx.stderr.write(`${errorLine(err)}\n`);
      return 1;
    }
  },
});
