/**
 * COPY and ADD steps: sources from the context, a stage or an image (`--from`), heredoc sources
 * (`COPY <<EOF /path`), ADD of HTTP(S) URLs (`--checksum`) and of Git repositories, local tars
 * extracted by ADD, and the flags `--chown`, `--chmod`, `--link` (same result as without: berth
 * always writes the files on top of the parent), `--parents` and `--exclude`.
 */
import { createHash, randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { invalidArgument } from "../../lib/errors.js";
import { manifestDigest, type SourceManifest } from "../cache/cache-key.js";
import { PatternMatcher } from "../context/index.js";
import type { ResolvedStage, StageCommand } from "../dockerfile/index.js";
import { addSourceKind } from "../dockerfile/index.js";
import { checkoutGit, parseGitSource, resolveGitCommit } from "./add-git.js";
import { downloadUrl } from "./add-url.js";
import { DEFAULT_SHELL, nopCreatedBy } from "./apply-metadata.js";
import { type Build, imageOfSource, type Step, short } from "./build-state.js";
import { copyInto, mkdirAll, resolveOwner } from "./copy-files.js";
import { applyCopyPatch, planCopyPatch } from "./copy-patch.js";
import { type Exclude, type FoundSource, findSources, sourceManifest } from "./sources.js";
import type { StageState } from "./stage-state.js";

type CopyCommand = Extract<StageCommand, { kind: "COPY" | "ADD" }>;

/** `--exclude` patterns (dockerignore syntax) and .dockerignore as one predicate. */
function excluder(patterns: readonly string[], base?: Exclude): Exclude | undefined {
  if (patterns.length === 0) return base;
  const m = new PatternMatcher(patterns);
  return (rel, isDir) => (base?.(rel, isDir) ?? false) || m.matches(rel);
}

/** Where one heredoc/URL file lands: `dest/name` when dest is a directory, else dest. */
function fileDest(dest: string, workdir: string, name: string, many: boolean): string {
  const abs = dest.startsWith("/") ? dest : path.posix.join(workdir || "/", dest);
  return dest.endsWith("/") || many ? path.posix.join(abs, name) : abs;
}

async function writeFileIn(
  root: string,
  containerPath: string,
  data: Buffer,
  meta: { mode: number; uid: number; gid: number; mtime?: Date },
): Promise<void> {
  const dir = await mkdirAll(root, path.posix.dirname(containerPath));
  const host = path.join(dir, path.posix.basename(containerPath));
  const st = await fs.lstat(host).catch(() => undefined);
  if (st?.isDirectory()) throw invalidArgument(`cannot write ${containerPath}: a directory is in the way`);
  if (st) await fs.rm(host, { force: true });
  await fs.writeFile(host, data);
  await fs.chown(host, meta.uid, meta.gid);
  await fs.chmod(host, meta.mode);
  if (meta.mtime) await fs.utimes(host, meta.mtime, meta.mtime);
}

/** `--parents`: each source lands at dest/<its path in the context>. */
function parentsDest(dest: string, rel: string): string {
  const d = rel.includes("/") ? path.posix.join(dest, path.posix.dirname(rel)) : dest;
  return d.endsWith("/") ? d : `${d}/`;
}

export async function planCopy(
  b: Build,
  r: ResolvedStage,
  st: StageState,
  cmd: CopyCommand,
  step: Step,
): Promise<void> {
  const srcs = cmd.sources.map((s) => st.scope.expandWord(s));
  const dest = st.scope.expandWord(cmd.dest);
  const chown = cmd.chown ? st.scope.expandWord(cmd.chown) : "";
  const chmod = cmd.chmod ? Number.parseInt(cmd.chmod, 8) : undefined;
  if (chmod !== undefined && (Number.isNaN(chmod) || chmod > 0o7777))
    throw invalidArgument(`invalid chmod ${cmd.chmod}`);
  const excludes = cmd.excludes.map((e) => st.scope.expandWord(e));
  const parents = cmd.kind === "COPY" && cmd.parents;
  const flags = [
    chown ? ` --chown=${chown}` : "",
    cmd.chmod ? ` --chmod=${cmd.chmod}` : "",
    parents ? " --parents" : "",
    ...excludes.map((e) => ` --exclude=${e}`),
  ].join("");
  const workdir = step.config.WorkingDir || "/";
  const shell = st.config.config?.Shell ?? DEFAULT_SHELL;
  const urls = cmd.kind === "ADD" ? srcs.filter((s) => addSourceKind(s) !== "local") : [];
  const locals = srcs.filter((s) => !urls.includes(s));
  const gits = urls.filter((u) => addSourceKind(u) === "git");
  if (gits.length > 0) {
    if (srcs.length !== 1 || cmd.inline.length > 0)
      throw invalidArgument(`ADD of a Git repository takes it as the only source (${gits[0]})`);
    return planAddGit(b, step, cmd as CopyCommand & { kind: "ADD" }, gits[0]!, { dest, chown, chmod, flags });
  }
  const inline = cmd.inline.map((f) => ({
    name: f.path,
    data: Buffer.from(f.expand ? st.scope.expandHeredoc(f.data) : f.data),
  }));
  const many = srcs.length + inline.length > 1;
  if (many && !dest.endsWith("/"))
    throw invalidArgument(
      `When using ${cmd.kind} with more than one source file, the destination must be a directory and end with a /`,
    );
  const from = cmd.kind === "COPY" && cmd.from ? await fromImage(b, r, cmd) : undefined;

  // Heredocs and URLs are files known before the step runs: their content is part of the key.
  const files: { name: string; data: Buffer; mode: number; mtime?: Date }[] = inline.map((f) => ({
    ...f,
    mode: 0o644,
  }));
  for (const u of urls) {
    const got = await downloadUrl(u, cmd.kind === "ADD" ? cmd.checksum : "", b.req.signal);
    files.push({ name: got.name, data: got.data, mode: 0o600, ...(got.mtime ? { mtime: got.mtime } : {}) });
  }
  const manifest: SourceManifest = {};
  for (const f of files) {
    const digest = createHash("sha256").update(f.data).digest("hex");
    manifest[`<<${f.name}`] = { type: "file", mode: f.mode, uid: 0, gid: 0, digest };
  }

  const exclude = excluder(excludes, from ? undefined : b.req.exclude);
  const copyLocal = async (root: string, found: FoundSource[]) => {
    const owner = chown ? await resolveOwner(root, chown) : undefined;
    const opts = {
      workdir,
      ...(owner ? { owner } : {}),
      ...(chmod !== undefined ? { chmod } : {}),
      extractArchives: cmd.kind === "ADD",
      ...(exclude ? { exclude } : {}),
    };
    if (parents) {
      for (const s of found) await copyInto(root, [s], { ...opts, dest: parentsDest(dest, s.rel) });
    } else if (found.length > 0) await copyInto(root, found, { ...opts, dest });
    for (const f of files) {
      await writeFileIn(root, fileDest(dest, workdir, f.name, many), f.data, {
        mode: chmod ?? f.mode,
        uid: owner?.uid ?? 0,
        gid: owner?.gid ?? 0,
        ...(f.mtime ? { mtime: f.mtime } : {}),
      });
    }
  };
  const findOpts = (what?: string) => ({
    allowAbsolute: from !== undefined,
    ...(exclude ? { exclude } : {}),
    ...(what ? { what } : {}),
  });

  if (from) {
    step.identity.text = `COPY --from=${from}${flags} ${srcs.join(" ")} ${dest} (workdir ${workdir})`;
    step.createdBy = nopCreatedBy(shell, `COPY dir:${short(from)} in ${dest} `);
    step.action = (parent) =>
      b.backend.mutate(parent, (root) =>
        b.backend.view(from, async (src) =>
          copyLocal(root, await findSources(src, locals, findOpts(`image ${short(from)}`))),
        ),
      );
    return;
  }
  const found = locals.length ? await findSources(b.req.contextDir, locals, findOpts()) : [];
  Object.assign(manifest, await sourceManifest(found, exclude));
  step.identity.sources = manifest;
  step.identity.text = `${cmd.kind}${flags} ${[...srcs, ...inline.map((f) => `<<${f.name}`)].join(" ")} ${dest} (workdir ${workdir})`;
  const kind = found.length + files.length === 1 && !found[0]?.stat.isDirectory() ? "file" : "dir";
  const hex = manifestDigest(manifest).slice(7);
  step.createdBy = nopCreatedBy(shell, `${cmd.kind} ${kind}:${hex} in ${dest} `);
  const full = (parent: string | undefined) => b.backend.mutate(parent, (root) => copyLocal(root, found));
  const patch = patchable(b, step, cmd, { chown, parents, files: files.length, found });
  step.action = !patch
    ? full
    : async (parent) => {
        const plan = planCopyPatch(patch.sources, manifest, found[0]!.rel);
        const opts = {
          dest,
          workdir,
          ...(chmod !== undefined ? { chmod } : {}),
          ...(exclude ? { exclude } : {}),
        };
        const abs = dest.startsWith("/") ? dest : path.posix.join(workdir, dest);
        const layer = plan
          ? await b.backend.patch!(parent, patch.imageId, (layerDir, lowers) =>
              applyCopyPatch(layerDir, lowers, abs, found[0]!.rel, found[0]!.abs, plan, opts),
            )
          : undefined;
        if (!layer || !plan) return full(parent);
        const n = (k: keyof typeof plan) => plan[k].length;
        b.req.write(
          ` ---> Patched the layer of ${short(patch.imageId)}: ${n("changed")} changed, ${n("added")} added, ${n("removed")} removed\n`,
        );
        return layer;
      };
}

/**
 * ADD <git repository>: keyed by the commit the ref resolves to (so a moved branch misses and
 * explains itself as a changed source); the clone happens only when the step runs.
 */
async function planAddGit(
  b: Build,
  step: Step,
  cmd: CopyCommand & { kind: "ADD" },
  url: string,
  o: { dest: string; chown: string; chmod: number | undefined; flags: string },
): Promise<void> {
  const src = parseGitSource(url);
  const commit = await resolveGitCommit(src, b.req.signal);
  const keepGitDir = cmd.keepGitDir === true;
  const workdir = step.config.WorkingDir || "/";
  const shell = step.config.Shell ?? DEFAULT_SHELL;
  const what = `${src.url}#${commit}${src.subdir ? `:${src.subdir}` : ""}${keepGitDir ? " (.git kept)" : ""}`;
  const digest = createHash("sha256").update(what).digest("hex");
  step.identity.sources = { [`<<git ${src.url}`]: { type: "dir", mode: 0o755, uid: 0, gid: 0, digest } };
  step.identity.text = `ADD${o.flags}${keepGitDir ? " --keep-git-dir" : ""} ${url} ${o.dest} (workdir ${workdir})`;
  step.createdBy = nopCreatedBy(shell, `ADD git:${commit} in ${o.dest} `);
  step.action = (parent) =>
    b.backend.mutate(parent, async (root) => {
      const scratch = path.join(b.req.scratchDir ?? os.tmpdir(), `git-${randomBytes(6).toString("hex")}`);
      try {
        b.req.write(` ---> git ${src.url} at ${commit.slice(0, 12)}\n`);
        const from = await checkoutGit(src, commit, scratch, {
          keepGitDir,
          ...(b.req.signal ? { signal: b.req.signal } : {}),
        });
        const owner = o.chown ? await resolveOwner(root, o.chown) : undefined;
        const dest = o.dest.endsWith("/") ? o.dest : `${o.dest}/`;
        await copyInto(root, await findSources(from, ["."]), {
          dest,
          workdir,
          ...(owner ? { owner } : {}),
          ...(o.chmod !== undefined ? { chmod: o.chmod } : {}),
        });
      } finally {
        await fs.rm(scratch, { recursive: true, force: true });
      }
    });
}

/**
 * The previous run of this very COPY (same parent step, same expanded text) when the step may
 * start from its layer: one directory from the context, no --chown, --parents or heredocs.
 */
function patchable(
  b: Build,
  step: Step,
  cmd: CopyCommand,
  o: { chown: string; parents: boolean; files: number; found: FoundSource[] },
): { imageId: string; sources: SourceManifest } | undefined {
  if (!b.backend.patch || b.req.noCache || cmd.kind !== "COPY" || o.chown || o.parents || o.files > 0)
    return undefined;
  if (o.found.length !== 1 || !o.found[0]!.stat.isDirectory()) return undefined;
  const prev = b.cache
    .siblings(step.identity)
    .filter((r) => r.text === step.identity.text && r.sources && b.backend.exists(r.imageId))
    .at(-1);
  return prev ? { imageId: prev.imageId, sources: prev.sources! } : undefined;
}

/** The image a COPY --from names. */
async function fromImage(b: Build, r: ResolvedStage, cmd: StageCommand): Promise<string> {
  const dep = r.deps.find((d) => d.instruction === cmd);
  if (!dep) throw invalidArgument("COPY --from names nothing to copy from");
  return imageOfSource(b, dep.source);
}
