/**
 * Runs a Dockerfile build the way Docker's legacy builder does: each needed stage in order, each
 * instruction a step that either reuses a cached image ("Using cache") or makes a new image whose
 * parent is the previous one. On a miss the output says why. All I/O goes through BuildBackend.
 *
 *   const id = await executeBuild(backend, cache, { dockerfile, contextDir, platform, write });
 */
import { BerthError, invalidArgument, notImplemented } from "../../lib/errors.js";
import type { StepIdentity } from "../cache/cache-key.js";
import { cacheKey, manifestDigest } from "../cache/cache-key.js";
import type { BuildCache } from "../cache/cache-store.js";
import { explainMiss } from "../cache/explain-miss.js";
import type { ResolvedStage, StageCommand } from "../dockerfile/index.js";
import {
  groupStages,
  parseDockerfile,
  parseInstructions,
  planBuild,
  StageScope,
} from "../dockerfile/index.js";
import { applyMetadata, DEFAULT_SHELL, nopCreatedBy, runArgv } from "./apply-metadata.js";
import type { BuildBackend, Layer } from "./backend.js";
import { copyInto, mkdirAll, resolveOwner } from "./copy-files.js";
import { findSources, sourceManifest } from "./sources.js";
import { nextConfig, type StageState, scratchConfig } from "./stage-state.js";

export interface BuildRequest {
  dockerfile: string;
  /** The Dockerfile's name in errors. */
  dockerfileName?: string;
  /** The build context, extracted. */
  contextDir: string;
  /** Context paths COPY/ADD must not see (.dockerignore). */
  exclude?: (rel: string) => boolean;
  buildArgs?: Record<string, string>;
  target?: string;
  noCache?: boolean;
  /** --label values, set on the final image. */
  labels?: Record<string, string>;
  platform: { os: string; architecture: string };
  /** Progress text (the legacy builder's stream). */
  write(text: string): void;
  /** Cancels the build (the client went away): no further step starts, a running RUN is killed. */
  signal?: AbortSignal;
}

/** A RUN step that exited non-zero. */
export class RunStepError extends BerthError {
  readonly exitCode: number;
  constructor(argv: readonly string[], exitCode: number) {
    super("invalid-argument", `The command '${argv.join(" ")}' returned a non-zero code: ${exitCode}`);
    this.exitCode = exitCode;
  }
}

const short = (id: string) => id.replace(/^sha256:/, "").slice(0, 12);

interface Step {
  identity: StepIdentity;
  config: NonNullable<StageState["config"]["config"]>;
  createdBy: string;
  /** Layer-producing work; metadata steps have none. */
  action?: (parent: string | undefined) => Promise<Layer | undefined>;
  /** Whether `action` needs an image to run on (RUN). */
  needsImage?: boolean;
}

interface Build {
  backend: BuildBackend;
  cache: BuildCache;
  req: BuildRequest;
  done: Map<number, StageState>;
}

async function startStage(
  b: Build,
  r: ResolvedStage,
  globals: ReadonlyMap<string, string>,
): Promise<StageState> {
  const buildArgs = b.req.buildArgs ?? {};
  if (r.base.kind === "scratch") {
    return {
      imageId: undefined,
      config: scratchConfig(b.req.platform),
      key: "scratch",
      missed: false,
      scope: new StageScope({ globalArgs: globals, buildArgs }),
    };
  }
  if (r.base.kind === "stage") {
    const prev = b.done.get(r.base.index);
    if (!prev) throw invalidArgument(`stage ${r.baseName} was not built`);
    if (prev.imageId) b.req.write(` ---> ${short(prev.imageId)}\n`);
    return { ...prev, scope: new StageScope({ globalArgs: globals, buildArgs, parent: prev.scope }) };
  }
  const img = await b.backend.image(r.baseName);
  b.req.write(` ---> ${short(img.id)}\n`);
  // FROM is recorded too, so a later build can say that the base image changed.
  const from: StepIdentity = { parentKey: "FROM", instruction: r.baseName, text: img.id, args: {} };
  const previous = b.cache.siblings(from).at(-1);
  if (previous?.text !== img.id) await b.cache.put(from, img.id);
  return {
    imageId: img.id,
    config: img.config,
    key: img.id,
    missed: false,
    ...(previous && previous.text !== img.id
      ? { missReason: `base image ${r.baseName} changed (was ${short(previous.text)})` }
      : {}),
    scope: new StageScope({ globalArgs: globals, buildArgs, imageEnv: img.config.config?.Env ?? [] }),
  };
}

/** The image a COPY --from names: an earlier stage's result or a local image. */
async function fromImage(b: Build, r: ResolvedStage, cmd: StageCommand): Promise<string> {
  const dep = r.deps.find((d) => d.instruction === cmd);
  if (!dep || dep.source.kind === "scratch") throw invalidArgument("COPY --from names nothing to copy from");
  if (dep.source.kind === "image") return (await b.backend.image(dep.source.ref)).id;
  const st = b.done.get(dep.source.index);
  if (!st) throw invalidArgument(`stage ${dep.source.index} was not built`);
  if (!st.imageId) st.imageId = await b.backend.commit({ parent: undefined, config: st.config });
  return st.imageId;
}

