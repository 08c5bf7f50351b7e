/** What every compose operation works with: the client, the loaded project, and where to report. */
import type { Readable } from "node:stream";
import type { AuthConfig } from "../../api/types/registry-auth.js";
import type { ApiClient } from "../../api/client/client.js";
import { BerthError, type ErrorKind } from "../../lib/errors.js";
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
  /** The client's stored credentials for a registry ("127.0.0.1:5000", "docker.io"), if any. */
  credentials?(registry: string): Promise<AuthConfig | undefined>;
  /** Every stored credential by registry, for builds (X-Registry-Config). */
  allCredentials?(): Promise<Record<string, AuthConfig>>;
}

/** " Container demo-db-1  Started" as Docker Compose prints events in plain progress mode. */
export function event(
  kind: "Container" | "Network" | "Volume" | "Image" | "Service",
  name: string,
  status: string,
) {
  return ` ${kind} ${name}  ${status}`;
}

/**
 * Docker Compose v2's exit codes for failure categories: 14 compose file not found, 15 compose file
 * invalid, 16 command-line syntax, 17 build failed, 18 pull failed; anything else is 1.
 */
export const EXIT = { fileNotFound: 14, parse: 15, syntax: 16, build: 17, pull: 18 } as const;

/** An error with the exit code Docker Compose would use for it. */
export class ComposeError extends BerthError {
  readonly exitCode: number;
  constructor(kind: ErrorKind, message: string, exitCode: number, options?: { cause?: unknown }) {
    super(kind, message, options);
    this.name = "ComposeError";
    this.exitCode = exitCode;
  }
}
