/**
 * POST /build (the legacy builder's protocol): the request body is the build context as a tar
 * (optionally compressed). It is synced into a kept context directory (context-slots.ts; only what
 * differs from the last build's context is written), or extracted under tmp/ when none is free;
 * the Dockerfile and .dockerignore are read from it, the builder runs, and the result is tagged.
 * Progress goes out as legacy JSON messages.
 */
import { randomBytes } from "node:crypto";
import { promises as fs, constants as fsConstants } from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import type { AuthConfig } from "../../api/types/registry-auth.js";
import { BuildCache } from "../../builder/cache/index.js";
import { ContextFilter, parseDockerignore } from "../../builder/context/index.js";
import { lintDockerfile } from "../../builder/dockerfile/index.js";
import { type BuildBackend, cleanSource, executeBuild, forgetDigests } from "../../builder/exec/index.js";
import { applyLayer, decompressStream, syncTree } from "../../image/archive/index.js";
import { errnoCode, invalidArgument } from "../../lib/errors.js";
import { parsePlatform, type PlatformSpec } from "../../oci/platform.js";
import { familiarString, parseReference, withDefaultTag } from "../../oci/reference.js";
import { type PullFn, pullingBackend } from "./base-images.js";
import {
  type ContextLease,
  type ContextSlots,
  contextSlotKey,
  isClientDockerfileName,
} from "./context-slots.js";

export interface BuildDeps {
  backend: BuildBackend;
  cache: BuildCache;
  /** Scratch space (contexts are extracted here when no kept context is free). */
  tmpDir: string;
  /** Kept contexts that a context tar is synced into. */
  contexts?: ContextSlots;
  /** Pulls an image the build names but the store lacks (or every one, with --pull). */
  pull?: PullFn;
}

export interface BuildOptions {
  tags: string[];
  /** The Dockerfile's path in the context ("Dockerfile"). */
  dockerfile: string;
  buildArgs: Record<string, string>;
  labels: Record<string, string>;
  target?: string;
  noCache: boolean;
  quiet: boolean;
  /** berth: print the cache decision table. */
  explain?: boolean;
  /** berth: run the build checks only; warnings make the build fail. */
  checkOnly?: boolean;
  /** berth: `RUN --mount=type=secret` values by id. */
  secrets?: Record<string, Buffer>;
  /** berth, local clients: the context directory itself (no tar body). */
  contextPath?: string;
  /** --pull: pull every image the build names, even those already here. */
  pull?: boolean;
  /** --platform: the platform the image is for ("linux/amd64"). */
  platform?: string;
  /** X-Registry-Config: credentials by registry address, for pulls. */
  registryAuth?: Record<string, AuthConfig>;
}

/** One legacy build message. */
export type BuildMessage = { stream: string } | { aux: { ID: string } };

const PLATFORM = {
  os: "linux",
  architecture: process.arch === "x64" ? "amd64" : process.arch === "ia32" ? "386" : process.arch,
};

/** Opens the build cache under <data-root>/builder/cache. */
export function openBuildCache(dataRoot: string): Promise<BuildCache> {
  return BuildCache.open(path.join(dataRoot, "builder", "cache"));
}

/**
 * The local fast path: the client's own directory. Only clients of the root-only unix socket can
 * name one, and they could bind-mount any host path into a container anyway: reading it gives
 * them nothing new. The directory is only read (COPY sources, bind-mount copies).
 */
async function localContextDir(dir: string): Promise<string> {
  const st = await fs.stat(dir).catch(() => undefined);
  if (!st?.isDirectory()) throw invalidArgument(`berthcontext: ${dir} is not a directory`);
  await fs.access(dir, fsConstants.R_OK | fsConstants.X_OK);
  return fs.realpath(dir);
}

/**
 * The context tar into a directory: synced into a kept context when one is free, else extracted
 * into `scratch` (a fresh directory). The lease, if any, is the caller's to release.
 */
async function receiveContext(
  deps: BuildDeps,
  context: Readable,
  opts: BuildOptions,
  scratch: string,
): Promise<{ dir: string; lease?: ContextLease }> {
  const tar = await decompressStream(context);
  const lease = await deps.contexts?.acquire(contextSlotKey(opts.tags, opts.dockerfile));
  if (!lease) {
    await fs.mkdir(scratch, { recursive: true });
    await applyLayer(tar, scratch);
    return { dir: scratch };
  }
  try {
    const r = await syncTree(tar, lease.dir);
    // Checksums are remembered by path and inode: drop those of every path the sync touched.
    forgetDigests(r.rewritten, r.removedDirs);
    await lease.ready();
    return { dir: lease.dir, lease };
  } catch (err) {
    forgetDigests([], [lease.dir]);
    await lease.discard();
    lease.release();
    throw err;
  }
}

/** The build checks as legacy stream text (with the line and the fix), and their error. */
function runChecks(dockerfile: string, file: string, opts: BuildOptions) {
  const report = lintDockerfile(dockerfile, { file, ...(opts.target ? { target: opts.target } : {}) });
  const text = report.warnings
    .map((w) => `[Warning] ${file}:${w.line}: ${w.code}: ${w.message}\n          fix: ${w.fix}\n`)
    .join("");
  return { warnings: report.warnings, text, error: report.error };
}

