/**
 * The build context (pure parts): .dockerignore reading, selection and matching. Walking the
 * directory and streaming the tar happen in the caller.
 */
export type { ContextFilterOptions } from "./dockerignore.js";
export {
  ContextFilter,
  parseDockerignore,
  selectDockerignore,
  trimBuildFilesFromExcludes,
} from "./dockerignore.js";
export { cleanPath, isValidGlob, Pattern, PatternMatcher } from "./pattern-matcher.js";
