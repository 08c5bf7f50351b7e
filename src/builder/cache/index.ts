/** The build cache: keys (pure), miss explanations (pure) and the persisted records. */
export type { SourceEntry, SourceManifest, StepIdentity } from "./cache-key.js";
export { cacheKey, manifestDigest } from "./cache-key.js";
export type { CacheRecord } from "./cache-store.js";
export { BuildCache } from "./cache-store.js";
export type { Sibling } from "./explain-miss.js";
export { explainMiss } from "./explain-miss.js";
