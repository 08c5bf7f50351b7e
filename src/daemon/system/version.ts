/** GET /version body from build and host facts. (pure) */
import type { ComponentVersion, SystemVersion } from "../../api/types/system.js";
import type { ApiVersionRange } from "../../api/types/version.js";

export interface VersionInput {
  /** berth's version, e.g. "0.1.0". */
  readonly serverVersion: string;
  readonly gitCommit: string;
  /** RFC 3339 or any human string; the CLI prints it as is. */
  readonly buildTime: string;
  readonly api: ApiVersionRange;
  /** process.version, reported where Docker reports the Go version. */
  readonly nodeVersion: string;
  readonly kernelVersion: string;
  /** Go-style architecture ("amd64"). */
  readonly arch: string;
  /** Extra components shown by `docker version` (runc, conmon, ...). */
  readonly components?: readonly ComponentVersion[];
}

export function buildVersion(input: VersionInput): SystemVersion {
  const goVersion = `node ${input.nodeVersion}`;
  const engine: ComponentVersion = {
    Name: "Engine",
    Version: input.serverVersion,
    Details: {
      ApiVersion: input.api.current,
      Arch: input.arch,
      BuildTime: input.buildTime,
      Experimental: "false",
      GitCommit: input.gitCommit,
      GoVersion: goVersion,
      KernelVersion: input.kernelVersion,
      MinAPIVersion: input.api.min,
      Os: "linux",
    },
  };
  return {
    Platform: { Name: "berth" },
    Components: [engine, ...(input.components ?? [])],
    Version: input.serverVersion,
    ApiVersion: input.api.current,
    MinAPIVersion: input.api.min,
    GitCommit: input.gitCommit,
    GoVersion: goVersion,
    Os: "linux",
    Arch: input.arch,
    KernelVersion: input.kernelVersion,
    BuildTime: input.buildTime,
  };
}