async function copyStep(
  b: Build,
  r: ResolvedStage,
  st: StageState,
  cmd: StageCommand,
  step: Step,
): Promise<void> {
  if (cmd.kind !== "COPY" && cmd.kind !== "ADD") return;
  if (cmd.inline.length > 0) throw notImplemented(`${cmd.kind} with a heredoc source is not supported yet`);
  const srcs = cmd.sources.map((s) => st.scope.expandWord(s));
  if (srcs.some((s) => /^[a-z]+:\/\//i.test(s)))
    throw notImplemented(`${cmd.kind} from a URL is not supported`);
  const dest = st.scope.expandWord(cmd.dest);
  const chown = cmd.chown ? st.scope.expandWord(cmd.chown) : "";
  const chmod = cmd.chmod ? Number.parseInt(cmd.chmod, 8) : undefined;
  if (chmod !== undefined && (Number.isNaN(chmod) || chmod > 0o7777))
    throw invalidArgument(`invalid chmod ${cmd.chmod}`);
  const flags = `${chown ? ` --chown=${chown}` : ""}${cmd.chmod ? ` --chmod=${cmd.chmod}` : ""}`;
  const workdir = step.config.WorkingDir || "/";
  const from = cmd.kind === "COPY" && cmd.from ? await fromImage(b, r, cmd) : undefined;
  const copy = async (root: string, srcRoot: string, exclude?: (rel: string) => boolean) => {
    const found = await findSources(srcRoot, srcs, {
      allowAbsolute: from !== undefined,
      ...(exclude ? { exclude } : {}),
      ...(from ? { what: `image ${short(from)}` } : {}),
    });
    const owner = chown ? await resolveOwner(root, chown) : undefined;
    await copyInto(root, found, {
      dest,
      workdir,
      ...(owner ? { owner } : {}),
      ...(chmod !== undefined ? { chmod } : {}),
      extractArchives: cmd.kind === "ADD",
      ...(exclude ? { exclude } : {}),
    });
  };
  if (from) {
    step.identity.text = `COPY --from=${from}${flags} ${srcs.join(" ")} ${dest} (workdir ${workdir})`;
    step.createdBy = nopCreatedBy(
      st.config.config?.Shell ?? DEFAULT_SHELL,
      `COPY dir:${short(from)} in ${dest} `,
    );
    step.action = (parent) =>
      b.backend.mutate(parent, (root) => b.backend.view(from, (src) => copy(root, src)));
    return;
  }
  const exclude = b.req.exclude;
  const found = await findSources(b.req.contextDir, srcs, exclude ? { exclude } : {});
  step.identity.sources = await sourceManifest(found, exclude);
  step.identity.text = `${cmd.kind}${flags} ${srcs.join(" ")} ${dest} (workdir ${workdir})`;
  const kind = found.length === 1 && !found[0]!.stat.isDirectory() ? "file" : "dir";
  const hex = manifestDigest(step.identity.sources).slice(7);
  step.createdBy = nopCreatedBy(
    st.config.config?.Shell ?? DEFAULT_SHELL,
    `${cmd.kind} ${kind}:${hex} in ${dest} `,
  );
  step.action = (parent) => b.backend.mutate(parent, (root) => copy(root, b.req.contextDir, exclude));
}

/** What a step does and its cache identity; applies its effect on the stage's variables. */
async function planStep(b: Build, r: ResolvedStage, st: StageState, cmd: StageCommand): Promise<Step> {
  const config = structuredClone(st.config.config ?? {});
  const shell = config.Shell ?? DEFAULT_SHELL;
  const step: Step = {
    identity: { parentKey: st.key, instruction: cmd.original, text: "", args: {} },
    config,
    createdBy: "",
  };
  if (cmd.kind === "ARG") {
    const vals = st.scope.applyArg(cmd);
    const args: Record<string, string> = {};
    for (const v of vals) if (v.value !== undefined) args[v.key] = v.value;
    step.identity.args = args;
    const words = vals.map((v) => (v.value === undefined ? v.key : `${v.key}=${v.value}`)).join(" ");
    step.identity.text = `ARG ${words}`;
    step.createdBy = nopCreatedBy(shell, ` ARG ${words}`);
  } else if (cmd.kind === "RUN") {
    const argv = runArgv(cmd, config);
    const args: Record<string, string> = {};
    for (const name of st.scope.declaredArgs().keys()) {
      const v = st.scope.get(name);
      if (v !== undefined) args[name] = v;
    }
    step.identity.args = args;
    const pairs = Object.entries(args).map(([k, v]) => `${k}=${v}`);
    step.createdBy = pairs.length ? `|${pairs.length} ${pairs.join(" ")} ${argv.join(" ")}` : argv.join(" ");
    step.identity.text = `RUN ${JSON.stringify(argv)} env=${JSON.stringify(config.Env ?? [])} user=${config.User ?? ""} workdir=${config.WorkingDir ?? ""}`;
    step.needsImage = true;
    const env = [...st.scope.runEnv()].map(([k, v]) => `${k}=${v}`);
    step.action = async (parent) => {
      const res = await b.backend.run(parent!, {
        argv,
        env,
        workingDir: config.WorkingDir ?? "",
        user: config.User ?? "",
        output: (chunk) => b.req.write(chunk.toString("utf8")),
        ...(b.req.signal ? { signal: b.req.signal } : {}),
        started: (id) => b.req.write(` ---> Running in ${short(id)}\n`),
      });
      if (res.exitCode !== 0) throw new RunStepError(argv, res.exitCode);
      b.req.write(` ---> Removed intermediate container ${short(res.containerId)}\n`);
      return res.layer;
    };
  } else if (cmd.kind === "COPY" || cmd.kind === "ADD") {
    await copyStep(b, r, st, cmd, step);
  } else {
    const meta = applyMetadata(config, cmd, st.scope);
    if (!meta) throw notImplemented(`${cmd.kind} is not supported`);
    step.identity.text = meta.text.trim();
    step.createdBy = nopCreatedBy(shell, meta.text);
    if (cmd.kind === "WORKDIR") {
      const dir = config.WorkingDir ?? "/";
      step.action = (parent) => b.backend.mutate(parent, async (root) => void (await mkdirAll(root, dir)));
    }
  }
  return step;
}

async function runStep(b: Build, r: ResolvedStage, st: StageState, cmd: StageCommand): Promise<StageState> {
  b.req.signal?.throwIfAborted();
  const step = await planStep(b, r, st, cmd);
  const key = cacheKey(step.identity);
  if (!b.req.noCache) {
    const rec = b.cache.get(key);
    if (rec && b.backend.exists(rec.imageId)) {
      b.req.write(` ---> Using cache\n ---> ${short(rec.imageId)}\n`);
      const { missReason: _, ...rest } = st;
      return {
        ...rest,
        imageId: rec.imageId,
        config: await b.backend.config(rec.imageId),
        key,
        missed: false,
      };
    }
    const siblings = b.cache.siblings(step.identity);
    const why =
      st.missReason && siblings.length === 0
        ? st.missReason
        : explainMiss(step.identity, siblings, { previousMissed: st.missed });
    b.req.write(` ---> Cache miss: ${cmd.original} — ${why}\n`);
  }
  let parent = st.imageId;
  if (step.needsImage && parent === undefined) {
    parent = await b.backend.commit({ parent: undefined, config: st.config });
  }
  const layer = step.action ? await step.action(parent) : undefined;
  const created = new Date().toISOString();
  const config = nextConfig(st.config, {
    config: step.config,
    createdBy: step.createdBy,
    created,
    ...(layer && !layer.empty ? { diffId: layer.diffId } : {}),
  });
  const id = await b.backend.commit({
    parent,
    config,
    ...(layer && !layer.empty ? { layer } : {}),
  });
  await b.cache.put(step.identity, id);
  b.req.write(` ---> ${short(id)}\n`);
  const { missReason: _, ...rest } = st;
  return { ...rest, imageId: id, config, key, missed: true };
}

/** Builds the target stage; the id of its image (untagged: the caller tags). */
export async function executeBuild(
  backend: BuildBackend,
  cache: BuildCache,
  req: BuildRequest,
): Promise<string> {
  const file = req.dockerfileName ?? "Dockerfile";
  const parsed = parseDockerfile(req.dockerfile, { file });
  const stages = groupStages(parseInstructions(parsed.nodes, file), file);
  const plan = planBuild(stages, {
    ...(req.target ? { target: req.target } : {}),
    buildArgs: req.buildArgs ?? {},
    buildPlatform: req.platform,
    escapeToken: parsed.escapeToken,
    file,
  });
  const b: Build = { backend, cache, req, done: new Map() };
  const total = plan.stages.reduce((n, r) => n + 1 + r.stage.commands.length, 0);
  let n = 0;
  for (const r of plan.stages) {
    req.write(`Step ${++n}/${total} : ${r.stage.from.original}\n`);
    let st = await startStage(b, r, plan.globalArgs);
    for (const cmd of r.stage.commands) {
      req.write(`Step ${++n}/${total} : ${cmd.original}\n`);
      st = await runStep(b, r, st, cmd);
    }
    b.done.set(r.stage.index, st);
  }
  if (plan.unusedBuildArgs.length) {
    req.write(`[Warning] One or more build-args [${plan.unusedBuildArgs.join(" ")}] were not consumed\n`);
  }
  const final = b.done.get(plan.target.stage.index)!;
  const labels = req.labels ?? {};
  if (Object.keys(labels).length > 0) {
    const cfg = structuredClone(final.config.config ?? {});
    cfg.Labels = { ...(cfg.Labels ?? {}), ...labels };
    const text = ` LABEL ${Object.entries(labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ")}`;
    const config = nextConfig(final.config, {
      config: cfg,
      createdBy: nopCreatedBy(cfg.Shell ?? DEFAULT_SHELL, text),
      created: new Date().toISOString(),
    });
    return backend.commit({ parent: final.imageId, config });
  }
  return final.imageId ?? backend.commit({ parent: undefined, config: final.config });
}
