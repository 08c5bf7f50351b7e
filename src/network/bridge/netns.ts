/**
 * Network namespaces the daemon creates before `runc create` (pure plans).
 *
 * A netns is kept alive by bind-mounting its nsfs file onto a path, as `ip netns add` does under
 * /run/netns; berth keeps its own under /run/berth/netns/<container id>. The daemon puts that path in
 * the OCI spec (`namespaces: [{ type: "network", path }]`), so runc joins it and never creates one.
 * `unshare --net=<file>` makes the namespace and the bind mount in one step (the file must exist).
 */
import { type CommandPlan, cmd, tolerant } from "../plan.js";

export const NETNS_DIR = "/run/berth/netns";

export function netnsPath(containerId: string, dir: string = NETNS_DIR): string {
  return `${dir}/${containerId}`;
}

function dirOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i > 0 ? path.slice(0, i) : "/";
}

/** Creates a fresh, persistent netns at `path`. */
export function planNetnsCreate(path: string): CommandPlan {
  return [cmd("mkdir", "-p", dirOf(path)), cmd("touch", path), cmd("unshare", `--net=${path}`, "true")];
}

/**
 * Releases the namespace: unmounting drops berth's reference (the kernel frees the netns, and the
 * veth pairs in it, once no process is inside), then the file goes. Both steps tolerate absence.
 */
export function planNetnsRemove(path: string): CommandPlan {
  return [tolerant("umount", path), tolerant("rm", "-f", path)];
}
