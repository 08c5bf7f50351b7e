/** loadProject: the loader core over the real file system. */
import type { LoadedProject } from "../model.js";
import { NodeFileSource } from "./files.js";
import { type LoadProjectOptions, loadProjectFrom } from "./project-loader.js";

export type { LoadProjectOptions };

export async function loadProject(opts: LoadProjectOptions): Promise<LoadedProject> {
  return loadProjectFrom(opts, new NodeFileSource());
}
