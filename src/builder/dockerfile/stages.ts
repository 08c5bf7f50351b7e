/**
 * The stage model: instructions grouped by FROM, the base of each stage, and the stages a target
 * needs in dependency order (BuildKit's dockerfile2llb stage graph).
 *
 * Names are case-insensitive (stored lowercase). FROM may name an *earlier* stage; COPY --from and
 * RUN --mount from= may name any stage or a stage index. A name that is no stage must be a valid
 * image reference ("scratch" is the empty image). Cycles are errors naming the cycle.
 *
 *   const stages = groupStages(parseInstructions(parseDockerfile(text).nodes));
 *   const plan = planBuild(stages, { target: "app", buildPlatform: { os: "linux", architecture: "amd64" } });
 *   plan.stages  // the stages "app" needs, dependencies first, "app" last
 */
import { invalidArgument } from "../../lib/errors.js";
import type { PlatformSpec } from "../../oci/platform.js";
import { parsePlatform } from "../../oci/platform.js";
import { parseReference } from "../../oci/reference.js";
import { suggest } from "./_go.js";
import { DockerfileError, locate } from "./errors.js";
import type { ArgInstruction, FromInstruction, Instruction } from "./instruction-types.js";
import { shellExpand } from "./shell-words.js";
import type { BuildArgOptions } from "./stage-scope.js";
import { PLATFORM_ARGS, PROXY_ARGS, resolveGlobalArgs } from "./stage-scope.js";

export type StageCommand = Exclude<Instruction, FromInstruction>;

export interface Stage {
  index: number;
  /** Lowercase; "" when unnamed. */
  name: string;
  from: FromInstruction;
  commands: StageCommand[];
}

export interface DockerfileStages {
  /** ARG instructions before the first FROM. */
  metaArgs: ArgInstruction[];
  stages: Stage[];
}

/** Groups instructions into stages; only ARG may precede the first FROM. */
export function groupStages(instructions: readonly Instruction[], file = "Dockerfile"): DockerfileStages {
  const out: DockerfileStages = { metaArgs: [], stages: [] };
  for (const ins of instructions) {
    const current = out.stages[out.stages.length - 1];
    if (ins.kind === "FROM") {
      out.stages.push({ index: out.stages.length, name: ins.stageName, from: ins, commands: [] });
    } else if (current) current.commands.push(ins);
    else if (ins.kind === "ARG") out.metaArgs.push(ins);
    else throw locate(invalidArgument("no build stage in current context"), file, ins.range);
  }
  if (out.stages.length === 0) {
    const last = instructions[instructions.length - 1];
    const line = last?.range.start.line ?? 1;
    throw new DockerfileError("dockerfile contains no stages to build", { file, line });
  }
  return out;
}

/** Where something comes from: another stage, an image, or nothing (scratch). */
export type Source = { kind: "stage"; index: number } | { kind: "image"; ref: string } | { kind: "scratch" };

export interface StageDependency {
  source: Source;
  /** The instruction that creates the edge (FROM, COPY --from, RUN --mount from=). */
  instruction: Instruction;
}

export interface ResolvedStage {
  stage: Stage;
  /** The FROM argument with global ARGs expanded. */
  baseName: string;
  base: Source;
  /** FROM --platform, expanded and parsed. */
  platform?: PlatformSpec;
  /** FROM first, then COPY --from and RUN --mount sources in order. */
  deps: StageDependency[];
  /** Global ARGs the FROM line used (cache keys). */
  usedArgs: Set<string>;
}

export interface PlanOptions extends BuildArgOptions {
  /** The stage to build; the last stage by default. */
  target?: string;
}

export interface BuildPlan {
  /** Every stage, resolved. */
  all: ResolvedStage[];
  /** The stages the target needs, dependencies first; the target is last. */
  stages: ResolvedStage[];
  target: ResolvedStage;
  /** External images the needed stages use (FROM, COPY --from, mounts), deduplicated. */
  images: string[];
  globalArgs: Map<string, string>;
  /** --build-arg names no ARG declares (Docker warns about them). */
  unusedBuildArgs: string[];
}

/** Resolves bases and dependencies and orders the stages the target needs. */
export function planBuild(df: DockerfileStages, options: PlanOptions): BuildPlan {
  const file = options.file ?? "Dockerfile";
  const target = findTarget(df, options.target);
  const globalArgs = resolveGlobalArgs(df.metaArgs, { ...options, targetStage: target.name });
  const byName = new Map<string, number>();
  const all: ResolvedStage[] = [];
  for (const stage of df.stages) {
    const resolved = resolveFrom(stage, byName, globalArgs, options);
    all.push(resolved);
    if (stage.name !== "") byName.set(stage.name, stage.index);
  }
  for (const r of all) r.deps.push(...commandDeps(r.stage, byName, df.stages.length, file));
  checkCycles(all, file);
  const order: ResolvedStage[] = [];
  const seen = new Set<number>();
  const visit = (r: ResolvedStage) => {
    if (seen.has(r.stage.index)) return;
    seen.add(r.stage.index);
    for (const d of r.deps) if (d.source.kind === "stage") visit(all[d.source.index]!);
    order.push(r);
  };
  visit(all[target.index]!);
  const images = new Set<string>();
  for (const r of order) for (const d of r.deps) if (d.source.kind === "image") images.add(d.source.ref);
  return {
    all,
    stages: order,
    target: all[target.index]!,
    images: [...images],
    globalArgs,
    unusedBuildArgs: unusedBuildArgs(df, order, options.buildArgs ?? {}),
  };
}

