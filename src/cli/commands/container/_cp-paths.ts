/**
 * The path rules of `docker cp` (moby/go-archive's copy.go): which side is the container, where an
 * archive is extracted, and how its top entry is renamed so that
 *
 *   cp ctr:/etc/hosts ./h        writes ./h          (file onto a new name)
 *   cp ctr:/etc ./existing-dir   writes ./existing-dir/etc/...
 *   cp ctr:/etc ./new            writes ./new/...    (the directory takes the new name)
 *   cp ctr:/etc/. ./existing     writes the contents of /etc into ./existing
 *
 * (pure; POSIX paths)
 */

export interface CopyInfo {
  readonly path: string;
  readonly exists: boolean;
  readonly isDir: boolean;
  /** The name the top entry should get instead of its own (symlinks followed with -L). */
  readonly rebaseName?: string;
}

export interface CopyPlan {
  /** Where the (rebased) archive is extracted. */
  readonly dstDir: string;
  /** Rename the first occurrence of `from` in entry names to `to`. */
  readonly rebase?: { readonly from: string; readonly to: string };
}

/** CONTAINER:PATH or a local path ("-" included); an absolute or ./-relative path is always local. */
export function splitCpArg(arg: string): { container: string; path: string } {
  if (arg.startsWith("/")) return { container: "", path: arg };
  const colon = arg.indexOf(":");
  if (colon < 0 || arg.startsWith(".")) return { container: "", path: arg };
  return { container: arg.slice(0, colon), path: arg.slice(colon + 1) };
}

/** filepath.Clean for POSIX paths. */
export function cleanPath(p: string): string {
  if (p === "") return ".";
  const abs = p.startsWith("/");
  const out: string[] = [];
  for (const seg of p.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!abs) out.push("..");
    } else out.push(seg);
  }
  const joined = out.join("/");
  return abs ? `/${joined}` : joined || ".";
}

export function baseName(p: string): string {
  const c = cleanPath(p);
  if (c === "/") return "/";
  return c.slice(c.lastIndexOf("/") + 1);
}

export function dirName(p: string): string {
  const c = cleanPath(p);
  const i = c.lastIndexOf("/");
  if (i < 0) return ".";
  return i === 0 ? "/" : c.slice(0, i);
}

export function joinPath(...parts: string[]): string {
  return cleanPath(parts.filter((p) => p !== "").join("/"));
}

const hasTrailingSeparator = (p: string) => p.endsWith("/");

/** filepath.Base without cleaning: "a/." is ".", "a/b/" is "b". */
function rawBase(p: string): string {
  const trimmed = p.replace(/\/+$/, "");
  if (trimmed === "") return p === "" ? "." : "/";
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

const specifiesCurrentDir = (p: string) => rawBase(p) === ".";

/** True when the path says it is a directory: a trailing "/" or a final ".". */
export function assertsDirectory(p: string): boolean {
  return hasTrailingSeparator(p) || specifiesCurrentDir(p);
}

/** Keeps the trailing "/." or "/" of `original` on its cleaned form. */
export function preserveTrailingDotOrSeparator(cleaned: string, original: string): string {
  let out = cleaned;
  if (!specifiesCurrentDir(out) && specifiesCurrentDir(original)) {
    if (!hasTrailingSeparator(out)) out += "/";
    out += ".";
  }
  if (!hasTrailingSeparator(out) && hasTrailingSeparator(original)) out += "/";
  return out;
}

/** The absolute form of a local path against `cwd`, keeping its trailing "/" or "/.". */
export function resolveLocalPath(cwd: string, p: string): string {
  const abs = cleanPath(p.startsWith("/") ? p : `${cwd}/${p}`);
  return preserveTrailingDotOrSeparator(abs, p);
}

/** SplitPathDirEntry: "/a/b/." -> ["/a/b", "."], "/a/b/" -> ["/a", "b"]. */
export function splitPathDirEntry(p: string): [string, string] {
  let cleaned = cleanPath(p);
  if (specifiesCurrentDir(p)) cleaned += "/.";
  const slash = cleaned.lastIndexOf("/");
  const dir = slash < 0 ? "." : cleanPath(cleaned.slice(0, slash + 1));
  return [dir, rawBase(cleaned)];
}

/** GetRebaseName: the followed target keeps the original's trailing form; the original's name. */
export function rebaseNameFor(original: string, resolved: string): { path: string; rebaseName?: string } {
  let path = resolved;
  if (specifiesCurrentDir(original) && !specifiesCurrentDir(path)) path += "/.";
  if (hasTrailingSeparator(original) && !hasTrailingSeparator(path)) path += "/";
  const rebaseName = rawBase(original) !== rawBase(path) ? rawBase(original) : undefined;
  return { path, rebaseName };
}

/** PrepareArchiveCopy: where to extract an archive of `src` so that it lands at `dst`. */
export function prepareArchiveCopy(src: CopyInfo, dst: CopyInfo): CopyPlan {
  const [dstDir, dstBase] = splitPathDirEntry(dst.path);
  let [, srcBase] = splitPathDirEntry(src.path);
  if (dst.exists && dst.isDir) return { dstDir: dst.path };
  if (dst.exists && src.isDir) throw new Error("cannot copy directory");
  if (!dst.exists && !src.isDir && assertsDirectory(dst.path)) throw new Error("no such directory");
  if (src.rebaseName) srcBase = src.rebaseName;
  return { dstDir, rebase: { from: srcBase, to: dstBase } };
}

/** An entry name after a rebase (Go's strings.Replace(name, from, to, 1)). */
export function rebaseEntryName(name: string, rebase: CopyPlan["rebase"]): string {
  if (!rebase) return name;
  const from = rebase.from === "/" ? "" : rebase.from;
  const i = name.indexOf(from);
  return i < 0 ? name : name.slice(0, i) + rebase.to + name.slice(i + from.length);
}
