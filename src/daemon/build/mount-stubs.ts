/**
 * The mount points a RUN step's `--mount`s needed (pure): the runtime creates each target (and
 * missing parents) in the container's upper directory before mounting over it. Like BuildKit, the
 * build drops those stubs from the layer when they were new and stayed empty, so nothing of a
 * mount reaches the image. Paths are absolute container paths, as UpperEntry has them.
 */
import type { UpperEntry } from "../containers/changes-classify.js";

export function mountStubs(entries: readonly UpperEntry[], targets: readonly string[]): Set<string> {
  const out = new Set<string>();
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const added = (e: UpperEntry | undefined) => e !== undefined && !e.lower && !e.whiteout;
  const below = (dir: string) => entries.filter((o) => o.path.startsWith(`${dir}/`));
  for (const t of targets) {
    const e = byPath.get(t);
    if (!added(e) || !e) continue;
    if (e.isDir ? below(t).length > 0 : e.size > 0) continue;
    out.add(t);
    // Parents the runtime made for it: new, and holding nothing but stubs.
    for (let p = t.slice(0, t.lastIndexOf("/")); p !== ""; p = p.slice(0, p.lastIndexOf("/"))) {
      const pe = byPath.get(p);
      if (!added(pe) || !pe?.isDir || pe.opaque) break;
      if (!below(p).every((o) => out.has(o.path))) break;
      out.add(p);
    }
  }
  return out;
}
