/** The build executor: runs planned stages step by step over a BuildBackend, with the build cache. */
export { applyMetadata, DEFAULT_SHELL, nopCreatedBy, resolveWorkdir, runArgv } from "./apply-metadata.js";
export type { BuildBackend, Layer, RunProcess, RunResult } from "./backend.js";
export { copyInto, mkdirAll, resolveInRoot, resolveOwner } from "./copy-files.js";
export type { BuildRequest } from "./executor.js";
export { executeBuild, RunStepError } from "./executor.js";
export type { FindOptions, FoundSource } from "./sources.js";
export { cleanSource, findSources, sourceManifest } from "./sources.js";
export type { StageState } from "./stage-state.js";
export { nextConfig, scratchConfig } from "./stage-state.js";
