/**
 * `.dockerignore` as the docker CLI and BuildKit read and apply it:
 *
 * - Reading (docker/cli ignorefile.ReadAll): a UTF-8 BOM is dropped; lines starting with "#" (in
 *   column 1) are comments; every other line is trimmed, blank ones skipped; "!" marks an
 *   exception; patterns are cleaned and a leading "/" removed ("/foo" ≡ "foo").
 * - Choosing the file: `<dockerfile>.dockerignore` beside the Dockerfile (`-f app/Dockerfile` →
 *   `app/Dockerfile.dockerignore`) wins over `.dockerignore` at the context root.
 * - Sending: the Dockerfile and .dockerignore are always sent even if ignored (the CLI appends
 *   "!<file>" exceptions); the builder then leaves them out of COPY/ADD (`excludedFromBuild`).
 *
 *   const filter = new ContextFilter(parseDockerignore(text), { dockerfile: "Dockerfile" });
 *   walk(dir): for each entry → filter.shouldSend(path, isDir); descend when filter.shouldWalk(path)
 */
import { cleanPath, PatternMatcher } from "./pattern-matcher.js";

/** The patterns of a .dockerignore file, in order ("!" kept on exceptions). */
export function parseDockerignore(text: string): string[] {
  const src = text.startsWith("\ufeff") ? text.slice(1) : text;
  const out: string[] = [];
  const lines = src.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  for (const raw of lines) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.startsWith("#")) continue;
    let pattern = line.trim();
    if (pattern === "") continue;
    const invert = pattern.startsWith("!");
    if (invert) pattern = pattern.slice(1).trim();
    if (pattern !== "") {
      pattern = cleanPath(pattern);
      if (pattern.length > 1 && pattern.startsWith("/")) pattern = pattern.slice(1);
    }
    out.push(invert ? `!${pattern}` : pattern);
  }
  return out;
}

/**
 * Which ignore file applies, given the Dockerfile's path relative to the context root ("-" for
 * stdin) and the files that exist (relative paths): undefined when there is none.
 */
export function selectDockerignore(dockerfile: string, existing: Iterable<string>): string | undefined {
  const files = new Set<string>();
  for (const f of existing) files.add(cleanPath(f));
  if (dockerfile !== "-" && dockerfile !== "") {
    const specific = `${cleanPath(dockerfile)}.dockerignore`;
    if (files.has(specific)) return specific;
  }
  return files.has(".dockerignore") ? ".dockerignore" : undefined;
}

/**
 * docker/cli's TrimBuildFilesFromExcludes: appends "!.dockerignore" and "!<dockerfile>" when the
 * patterns would exclude them, so the daemon still receives them.
 */
export function trimBuildFilesFromExcludes(patterns: readonly string[], dockerfile = "Dockerfile"): string[] {
  const out = [...patterns];
  const matcher = new PatternMatcher(patterns);
  if (matcher.matches(".dockerignore")) out.push("!.dockerignore");
  const df = cleanPath(dockerfile.replace(/\\/g, "/"));
  if (dockerfile !== "-" && matcher.matches(df)) out.push(`!${df}`);
  return out;
}

export interface ContextFilterOptions {
  /** The Dockerfile's path relative to the context root ("Dockerfile"); "-" when read from stdin. */
  dockerfile?: string;
  /** The ignore file's path, also always sent (".dockerignore"). */
  ignoreFile?: string;
}

/** Decides which context entries are sent and which directories a walker must enter. */
export class ContextFilter {
  /** The user's patterns. */
  readonly matcher: PatternMatcher;
  /** The patterns plus the build-file exceptions: what is actually sent. */
  readonly sendMatcher: PatternMatcher;
  #buildFiles: string[];

  constructor(patterns: readonly string[], options: ContextFilterOptions = {}) {
    const dockerfile = options.dockerfile ?? "Dockerfile";
    this.matcher = new PatternMatcher(patterns);
    let withBuildFiles = trimBuildFilesFromExcludes(patterns, dockerfile);
    const ignoreFile = cleanPath(options.ignoreFile ?? ".dockerignore");
    if (ignoreFile !== ".dockerignore" && this.matcher.matches(ignoreFile)) {
      withBuildFiles = [...withBuildFiles, `!${ignoreFile}`];
    }
    this.sendMatcher = new PatternMatcher(withBuildFiles);
    this.#buildFiles = [".dockerignore", ignoreFile];
    if (dockerfile !== "-") this.#buildFiles.push(cleanPath(dockerfile));
  }

  /** Whether the patterns exclude `path` (build files included). */
  matches(path: string): boolean {
    return this.matcher.matches(path);
  }

  /** Whether an exception may re-include something below the excluded directory `dir`. */
  mightMatchBelow(dir: string): boolean {
    return this.sendMatcher.mightMatchBelow(dir);
  }

  /** Whether the entry itself goes into the context sent to the daemon. */
  shouldSend(path: string, _isDir: boolean): boolean {
    const p = cleanPath(path);
    if (p === ".") return true;
    return !this.sendMatcher.matches(p);
  }

  /**
   * Whether a walker must descend into `dir`: it is sent, or something below it may be. The
   * directory entry itself is sent only when shouldSend says so, or as the parent of a sent entry.
   */
  shouldWalk(dir: string): boolean {
    const p = cleanPath(dir);
    if (p === "." || !this.sendMatcher.matches(p)) return true;
    return this.sendMatcher.mightMatchBelow(p);
  }

  /** Whether a sent path must still be left out of COPY/ADD (an ignored Dockerfile or ignore file). */
  excludedFromBuild(path: string): boolean {
    const p = cleanPath(path);
    return this.#buildFiles.includes(p) && this.matcher.matches(p);
  }
}
