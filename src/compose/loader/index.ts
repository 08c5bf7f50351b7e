/**
 * The compose loader: compose files (+ .env, --env-file, -p, --profile) in, the resolved Project of
 * ../model.ts out, and `compose config` renderings of it. Pure core (project-loader.ts, given a
 * FileSource); files.ts is the only file-system code.
 */
export { loadProject } from "./load.js";
export type { LoadProjectOptions } from "./project-loader.js";
export { loadProjectFrom } from "./project-loader.js";
export {
  type ConfigFormat,
  renderConfig,
  renderImages,
  renderProfiles,
  renderServices,
  renderVolumes,
} from "./render.js";
export { type FileSource, MemorySource } from "./source.js";