export async function buildImage(
  deps: BuildDeps,
  context: Readable,
  opts: BuildOptions,
  emit: (m: BuildMessage) => void,
  signal?: AbortSignal,
): Promise<string> {
  const names = opts.tags.map((t) => withDefaultTag(parseReference(t)));
  for (const n of names)
    if (n.digest) throw invalidArgument(`invalid tag ${familiarString(n)}: a tag cannot have a digest`);
  let targetPlatform: PlatformSpec | undefined;
  if (opts.platform) {
    try {
      targetPlatform = parsePlatform(opts.platform, PLATFORM);
    } catch (err) {
      throw invalidArgument(
        `invalid --platform ${JSON.stringify(opts.platform)}: ${(err as Error).message}`,
        err,
      );
    }
  }
  const work = path.join(deps.tmpDir, `build-${randomBytes(8).toString("hex")}`);
  let contextDir = path.join(work, "context");
  let lease: ContextLease | undefined;
  await fs.mkdir(work, { recursive: true });
  try {
    if (opts.contextPath) {
      contextDir = await localContextDir(opts.contextPath);
      context.resume();
    } else ({ dir: contextDir, lease } = await receiveContext(deps, context, opts, contextDir));
    // On the local path the Dockerfile may lie outside the context: an absolute path, read as is.
    const external = opts.contextPath !== undefined && path.isAbsolute(opts.dockerfile);
    const dockerfileRel = external ? opts.dockerfile : cleanSource(opts.dockerfile || "Dockerfile", false);
    const dockerfilePath = external ? dockerfileRel : path.join(contextDir, dockerfileRel);
    let dockerfile: string;
    try {
      dockerfile = await fs.readFile(dockerfilePath, "utf8");
    } catch (err) {
      if (errnoCode(err) === "ENOENT")
        throw invalidArgument(`Cannot locate specified Dockerfile: ${dockerfileRel}`);
      throw err;
    }
    // <Dockerfile>.dockerignore beside the Dockerfile wins over .dockerignore.
    const specific = `${dockerfilePath}.dockerignore`;
    const ignorePath = (await fs.stat(specific).catch(() => undefined))
      ? specific
      : path.join(contextDir, ".dockerignore");
    const ignoreFile = external ? ".dockerignore" : path.relative(contextDir, ignorePath);
    const ignoreText = await fs.readFile(ignorePath, "utf8").catch(() => "");
    const filter = new ContextFilter(parseDockerignore(ignoreText), {
      dockerfile: dockerfileRel,
      ignoreFile,
    });
    const write = opts.quiet ? () => {} : (text: string) => emit({ stream: text });
    // A Dockerfile the client brought from outside the context has a random name in the tar
    // (`.dockerfile.<hex>`): messages call it "Dockerfile", as the user knows it.
    const shownName = isClientDockerfileName(dockerfileRel) ? "Dockerfile" : dockerfileRel;
    const checks = runChecks(dockerfile, shownName, opts);
    const warned = checks.warnings.length;
    write(checks.text);
    if (opts.checkOnly) {
      if (warned > 0 || checks.error)
        throw (
          checks.error ?? invalidArgument(`${warned} build check warning${warned === 1 ? "" : "s"} found`)
        );
      emit({ stream: "Check complete, no warnings found.\n" });
      return "";
    }
    if (checks.error) throw checks.error;
    const backend = deps.pull
      ? pullingBackend(deps.backend, deps.pull, {
          always: opts.pull === true,
          registryAuth: opts.registryAuth ?? {},
          write,
        })
      : deps.backend;
    const id = await executeBuild(backend, deps.cache, {
      dockerfile,
      dockerfileName: shownName,
      contextDir,
      // An excluded directory an exception reaches into is entered ("logs" then "!logs/keep.log").
      exclude: (rel, isDir) => filter.matches(rel) && !(isDir && filter.mightMatchBelow(rel)),
      buildArgs: opts.buildArgs,
      ...(opts.target ? { target: opts.target } : {}),
      noCache: opts.noCache,
      labels: opts.labels,
      platform: PLATFORM,
      ...(targetPlatform ? { targetPlatform } : {}),
      write,
      scratchDir: work,
      ...(opts.secrets ? { secrets: opts.secrets } : {}),
      ...(opts.explain ? { explain: true } : {}),
      ...(signal ? { signal } : {}),
    });
    const formatted = names.map((n) => familiarString(n));
    await deps.backend.tag(id, formatted);
    emit({ aux: { ID: id } });
    if (opts.quiet) emit({ stream: `${id}\n` });
    else {
      write(`Successfully built ${id.replace(/^sha256:/, "").slice(0, 12)}\n`);
      for (const n of formatted) write(`Successfully tagged ${n}\n`);
    }
    return id;
  } finally {
    lease?.release();
    await fs.rm(work, { recursive: true, force: true });
  }
}
