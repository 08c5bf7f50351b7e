/** The bridge to the compose loader: global options in, the loaded project out. */
import { readFileSync } from "node:fs";
import { loadProjectFrom } from "../../../compose/loader/project-loader.js";
import type { FileSource } from "../../../compose/loader/source.js";
import type { LoadedProject } from "../../../compose/model.js";
import type { ComposeGlobals } from "./_session.js";

const nodeSource: FileSource = {
  read(path: string): string | undefined {
    try {
      return readFileSync(path === "-" ? 0 : path, "utf8");
    } catch (err) {
      if (
        (err as NodeJS.ErrnoException).code === "ENOENT" ||
        (err as NodeJS.ErrnoException).code === "ENOTDIR"
      )
        return undefined;
      throw err;
    }
  },
};

export async function loadComposeProject(g: ComposeGlobals, services?: string[]): Promise<LoadedProject> {
  return loadProjectFrom(
    {
      files: g.files,
      projectName: g.projectName || undefined,
      envFiles: g.envFiles.length ? g.envFiles : undefined,
      profiles: g.profiles.length ? g.profiles : undefined,
      projectDirectory: g.projectDirectory || undefined,
      services,
      workingDir: process.cwd(),
      environment: process.env,
    },
    nodeSource,
  );
}
