/**
 * Paths inside a container's root filesystem (pure: the one lookup it needs is injected).
 *
 * A container path is resolved against the container's root, never the host's: a symlink to
 * "/etc/passwd" means the container's /etc/passwd, ".." stops at the root, and nothing a resolved
 * path names lies outside it. This is what Docker's securejoin (FollowSymlinkInScope) does for
 * `docker cp`. The result is a relative path ("" for the root) whose components, except possibly
 * the last, were real directories or missing when they were looked at; the caller joins it to the
 * host directory where the root is mounted.
 *
 *   await resolveInRoot("/escape/etc/hostname", readlinkIn(root))  // "etc/hostname" when /escape -> /
 *
 * A running container can still swap a directory for a symlink after resolution; callers open
 * files with O_NOFOLLOW and never follow links on the host side, so such a race cannot leave the
 * root through the last component.
 */
import { invalidArgument } from "../../lib/errors.js";

/** The link target of `rel` (relative to the root) when it is a symlink; undefined otherwise or when missing. */
export type ReadlinkInRoot = (rel: string) => Promise<string | undefined>;

/** Linux's limit on symlinks followed in one lookup (MAXSYMLINKS is 40; securejoin allows 255). */
const MAX_LINKS = 255;

export interface ResolveOptions {
  /** Follow the last component when it is a symlink (default true). */
  followFinal?: boolean;
}

/**
 * Resolves `containerPath` (absolute or relative to the root) inside the root. Intermediate
 * symlinks are always followed in scope; the last one only with followFinal.
 */
export async function resolveInRoot(
  containerPath: string,
  readlink: ReadlinkInRoot,
  opts: ResolveOptions = {},
): Promise<string> {
  if (containerPath.includes("\0")) throw invalidArgument("path must not contain a NUL byte");
  const followFinal = opts.followFinal ?? true;
  const pending = containerPath.split("/");
  const resolved: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === "" || part === ".") continue;
    if (part === "..") {
      resolved.pop();
      continue;
    }
    const last = pending.every((p) => p === "" || p === ".");
    const candidate = [...resolved, part].join("/");
    if (last && !followFinal) {
      resolved.push(part);
      break;
    }
    const target = await readlink(candidate);
    if (target === undefined) {
      resolved.push(part);
      continue;
    }
    if (++links > MAX_LINKS) {
      throw invalidArgument(`resolving ${containerPath}: too many levels of symbolic links`);
    }
    if (target.startsWith("/")) resolved.length = 0;
    pending.unshift(...target.split("/"));
  }
  return resolved.join("/");
}

/**
 * Docker's absolute form of a container path (moby PreserveTrailingDotOrSeparator): cleaned and
 * rooted, but a trailing "/" or "/." is kept, because it means "the directory itself" to cp.
 */
export function containerAbsPath(p: string): string {
  const parts: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  const clean = `/${parts.join("/")}`;
  if (clean === "/") return clean;
  if (p.endsWith("/.") || p === ".") return `${clean}/.`;
  if (p.endsWith("/")) return `${clean}/`;
  return clean;
}

/**
 * Splits an absolute container path as Go's filepath.Split does: the directory (with its
 * trailing slash) and the last element, which is "" for "/etc/" and "." for "/etc/.".
 */
export function splitContainerPath(abs: string): { dir: string; base: string } {
  const i = abs.lastIndexOf("/");
  return { dir: abs.slice(0, i + 1), base: abs.slice(i + 1) };
}

/** Go's filepath.Base: the last element, ignoring trailing slashes; "/" for the root. */
export function containerBaseName(abs: string): string {
  const trimmed = abs.replace(/\/+$/, "");
  if (trimmed === "") return "/";
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

/**
 * Docker's ResolvePath: the directory part is resolved in scope (symlinks followed), the last
 * element is appended as it is, so a symlink there is the link itself. "/etc/" and "/etc/." name
 * the directory (the link's target, when /etc is a link).
 */
export async function resolveContainerPath(
  containerPath: string,
  readlink: ReadlinkInRoot,
): Promise<{ rel: string; abs: string }> {
  const abs = containerAbsPath(containerPath);
  const { dir, base } = splitContainerPath(abs);
  const dirRel = await resolveInRoot(dir, readlink);
  if (base === "" || base === ".") return { rel: dirRel, abs };
  return { rel: dirRel === "" ? base : `${dirRel}/${base}`, abs };
}
