import { failedPrecondition, internal, notFound } from "../lib/errors.js";
import { type CommandRunner, spawnRunner } from "../lib/exec.js";
import type { OciRuntime } from "./oci-runtime.js";
import { runtimeMessages } from "./runc.js";
import type { LinuxResources } from "./spec/runtime-spec.js";

/**
 * `runc update --resources - <id>` (crun speaks the same): changes a live container's cgroup limits.
 * The runtime reads the OCI LinuxResources object from stdin and writes the cgroup files (in the
 * right order for memory and swap); a field left at 0 or out of the object is left as it is.
 */
export async function updateResources(
  runtime: Pick<OciRuntime, "name" | "path" | "globalArgs">,
  id: string,
  resources: LinuxResources,
  runner: CommandRunner = spawnRunner,
): Promise<void> {
  const r = await runner.run(runtime.path, [...runtime.globalArgs, "update", "--resources", "-", id], {
    input: JSON.stringify(resources),
    allowFailure: true,
  });
  if (r.code === 0) return;
  const msg = runtimeMessages(r.stderr || r.stdout).join("; ") || `${runtime.name} update failed`;
  if (/does not exist/i.test(msg)) throw notFound(`${runtime.name} update ${id}: ${msg}`);
  if (/not running|is stopped/i.test(msg)) throw failedPrecondition(`${runtime.name} update ${id}: ${msg}`);
  throw internal(`${runtime.name} update ${id}: ${msg}`);
}
