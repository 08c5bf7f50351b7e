/**
 * One stage's steps: the stage's start (FROM, and the base image's ONBUILD triggers), then each
 * instruction planned (its cache identity and work) and either taken from the cache or run and
 * committed. Every decision becomes a row of the explain table.
 */
import { invalidArgument, notImplemented } from "../../lib/errors.js";
import type { StepIdentity } from "../cache/cache-key.js";
import { cacheKey, manifestDigest } from "../cache/cache-key.js";
import { explainMiss } from "../cache/explain-miss.js";
import type { ResolvedStage, StageCommand } from "../dockerfile/index.js";
import { parseDockerfile, parseInstructions, StageScope } from "../dockerfile/index.js";
import { applyMetadata, DEFAULT_SHELL, nopCreatedBy } from "./apply-metadata.js";
import { type Build, type Step, short } from "./build-state.js";
import { mkdirAll } from "./copy-files.js";
import { planCopy } from "./copy-step.js";
import type { ExplainRow } from "./explain-table.js";
import { planRun } from "./run-step.js";
import { nextConfig, type StageState, scratchConfig } from "./stage-state.js";

export async function startStage(
  b: Build,
  r: ResolvedStage,
  globals: ReadonlyMap<string, string>,
): Promise<StageState> {
  const buildArgs = b.req.buildArgs ?? {};
  if (r.base.kind === "scratch") {
    return {
      imageId: undefined,
      config: scratchConfig(b.req.targetPlatform ?? b.req.platform),
      key: "scratch",
      missed: false,
      scope: new StageScope({ globalArgs: globals, buildArgs }),
    };
  }
  if (r.base.kind === "stage") {
    const pending = b.done.get(r.base.index);
    if (!pending) throw invalidArgument(`stage ${r.baseName} was not built`);
    const prev = await pending;
    if (prev.imageId) b.req.write(` ---> ${short(prev.imageId)}\n`);
    return { ...prev, scope: new StageScope({ globalArgs: globals, buildArgs, parent: prev.scope }) };
  }
  const platform = r.platform ?? b.req.targetPlatform;
  const img = await b.backend.image(r.baseName, platform ? { platform } : {});
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

/** The key inputs of a step, short, for the explain table. */
function inputsOf(id: StepIdentity): string {
  const parts = [`parent=${short(id.parentKey)}`];
  const args = Object.entries(id.args).map(([k, v]) => `${k}=${v}`);
  if (args.length) parts.push(`args=${args.join(",")}`);
  if (id.sources) {
    const n = Object.keys(id.sources).length;
    parts.push(`sources=${n} entr${n === 1 ? "y" : "ies"} ${manifestDigest(id.sources).slice(7, 19)}`);
  }
  return parts.join(" ");
}

/**
 * The base image's ONBUILD triggers as instructions (Docker runs them right after FROM, and the
 * new image does not inherit them).
 */
export function onbuildTriggers(st: StageState, file: string): StageCommand[] {
  const triggers = st.config.config?.OnBuild ?? [];
  if (triggers.length === 0) return [];
  const parsed = parseDockerfile(`${triggers.join("\n")}\n`, { file: `${file} (ONBUILD of the base image)` });
  const cmds = parseInstructions(parsed.nodes, file) as StageCommand[];
  for (const c of cmds) {
    if ((c.kind as string) === "FROM" || c.kind === "ONBUILD" || c.kind === "MAINTAINER")
      throw invalidArgument(`${c.kind} isn't allowed as an ONBUILD trigger`);
    if (c.kind === "COPY" && c.from !== "")
      throw notImplemented("COPY --from in an ONBUILD trigger is not supported");
  }
  return cmds;
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
    await planRun(b, r, st, cmd, step);
  } else if (cmd.kind === "COPY" || cmd.kind === "ADD") {
    await planCopy(b, r, st, cmd, step);
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

export async function runStep(
  b: Build,
  r: ResolvedStage,
  st: StageState,
  cmd: StageCommand,
  row: Omit<ExplainRow, "result" | "key" | "inputs" | "reason">,
): Promise<StageState> {
  b.req.signal?.throwIfAborted();
  const step = await planStep(b, r, st, cmd);
  const key = cacheKey(step.identity);
  const record = (result: ExplainRow["result"], reason: string) =>
    b.explain?.push({ ...row, result, key, inputs: inputsOf(step.identity), reason });
  if (b.req.noCache) record("run", "--no-cache");
  else {
    const rec = b.cache.get(key);
    if (rec && b.backend.exists(rec.imageId)) {
      record("cached", `same key as the step that made ${short(rec.imageId)}`);
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
    record("miss", rec ? `${why} (its image ${short(rec.imageId)} was removed)` : why);
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
