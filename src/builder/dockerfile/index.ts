/**
 * The Dockerfile frontend (pure): text → AST (parser) → typed instructions → stages with their
 * variable scopes and dependency order, plus build checks. No I/O: callers pass text and data.
 *
 *   const parsed = parseDockerfile(text, { file: "Dockerfile" });
 *   const stages = groupStages(parseInstructions(parsed.nodes, parsed.file), parsed.file);
 *   const plan = planBuild(stages, { target, buildArgs, buildPlatform, escapeToken: parsed.escapeToken });
 */
export type { CheckOptions, Directive, DirectiveName } from "./directives.js";
export { parseCheckOptions } from "./directives.js";
export type { Position, Range } from "./errors.js";
export { DockerfileError } from "./errors.js";
export type { Heredoc } from "./heredoc.js";
export { chompHeredocContent, parseHeredoc } from "./heredoc.js";
export type * from "./instruction-types.js";
export { INSTRUCTION_KINDS } from "./instruction-types.js";
export { addSourceKind, parseInstruction, parseInstructions } from "./instructions.js";
export type { LintOptions, LintReport, LintWarning } from "./lint.js";
export { lintDockerfile } from "./lint.js";
export type { Node, ParseOptions, ParseResult, ParseWarning } from "./parser.js";
export { dumpAst, dumpNode, parseDockerfile } from "./parser.js";
export type { CacheSharing, MountType, ParseMountOptions, RunMount } from "./run-mount.js";
export { parseMount } from "./run-mount.js";
export type { ShellEnv, ShellExpansion, ShellLexOptions } from "./shell-words.js";
export { expandWord, expandWords, shellExpand } from "./shell-words.js";
export type { ArgPlatform, BuildArgOptions, StageScopeOptions } from "./stage-scope.js";
export {
  DEFAULT_PATH,
  PLATFORM_ARGS,
  PROXY_ARGS,
  platformArgs,
  proxyEnv,
  resolveGlobalArgs,
  StageScope,
} from "./stage-scope.js";
export type {
  BuildPlan,
  DockerfileStages,
  PlanOptions,
  ResolvedStage,
  Source,
  Stage,
  StageCommand,
  StageDependency,
} from "./stages.js";
export { groupStages, planBuild } from "./stages.js";
