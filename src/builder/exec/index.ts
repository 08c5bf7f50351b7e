/** The build executor: runs planned stages step by step over a BuildBackend, with the build cache. */
export { applyMetadata, DEFAULT_SHELL, nopCreatedBy, resolveWorkdir, runArgv } from "./apply-metadata.js";
export type {
  BuildBackend,
  CacheMountOptions,
  CacheMountSharing,
  Layer,
  RunMountSpec,
  RunNetwork,
  RunProcess,
  RunResult,
} from "./backend.js";
export { copyInto, mkdirAll, resolveInRoot, resolveOwner } from "./copy-files.js";
export type { BuildRequest } from "./executor.js";
export { executeBuild, RunStepError, STAGE_CONCURRENCY } from "./executor.js";
export type { ExplainRow } from "./explain-table.js";
export { formatExplainTable } from "./explain-table.js";
export type { Exclude, FindOptions, FoundSource } from "./sources.js";
export { cleanSource, findSources, forgetDigests, sourceManifest } from "./sources.js";
export type { StageState } from "./stage-state.js";
export { nextConfig, scratchConfig } from "./stage-state.js";
