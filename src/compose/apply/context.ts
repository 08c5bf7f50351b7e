/** What every compose operation works with: the client, the loaded project, and where to report. */
import type { Readable } from "node:stream";
import type { ApiClient } from "../../api/client/client.js";
import type { Project, ProjectMeta } from "../model.js";

export interface ComposeContext {
  readonly client: ApiClient;
  readonly project: Project;
  readonly meta: Pick<ProjectMeta, "workingDir" | "configFiles">;
  /** One progress line (" Container demo-db-1  Started"), written to stderr by the CLI. */
  progress(line: string): void;
  /** Build output (the builder's stream text). */
  buildOutput?(text: string): void;
  /** A tar of a build context directory (the CLI supplies its own context packer). */
  contextTar?(dir: string): Readable;
}

/** " Container demo-db-1  Started" as Docker Compose prints events in plain progress mode. */
export function event(
  kind: "Container" | "Network" | "Volume" | "Image" | "Service",
  name: string,
  status: string,
) {
  return ` ${kind} ${name}  ${status}`;
}
