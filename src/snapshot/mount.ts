/**
 * Mounts as data, and the thin shell that performs them with mount(8)/umount(8) (Node has no
 * mount syscall). Snapshotters return Mount[]; whoever owns the target (a container's bundle, a
 * build step, a test) calls mountAll and later unmount.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { errnoCode, invalidArgument, wrap } from "../lib/errors.js";
import { type CommandRunner, spawnRunner } from "../lib/exec.js";

export interface Mount {
  /** Filesystem type: "overlay", "bind", "tmpfs", ... */
  type: string;
  /** Device or directory; "overlay" for overlay mounts. */
  source: string;
  /** Path below the mountAll target, for mounts stacked inside it; the target itself when absent. */
  target?: string;
  /** mount(8) -o options: "ro", "rbind", "lowerdir=...", ... */
  options: string[];
}

export interface MountShellOptions {
  runner?: CommandRunner;
}

/** The kernel copies at most one page of mount options; stay well below it. */
const MAX_OPTIONS = 4000;

const DIR_OPTIONS = ["lowerdir", "upperdir", "workdir"];

/** The longest directory that contains every path. */
function commonDir(paths: readonly string[]): string {
  let parts = (paths[0] ?? "/").split("/");
  for (const p of paths.slice(1)) {
    const other = p.split("/");
    let i = 0;
    while (i < parts.length && i < other.length && parts[i] === other[i]) i++;
    parts = parts.slice(0, i);
  }
  return parts.join("/") || "/";
}

/**
 * Rewrites overlay options too long for one page to paths relative to their common directory, to
 * be run from there (containerd does the same). Undefined when nothing can be gained.
 */
function compactOverlay(options: readonly string[]): { options: string[]; cwd: string } | undefined {
  const dirs: string[] = [];
  for (const o of options) {
    const [key, value] = [o.slice(0, o.indexOf("=")), o.slice(o.indexOf("=") + 1)];
    if (DIR_OPTIONS.includes(key)) dirs.push(...value.split(":"));
  }
  if (dirs.length === 0 || !dirs.every((d) => path.isAbsolute(d))) return undefined;
  const cwd = commonDir(dirs.map((d) => path.dirname(d)));
  if (cwd === "/") return undefined;
  const rel = (d: string) => path.relative(cwd, d);
  return {
    cwd,
    options: options.map((o) => {
      const key = o.slice(0, o.indexOf("="));
      if (!DIR_OPTIONS.includes(key)) return o;
      return `${key}=${o
        .slice(key.length + 1)
        .split(":")
        .map(rel)
        .join(":")}`;
    }),
  };
}

/** The mount(8) command line for one mount (pure). */
export function mountCommand(m: Mount, target: string): { args: string[]; cwd?: string } {
  let options = [...m.options];
  let cwd: string | undefined;
  if (m.type === "overlay" && options.join(",").length > MAX_OPTIONS) {
    const compact = compactOverlay(options);
    if (compact) ({ options, cwd } = compact);
  }
  if (m.type === "overlay" && options.join(",").length > MAX_OPTIONS) {
    throw invalidArgument(`overlay mount options are too long (${options.join(",").length} bytes)`);
  }
  const isBind = m.type === "bind" || options.includes("bind") || options.includes("rbind");
  if (m.type === "bind" && !options.includes("bind") && !options.includes("rbind")) options.push("rbind");
  const args = isBind ? [] : ["-t", m.type];
  if (options.length) args.push("-o", options.join(","));
  args.push("--", m.source, target);
  return cwd ? { args, cwd } : { args };
}

/** Mounts each mount in order on target (or target/m.target); undoes the done ones on failure. */
export async function mountAll(
  mounts: readonly Mount[],
  target: string,
  opts: MountShellOptions = {},
): Promise<void> {
  const runner = opts.runner ?? spawnRunner;
  const done: string[] = [];
  try {
    for (const m of mounts) {
      const where = m.target ? path.join(target, m.target) : target;
      const { args, cwd } = mountCommand(m, where);
      await runner.run("mount", args, cwd ? { cwd } : {});
      done.push(where);
    }
  } catch (err) {
    for (const where of done.reverse()) await unmount(where, opts).catch(() => {});
    throw wrap(err, `mounting on ${target}`);
  }
}

/** Undoes mountinfo's octal escapes ("\040" for a space). */
function unescapeMountinfo(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));
}

/** Mount points of this process's mount namespace, in mount order (stacked mounts repeat). */
export async function mountPoints(): Promise<string[]> {
  const text = await fs.readFile("/proc/self/mountinfo", "utf8");
  return text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => unescapeMountinfo(l.split(" ")[4] ?? ""));
}

async function realTarget(target: string): Promise<string> {
  try {
    return await fs.realpath(target);
  } catch (err) {
    if (errnoCode(err) === "ENOENT") return path.resolve(target);
    throw err;
  }
}

export async function isMountPoint(target: string): Promise<boolean> {
  const real = await realTarget(target);
  return (await mountPoints()).includes(real);
}

export interface UnmountOptions extends MountShellOptions {
  /** Lazy unmount (umount -l): detach now, clean up when no longer busy. */
  detach?: boolean;
}

/** Unmounts everything stacked on target; a target with nothing mounted is fine. */
export async function unmount(target: string, opts: UnmountOptions = {}): Promise<void> {
  const runner = opts.runner ?? spawnRunner;
  const real = await realTarget(target);
  for (let i = 0; i < 64 && (await mountPoints()).includes(real); i++) {
    await runner.run("umount", opts.detach ? ["-l", "--", real] : ["--", real]);
  }
}

/** Unmounts every mount at or below target, deepest first: cleanup of a tree of mounts. */
export async function unmountAll(target: string, opts: UnmountOptions = {}): Promise<void> {
  const real = await realTarget(target);
  const below = (await mountPoints()).filter((p) => p === real || p.startsWith(`${real}/`));
  const unique = [...new Set(below)].sort((a, b) => b.length - a.length);
  for (const p of unique) await unmount(p, opts);
}
