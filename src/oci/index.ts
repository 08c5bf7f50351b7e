/** The OCI wire data model (pure): media types, descriptors, manifests, indexes, configs, references. */

export type { Descriptor } from "./descriptor.js";
export type {
  ContainerConfig,
  HealthConfig,
  History,
  HistoryEntry,
  ImageConfig,
  RootFs,
} from "./image-config.js";
export { historyWithLayers, nonEmptyHistory, parseImageConfig } from "./image-config.js";
export type { ImageIndex, ManifestOrIndex } from "./image-index.js";
export { matchPlatform, parseIndex, parseManifestOrIndex } from "./image-index.js";
export type { Manifest } from "./manifest.js";
export { parseManifest } from "./manifest.js";
export * from "./media-types.js";
export type { Platform, PlatformSpec } from "./platform.js";
export {
  compatiblePlatforms,
  formatPlatform,
  normalizePlatform,
  parsePlatform,
  platformRank,
} from "./platform.js";
export type { Reference } from "./reference.js";
export {
  DEFAULT_DOMAIN,
  DEFAULT_TAG,
  familiarRepository,
  familiarString,
  formatReference,
  isValidTag,
  LEGACY_DEFAULT_DOMAIN,
  looksLikeImageId,
  OFFICIAL_REPO_PREFIX,
  parseReference,
  REPOSITORY_NAME_TOTAL_LENGTH_MAX,
  repositoryName,
  trimReference,
  withDefaultTag,
  withTag,
} from "./reference.js";
