/**
 * Why a step missed the cache (pure), beyond what Docker says: the caller passes the step and the
 * records made earlier for the same instruction on the same parent ("siblings").
 *
 *   explainMiss(step, siblings, { previousMissed: false })  // "src/app.js changed (content)"
 */
import type { SourceEntry, SourceManifest, StepIdentity } from "./cache-key.js";

export interface Sibling {
  text: string;
  args: Readonly<Record<string, string>>;
  sources?: SourceManifest;
}

function entryChange(a: SourceEntry, b: SourceEntry): string | undefined {
  if (a.type !== b.type) return `type ${a.type} → ${b.type}`;
  if (a.digest !== b.digest) return a.type === "symlink" ? "link target" : "content";
  if (a.mode !== b.mode) return `mode ${a.mode.toString(8)} → ${b.mode.toString(8)}`;
  if (a.uid !== b.uid || a.gid !== b.gid) return `owner ${a.uid}:${a.gid} → ${b.uid}:${b.gid}`;
  return undefined;
}

function sourceChanges(before: SourceManifest, after: SourceManifest): string[] {
  const out: string[] = [];
  for (const p of Object.keys(after).sort()) {
    const was = before[p];
    if (!was) out.push(`${p} added`);
    else {
      const why = entryChange(was, after[p]!);
      if (why) out.push(`${p} changed (${why})`);
    }
  }
  for (const p of Object.keys(before).sort()) if (!(p in after)) out.push(`${p} removed`);
  return out;
}

function argChanges(
  before: Readonly<Record<string, string>>,
  after: Readonly<Record<string, string>>,
): string[] {
  const out: string[] = [];
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const n of names) {
    const a = before[n];
    const b = after[n];
    if (a === b) continue;
    if (a === undefined) out.push(`ARG ${n} set to ${b}`);
    else if (b === undefined) out.push(`ARG ${n} unset (was ${a})`);
    else out.push(`ARG ${n} changed from ${a} to ${b}`);
  }
  return out;
}

/** The reasons, most recent sibling first; "no earlier build of this step" when none compares. */
export function explainMiss(
  step: StepIdentity,
  siblings: readonly Sibling[],
  opts: { previousMissed: boolean },
): string {
  if (opts.previousMissed) return "previous step missed";
  const last = siblings[siblings.length - 1];
  if (!last) return "no earlier build of this step";
  const reasons = [...argChanges(last.args, step.args)];
  if (step.sources && last.sources) reasons.push(...sourceChanges(last.sources, step.sources));
  if (reasons.length === 0 && last.text !== step.text)
    reasons.push(`now "${step.text}" (was "${last.text}")`);
  if (reasons.length === 0) return "no earlier build of this step";
  const shown = reasons.slice(0, 5);
  if (reasons.length > 5) shown.push(`and ${reasons.length - 5} more`);
  return shown.join(", ");
}
