import { promises as fs } from "node:fs";
import path from "node:path";
import {
  type CgroupDirs,
  containerCgroupDirs,
  hostCgroupLayout,
  readOomKills,
  readProcCgroups,
} from "../../runtime/cgroups/index.js";
import { runPaths } from "./runtime-deps.js";

/**
 * A container's cgroup directories: from its init's /proc/<pid>/cgroup while it runs, else from
 * the cgroupsPath of its OCI bundle (spec-input.ts asks for /berth/<id>). Undefined on a host
 * without cgroups.
 */
export async function containerCgroup(
  deps: { runDir: string },
  id: string,
  pid = 0,
): Promise<CgroupDirs | undefined> {
  const layout = await hostCgroupLayout();
  if (!layout) return undefined;
  const proc = await readProcCgroups(pid);
  const cgroupsPath = proc ? "" : await specCgroupsPath(deps, id);
  return containerCgroupDirs(layout, {
    ...(proc ? { proc } : {}),
    cgroupsPath: cgroupsPath || `/berth/${id}`,
  });
}

async function specCgroupsPath(deps: { runDir: string }, id: string): Promise<string> {
  try {
    const spec = JSON.parse(await fs.readFile(path.join(runPaths(deps, id).bundle, "config.json"), "utf8"));
    return typeof spec?.linux?.cgroupsPath === "string" ? spec.linux.cgroupsPath : "";
  } catch {
    return "";
  }
}

/**
 * Whether the kernel OOM-killed a process of the container, from its cgroup's own counter
 * (memory.oom_control or memory.events). A second opinion for when conmon wrote no `oom` file;
 * call it before `runtime delete` removes the cgroup.
 */
export async function cgroupSawOomKill(deps: { runDir: string }, id: string): Promise<boolean> {
  try {
    const cg = await containerCgroup(deps, id);
    return cg ? ((await readOomKills(cg)) ?? 0) > 0 : false;
  } catch {
    return false;
  }
}
