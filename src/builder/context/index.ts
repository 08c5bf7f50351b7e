/**
 * The build context (pure parts): .dockerignore reading, selection and matching. They live in lib/
 * because the berth CLI applies them too when it sends a context tar; walking the directory and
 * streaming the tar happen in the caller.
 */
export type { ContextFilterOptions } from "../../lib/dockerignore.js";
export {
  ContextFilter,
  parseDockerignore,
  selectDockerignore,
  trimBuildFilesFromExcludes,
} from "../../lib/dockerignore.js";
export { cleanPath, isValidGlob, Pattern, PatternMatcher } from "../../lib/pattern-matcher.js";
