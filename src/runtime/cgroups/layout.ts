/**
 * Where a process's cgroups are. Pure: it reads /proc/self/mountinfo and /proc/<pid>/cgroup text.
 *
 * Three host layouts exist, and berth meets all of them:
 *  - v1 ("legacy"): one hierarchy per controller (or a few together, "cpu,cpuacct"), each mounted
 *    under /sys/fs/cgroup/<controllers>;
 *  - hybrid: the v1 hierarchies hold every controller and a cgroup2 mount (/sys/fs/cgroup/unified)
 *    holds none. For resource accounting this is v1, which is also what runc decides;
 *  - v2 ("unified"): one cgroup2 hierarchy with all controllers.
 *
 * A container's directory for a controller is the hierarchy's mount point joined with the
 * process's path in that hierarchy (as /proc/<pid>/cgroup shows it), less the mount's root.
 */

export const V1_CONTROLLERS = [
  "cpu",
  "cpuacct",
  "cpuset",
  "memory",
  "devices",
  "freezer",
  "net_cls",
  "net_prio",
  "blkio",
  "perf_event",
  "hugetlb",
  "pids",
  "rdma",
  "misc",
] as const;

export interface CgroupMount {
  mountpoint: string;
  /** The cgroup path that is mounted there ("/" unless the mount is of a sub-cgroup). */
  root: string;
}

export type CgroupLayout =
  | { version: 1; controllers: Record<string, CgroupMount> }
  | { version: 2; unified: CgroupMount };

const unescapeMount = (s: string) =>
  s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

/**
 * The host's layout from mountinfo: v1 when any v1 controller hierarchy is mounted (hybrid hosts
 * included), else v2 when a cgroup2 mount exists; undefined without cgroups.
 */
export function parseMountinfo(text: string): CgroupLayout | undefined {
  const controllers: Record<string, CgroupMount> = {};
  let unified: CgroupMount | undefined;
  for (const line of text.split("\n")) {
    const sep = line.indexOf(" - ");
    if (sep < 0) continue;
    const left = line.slice(0, sep).split(" ");
    const [fstype, , superOpts = ""] = line.slice(sep + 3).split(" ");
    const root = unescapeMount(left[3] ?? "/");
    const mountpoint = unescapeMount(left[4] ?? "");
    if (fstype === "cgroup2") {
      unified ??= { mountpoint, root };
    } else if (fstype === "cgroup") {
      for (const opt of superOpts.split(",")) {
        if ((V1_CONTROLLERS as readonly string[]).includes(opt)) controllers[opt] ??= { mountpoint, root };
      }
    }
  }
  if (Object.keys(controllers).length > 0) return { version: 1, controllers };
  return unified ? { version: 2, unified } : undefined;
}

export interface ProcCgroups {
  /** controller → path, from the v1 lines ("4:memory:/berth/<id>"). */
  v1: Record<string, string>;
  /** The path in the unified hierarchy ("0::/berth/<id>"). */
  unified?: string;
}

/** /proc/<pid>/cgroup. */
export function parseProcCgroup(text: string): ProcCgroups {
  const out: ProcCgroups = { v1: {} };
  for (const line of text.split("\n")) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    if (m[1] === "0" && m[2] === "") out.unified = m[3]!;
    else for (const c of m[2]!.split(",")) if (c) out.v1[c] = m[3]!;
  }
  return out;
}

/** The host directory of cgroup `cgPath` in a hierarchy mounted as `mount`. */
export function cgroupDir(mount: CgroupMount, cgPath: string): string {
  const root = mount.root === "/" ? "" : mount.root.replace(/\/$/, "");
  const rel = root && (cgPath === root || cgPath.startsWith(`${root}/`)) ? cgPath.slice(root.length) : cgPath;
  const clean = rel.startsWith("/") ? rel : `/${rel}`;
  return `${mount.mountpoint.replace(/\/$/, "")}${clean === "/" ? "" : clean}`;
}

/** A container's cgroup directories: per v1 controller, or the one v2 directory. */
export type CgroupDirs = { version: 1; dirs: Record<string, string> } | { version: 2; dir: string };

/**
 * Resolves a container's directories from its init's /proc/<pid>/cgroup when known, else from
 * the cgroupsPath its spec asked for (cgroupfs driver: a path from every hierarchy's root).
 */
export function containerCgroupDirs(
  layout: CgroupLayout,
  opts: { proc?: ProcCgroups; cgroupsPath: string },
): CgroupDirs {
  if (layout.version === 2) {
    return { version: 2, dir: cgroupDir(layout.unified, opts.proc?.unified ?? opts.cgroupsPath) };
  }
  const dirs: Record<string, string> = {};
  for (const [controller, mount] of Object.entries(layout.controllers)) {
    dirs[controller] = cgroupDir(mount, opts.proc?.v1[controller] ?? opts.cgroupsPath);
  }
  return { version: 1, dirs };
}