function findTarget(df: DockerfileStages, target: string | undefined): Stage {
  if (target === undefined || target === "") return df.stages[df.stages.length - 1]!;
  const found = df.stages.find((s) => s.name !== "" && s.name === target.toLowerCase());
  if (found) return found;
  const names = df.stages.map((s) => s.name).filter((n) => n !== "");
  const hint = suggest(target, names, true);
  throw invalidArgument(
    `target stage "${target}" could not be found${hint ? ` (did you mean ${hint}?)` : ""}`,
  );
}

function imageOrError(name: string): Source {
  if (name === "scratch") return { kind: "scratch" };
  try {
    parseReference(name);
  } catch (err) {
    throw invalidArgument(`failed to parse stage name "${name}": ${(err as Error).message}`, err);
  }
  return { kind: "image", ref: name };
}

function resolveFrom(
  stage: Stage,
  byName: ReadonlyMap<string, number>,
  globals: ReadonlyMap<string, string>,
  options: PlanOptions,
): ResolvedStage {
  const from = stage.from;
  try {
    const name = shellExpand(from.image, globals, { escapeToken: options.escapeToken });
    if (name.result === "") throw invalidArgument(`base name (${from.image}) should not be blank`);
    const usedArgs = new Set(name.matched);
    const earlier = byName.get(name.result.toLowerCase());
    const base: Source =
      earlier !== undefined ? { kind: "stage", index: earlier } : imageOrError(name.result);
    const resolved: ResolvedStage = {
      stage,
      baseName: name.result,
      base,
      deps: base.kind === "scratch" ? [] : [{ source: base, instruction: from }],
      usedArgs,
    };
    if (from.platform !== "") {
      const p = shellExpand(from.platform, globals, { escapeToken: options.escapeToken });
      if (p.result === "") throw invalidArgument(`empty platform value from expression ${from.platform}`);
      for (const k of p.matched) usedArgs.add(k);
      try {
        resolved.platform = parsePlatform(p.result, options.buildPlatform);
      } catch (err) {
        throw invalidArgument(`failed to parse platform ${from.platform}: ${(err as Error).message}`, err);
      }
    }
    return resolved;
  } catch (err) {
    throw locate(err, options.file ?? "Dockerfile", from.range);
  }
}

const NO_ENV = new Map<string, string>();

function stageRef(
  ref: string,
  byName: ReadonlyMap<string, number>,
  count: number,
  allowIndex: boolean,
): Source {
  if (allowIndex && /^[+-]?\d+$/u.test(ref)) {
    const index = Number(ref);
    if (index < 0 || index >= count) throw invalidArgument(`invalid stage index ${index}`);
    return { kind: "stage", index };
  }
  const named = byName.get(ref.toLowerCase());
  return named !== undefined ? { kind: "stage", index: named } : imageOrError(ref);
}

function commandDeps(
  stage: Stage,
  byName: ReadonlyMap<string, number>,
  count: number,
  file: string,
): StageDependency[] {
  const deps: StageDependency[] = [];
  for (const cmd of stage.commands) {
    try {
      if (cmd.kind === "COPY" && cmd.from !== "") {
        if (shellExpand(cmd.from, NO_ENV).result !== cmd.from) {
          throw invalidArgument(
            "variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround",
          );
        }
        deps.push({ source: stageRef(cmd.from, byName, count, true), instruction: cmd });
      } else if (cmd.kind === "RUN") {
        for (const m of cmd.mounts) {
          if (m.from) deps.push({ source: stageRef(m.from, byName, count, false), instruction: cmd });
        }
      }
    } catch (err) {
      throw locate(err, file, cmd.range);
    }
  }
  return deps;
}

function stageLabel(r: ResolvedStage): string {
  return r.stage.name || `stage-${r.stage.index}`;
}

function checkCycles(all: readonly ResolvedStage[], file: string): void {
  const state = new Map<number, "visiting" | "done">();
  const path: ResolvedStage[] = [];
  const visit = (r: ResolvedStage): void => {
    state.set(r.stage.index, "visiting");
    path.push(r);
    for (const d of r.deps) {
      if (d.source.kind !== "stage") continue;
      const next = all[d.source.index]!;
      const st = state.get(next.stage.index);
      if (st === "visiting") {
        const cycle = path.slice(path.indexOf(next)).map(stageLabel);
        const msg = `circular dependency detected on stage: ${stageLabel(next)} (${[...cycle, stageLabel(next)].join(" -> ")})`;
        throw locate(invalidArgument(msg), file, d.instruction.range);
      }
      if (st === undefined) visit(next);
    }
    path.pop();
    state.set(r.stage.index, "done");
  };
  for (const r of all) if (!state.has(r.stage.index)) visit(r);
}

function unusedBuildArgs(
  df: DockerfileStages,
  stages: readonly ResolvedStage[],
  buildArgs: Readonly<Record<string, string>>,
): string[] {
  const declared = new Set<string>([...PLATFORM_ARGS, ...PROXY_ARGS]);
  for (const cmd of df.metaArgs) for (const a of cmd.args) declared.add(a.key);
  for (const r of stages) {
    for (const cmd of r.stage.commands) if (cmd.kind === "ARG") for (const a of cmd.args) declared.add(a.key);
  }
  return Object.keys(buildArgs)
    .filter((k) => !declared.has(k))
    .sort();
}
