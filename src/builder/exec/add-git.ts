/**
 * ADD <git repository>: `https://host/repo.git#ref:subdir`, `git@host:repo.git#ref`, `git://…`,
 * `ssh://…` (BuildKit's fragment syntax: a branch, tag or commit, then an optional subdirectory).
 * The ref is resolved to a commit with `git ls-remote` when the step is planned, so the cache key
 * is the commit: a branch that moved misses, an unchanged one hits without cloning. The clone
 * (the host's git, as root, never prompting) goes to a scratch directory; `.git` is dropped unless
 * `--keep-git-dir`.
 */
import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { invalidArgument } from "../../lib/errors.js";

export interface GitSource {
  /** The repository URL, without the fragment. */
  url: string;
  /** Branch, tag or commit; undefined: the remote's HEAD. */
  ref?: string;
  /** A directory of the repository to take instead of its root. */
  subdir?: string;
}

const TIMEOUT_MS = 5 * 60_000;

/** Splits `url#ref:subdir` (pure). */
export function parseGitSource(src: string): GitSource {
  const hash = src.indexOf("#");
  const url = hash < 0 ? src : src.slice(0, hash);
  const fragment = hash < 0 ? "" : src.slice(hash + 1);
  const colon = fragment.indexOf(":");
  const ref = colon < 0 ? fragment : fragment.slice(0, colon);
  const subdir = colon < 0 ? "" : fragment.slice(colon + 1);
  if (url === "" || /\s/.test(url) || url.startsWith("-"))
    throw invalidArgument(`invalid Git source ${JSON.stringify(src)}`);
  if (ref.startsWith("-") || /[\s~^:?*[\\]/.test(ref))
    throw invalidArgument(`invalid Git reference ${JSON.stringify(ref)} in ${src}`);
  const cleanSub = path.posix.normalize(subdir.replace(/^\/+/, "")).replace(/\/+$/, "");
  if (cleanSub === ".." || cleanSub.startsWith("../"))
    throw invalidArgument(
      `invalid Git subdirectory ${JSON.stringify(subdir)} in ${src}: it leaves the repository`,
    );
  return { url, ...(ref ? { ref } : {}), ...(subdir && cleanSub !== "." ? { subdir: cleanSub } : {}) };
}

function git(args: string[], opts: { cwd?: string; signal?: AbortSignal } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      args,
      {
        ...(opts.cwd ? { cwd: opts.cwd } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
        timeout: TIMEOUT_MS,
        maxBuffer: 16 << 20,
        // Never wait for a password or a host key answer: fail instead.
        env: {
          ...process.env,
          GIT_TERMINAL_PROMPT: "0",
          GIT_SSH_COMMAND: "ssh -o BatchMode=yes",
          GIT_CONFIG_NOSYSTEM: "1",
        },
      },
      (err, stdout, stderr) => {
        if (err) reject(new Error(String(stderr).trim() || err.message));
        else resolve(String(stdout));
      },
    );
  });
}

/** The commit a source names: a full hex id as is, else what `git ls-remote` says. */
export async function resolveGitCommit(src: GitSource, signal?: AbortSignal): Promise<string> {
  if (src.ref && /^[0-9a-f]{40}$/.test(src.ref)) return src.ref;
  let out: string;
  try {
    out = await git(["ls-remote", "--", src.url, ...(src.ref ? [src.ref, `${src.ref}^{}`] : ["HEAD"])], {
      ...(signal ? { signal } : {}),
    });
  } catch (err) {
    throw invalidArgument(`ADD ${src.url}: git ls-remote failed: ${(err as Error).message}`, err);
  }
  const lines = out
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => l.split("\t") as [string, string]);
  const want = src.ref ?? "HEAD";
  // An annotated tag's peeled line (refs/tags/v1^{}, asked for explicitly) names its commit.
  const pick =
    lines.find(([, name]) => name === `refs/tags/${want}^{}`) ??
    lines.find(
      ([, name]) => name === want || name === `refs/heads/${want}` || name === `refs/tags/${want}`,
    ) ??
    lines[0];
  if (!pick) throw invalidArgument(`ADD ${src.url}: no branch, tag or commit named ${JSON.stringify(want)}`);
  return pick[0];
}

/**
 * Clones the repository into `dir` at `commit` and returns the directory to copy from (the
 * subdirectory, if one was named).
 */
export async function checkoutGit(
  src: GitSource,
  commit: string,
  dir: string,
  opts: { keepGitDir: boolean; signal?: AbortSignal },
): Promise<string> {
  const signal = opts.signal ? { signal: opts.signal } : {};
  try {
    await git(["clone", "--quiet", "--no-checkout", "--", src.url, dir], signal);
    await git(["-c", "advice.detachedHead=false", "checkout", "--quiet", commit], { cwd: dir, ...signal });
  } catch (err) {
    throw invalidArgument(`ADD ${src.url}: git clone failed: ${(err as Error).message}`, err);
  }
  if (!opts.keepGitDir) await fs.rm(path.join(dir, ".git"), { recursive: true, force: true });
  if (!src.subdir) return dir;
  const sub = path.join(dir, src.subdir);
  const st = await fs.lstat(sub).catch(() => undefined);
  if (!st?.isDirectory())
    throw invalidArgument(
      `ADD ${src.url}: the repository has no directory ${src.subdir} at ${commit.slice(0, 12)}`,
    );
  return sub;
}
