/**
 * RUN steps: the argv (shell or exec form, heredocs), `--network`, and `RUN --mount`:
 *
 *   type=cache   a persistent directory per id (default: the target) kept by the backend
 *   type=bind    a copy of a context path (.dockerignore applied) or of a path in a stage/image
 *   type=tmpfs   a tmpfs
 *   type=secret  a file (default /run/secrets/<id>) or an environment variable (env=)
 *
 * Mount content never reaches the layer: the backend mounts them over the container's rootfs and
 * drops the mount points it had to create. The cache key counts each mount's kind, target and
 * options, a context bind's content checksum and a from= image's id; never cache or secret content.
 */
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { invalidArgument, notFound } from "../../lib/errors.js";
import type { SourceManifest } from "../cache/cache-key.js";
import type { ResolvedStage, RunMount, StageCommand } from "../dockerfile/index.js";
import { parseMount } from "../dockerfile/index.js";
import { runArgv } from "./apply-metadata.js";
import type { RunMountSpec } from "./backend.js";
import { type Build, imageOfSource, type Step, short } from "./build-state.js";
import { resolveInRoot } from "./copy-files.js";
import { RunStepError } from "./errors.js";
import { heredocRunArgv } from "./run-heredoc.js";
import { type Exclude, findSources, sourceManifest } from "./sources.js";
import type { StageState } from "./stage-state.js";

type RunCommand = Extract<StageCommand, { kind: "RUN" }>;

/** A mount with its values expanded and its from= image resolved. */
interface PlannedMount {
  m: RunMount;
  target: string;
  image?: string;
}

function absTarget(target: string, workdir: string): string {
  return path.posix.resolve(workdir || "/", target);
}

async function planMounts(b: Build, r: ResolvedStage, st: StageState, cmd: RunCommand, workdir: string) {
  const planned: PlannedMount[] = [];
  const sources: SourceManifest = {};
  for (const raw of cmd.mounts) {
    const m = raw.unexpanded ? parseMount(raw.raw, { expand: (w) => st.scope.expandWord(w) }) : raw;
    let target = m.target ?? "";
    if (m.type === "secret" && !target && !m.env) target = `/run/secrets/${m.id ?? m.source ?? ""}`;
    if (m.type === "secret" && !m.id) m.id = path.posix.basename(m.target ?? m.source ?? "");
    if (!target && m.type !== "secret") throw invalidArgument(`RUN --mount=${m.raw}: a target is required`);
    const p: PlannedMount = { m, target: target ? absTarget(target, workdir) : "" };
    if (m.type === "bind" || m.type === "cache") {
      if (m.from) {
        // planBuild records one dependency per mount with from=, in order.
        const deps = r.deps.filter((d) => d.instruction === cmd);
        const dep = deps[cmd.mounts.filter((x) => x.from).indexOf(raw)];
        if (!dep) throw invalidArgument(`RUN --mount from=${m.from} names nothing to mount`);
        p.image = await imageOfSource(b, dep.source);
      } else if (m.type === "bind") {
        const exclude = b.req.exclude;
        const found = await findSources(b.req.contextDir, [m.source ?? "."], exclude ? { exclude } : {});
        for (const [k, v] of Object.entries(await sourceManifest(found, exclude)))
          sources[`${p.target}:${k}`] = v;
      }
    }
    planned.push(p);
  }
  return { planned, sources };
}

function describe(p: PlannedMount): string {
  const m = p.m;
  const parts = [`type=${m.type}`, `target=${p.target}`];
  if (p.image) parts.push(`from=${p.image}`);
  if (m.source) parts.push(`source=${m.source}`);
  if (m.id) parts.push(`id=${m.id}`);
  if (m.env) parts.push(`env=${m.env}`);
  if (m.sharing) parts.push(`sharing=${m.sharing}`);
  if (m.readOnly) parts.push("ro");
  if (m.sizeLimit) parts.push(`size=${m.sizeLimit}`);
  for (const k of ["mode", "uid", "gid"] as const) if (m[k] !== undefined) parts.push(`${k}=${m[k]}`);
  if (m.required) parts.push("required");
  return parts.join(",");
}

/** Copies `src` (a file or a tree) to `dst`, leaving out what `exclude` names (relative to `rel`). */
async function copyTree(src: string, dst: string, rel: string, exclude?: Exclude) {
  await fs.cp(src, dst, {
    recursive: true,
    verbatimSymlinks: true,
    ...(exclude
      ? {
          filter: async (s: string) => {
            const r = path.relative(src, s).split(path.sep).join("/");
            const full = rel === "." ? r : r === "" ? rel : `${rel}/${r}`;
            if (full === "" || full === ".") return true;
            return !exclude(full, (await fs.lstat(s)).isDirectory());
          },
        }
      : {}),
  });
}

