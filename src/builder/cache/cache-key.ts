/**
 * Build cache keys (pure), after BuildKit's CacheMap: a step's key digests the parent step's key,
 * the instruction with its values expanded, the build args it sees and, for COPY/ADD, a checksum of
 * every source (file data plus the metadata Docker counts: type, mode, uid/gid; never mtime).
 *
 *   const key = cacheKey({ parentKey, instruction: "COPY . .", text: "COPY . /app", args: {}, sources });
 */
import { type Digest, sha256 } from "../../lib/digest.js";

/** One copied source as the cache sees it; `digest` is the data (files) or the target (symlinks). */
export interface SourceEntry {
  type: "file" | "dir" | "symlink";
  mode: number;
  uid: number;
  gid: number;
  digest: string;
}

/** Sources by path relative to the context (or the --from stage's root). */
export type SourceManifest = Record<string, SourceEntry>;

export interface StepIdentity {
  /** The previous step's key; for FROM, the base image id or "scratch". */
  parentKey: string;
  /** The instruction as written (to find a sibling record when explaining a miss). */
  instruction: string;
  /** The instruction with its values expanded: what the step does. */
  text: string;
  /** Build args that reach the step (name → value). */
  args: Readonly<Record<string, string>>;
  sources?: SourceManifest;
}

function sorted<T>(o: Readonly<Record<string, T>>): [string, T][] {
  return Object.keys(o)
    .sort()
    .map((k) => [k, o[k]!]);
}

/** The checksum of a source manifest (order-independent). */
export function manifestDigest(m: SourceManifest): Digest {
  return sha256(JSON.stringify(sorted(m).map(([p, e]) => [p, e.type, e.mode, e.uid, e.gid, e.digest])));
}

export function cacheKey(step: StepIdentity): Digest {
  return sha256(
    JSON.stringify({
      v: 1,
      parent: step.parentKey,
      text: step.text,
      args: sorted(step.args),
      sources: step.sources ? manifestDigest(step.sources) : null,
    }),
  );
}