/** Prepares every mount on the host, runs `fn` with the specs, and releases them all. */
async function withMounts<T>(
  b: Build,
  planned: readonly PlannedMount[],
  fn: (specs: RunMountSpec[], env: string[]) => Promise<T>,
): Promise<T> {
  const scratch = path.join(b.req.scratchDir ?? os.tmpdir(), `run-${randomBytes(6).toString("hex")}`);
  const releases: (() => void)[] = [];
  const specs: RunMountSpec[] = [];
  const env: string[] = [];
  await fs.mkdir(scratch, { recursive: true, mode: 0o700 });
  let n = 0;
  const next = () => path.join(scratch, String(n++));
  const prepare = async (i: number): Promise<T> => {
    if (i === planned.length) return fn(specs, env);
    const { m, target, image } = planned[i]!;
    switch (m.type) {
      case "tmpfs":
        specs.push({
          type: "tmpfs",
          target,
          readOnly: false,
          ...(m.sizeLimit ? { sizeBytes: m.sizeLimit } : {}),
        });
        return prepare(i + 1);
      case "cache": {
        const held = await b.backend.cacheMount(m.id || target, {
          sharing: m.sharing ?? "shared",
          uid: m.uid ?? 0,
          gid: m.gid ?? 0,
          mode: m.mode ?? 0o755,
        });
        releases.push(held.release);
        specs.push({ type: "bind", source: held.dir, target, readOnly: m.readOnly });
        return prepare(i + 1);
      }
      case "secret": {
        const data = b.req.secrets?.[m.id ?? ""];
        if (data === undefined) {
          if (m.required)
            throw notFound(
              `secret ${m.id} is required but was not provided (berth build --secret id=${m.id},src=FILE)`,
            );
          return prepare(i + 1);
        }
        if (m.env) env.push(`${m.env}=${data.toString("utf8")}`);
        if (target) {
          const file = next();
          await fs.writeFile(file, data, { mode: m.mode ?? 0o400 });
          await fs.chown(file, m.uid ?? 0, m.gid ?? 0);
          await fs.chmod(file, m.mode ?? 0o400);
          specs.push({ type: "bind", source: file, target, readOnly: true });
        }
        return prepare(i + 1);
      }
      case "bind": {
        const dst = next();
        const rel = path.posix.normalize(m.source ?? ".").replace(/^\/+/, "") || ".";
        if (image) {
          return b.backend.view(image, async (root) => {
            const src = await resolveInRoot(root, rel);
            await fs.lstat(src).catch(() => {
              throw notFound(`RUN --mount: ${m.source ?? "/"} not found in ${m.from} (${short(image)})`);
            });
            await copyTree(src, dst, rel);
            specs.push({ type: "bind", source: dst, target, readOnly: m.readOnly });
            return prepare(i + 1);
          });
        }
        await copyTree(path.join(b.req.contextDir, rel), dst, rel, b.req.exclude);
        specs.push({ type: "bind", source: dst, target, readOnly: m.readOnly });
        return prepare(i + 1);
      }
      default:
        throw invalidArgument(`RUN --mount=type=${m.type} is not supported by berth`);
    }
  };
  try {
    return await prepare(0);
  } finally {
    for (const release of releases) release();
    await fs.rm(scratch, { recursive: true, force: true });
  }
}

/** Plans a RUN step: argv, cache identity, and the container run with its mounts. */
export async function planRun(
  b: Build,
  r: ResolvedStage,
  st: StageState,
  cmd: RunCommand,
  step: Step,
): Promise<void> {
  const config = step.config;
  const shell = config.Shell ?? ["/bin/sh", "-c"];
  const heredoc =
    cmd.files.length > 0 && cmd.shellForm ? heredocRunArgv(cmd.command, cmd.files, shell) : undefined;
  const argv = heredoc ? heredoc.argv : runArgv(cmd, config);
  const args: Record<string, string> = {};
  for (const name of st.scope.declaredArgs().keys()) {
    const v = st.scope.get(name);
    if (v !== undefined) args[name] = v;
  }
  step.identity.args = args;
  const pairs = Object.entries(args).map(([k, v]) => `${k}=${v}`);
  const shown = heredoc?.script ? [...argv, heredoc.script.data] : argv;
  step.createdBy = pairs.length ? `|${pairs.length} ${pairs.join(" ")} ${shown.join(" ")}` : shown.join(" ");
  const workdir = config.WorkingDir ?? "";
  const { planned, sources } = await planMounts(b, r, st, cmd, workdir);
  const extras = [
    ...planned.map((p) => ` mount(${describe(p)})`),
    ...(cmd.network !== "default" ? [` network=${cmd.network}`] : []),
    ...(heredoc?.script ? [` script=${JSON.stringify(heredoc.script.data)}`] : []),
  ].join("");
  step.identity.text = `RUN ${JSON.stringify(argv)} env=${JSON.stringify(config.Env ?? [])} user=${config.User ?? ""} workdir=${workdir}${extras}`;
  if (Object.keys(sources).length > 0) step.identity.sources = sources;
  step.needsImage = true;
  const env = [...st.scope.runEnv()].map(([k, v]) => `${k}=${v}`);
  step.action = (parent) =>
    withMounts(b, planned, async (specs, secretEnv) => {
      const mounts = [...specs];
      let scriptDir: string | undefined;
      if (heredoc?.script) {
        scriptDir = path.join(b.req.scratchDir ?? os.tmpdir(), `script-${randomBytes(6).toString("hex")}`);
        await fs.mkdir(scriptDir, { recursive: true });
        await fs.writeFile(path.join(scriptDir, "script"), heredoc.script.data, { mode: 0o755 });
        mounts.push({
          type: "bind",
          source: path.join(scriptDir, "script"),
          target: heredoc.script.target,
          readOnly: true,
        });
      }
      try {
        const res = await b.backend.run(parent!, {
          argv,
          env: [...env, ...secretEnv],
          workingDir: workdir,
          user: config.User ?? "",
          output: (chunk) => b.req.write(chunk.toString("utf8")),
          ...(b.req.signal ? { signal: b.req.signal } : {}),
          ...(mounts.length ? { mounts } : {}),
          ...(cmd.network !== "default" ? { network: cmd.network } : {}),
          started: (id) => b.req.write(` ---> Running in ${short(id)}\n`),
        });
        if (res.exitCode !== 0) throw new RunStepError(argv, res.exitCode);
        b.req.write(` ---> Removed intermediate container ${short(res.containerId)}\n`);
        return res.layer;
      } finally {
        if (scriptDir) await fs.rm(scriptDir, { recursive: true, force: true });
      }
    });
}
