/**
 * `--explain`: the whole cache decision table (pure). One row per step, in the order the steps
 * ran: the step, what the cache decided, the key and the inputs it was made from, and why.
 *
 *   STEP  INSTRUCTION          RESULT  KEY           INPUTS                         REASON
 *   2/4   COPY package.json ./  cached  3f2a…         parent=9c1d… sources=1 entry …  same key as …
 */
export interface ExplainRow {
  /** "n/total" (or "n/total+" for ONBUILD triggers). */
  step: string;
  instruction: string;
  result: "cached" | "miss" | "run" | "base";
  key: string;
  inputs: string;
  reason: string;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** The table as text lines (column widths fitted, instructions clipped at 40 characters). */
export function formatExplainTable(rows: readonly ExplainRow[]): string {
  const head = ["STEP", "INSTRUCTION", "RESULT", "KEY", "INPUTS", "REASON"];
  const cells = rows.map((r) => [
    r.step,
    clip(r.instruction.replace(/\s+/g, " "), 40),
    r.result,
    r.key.replace(/^sha256:/, "").slice(0, 12),
    r.inputs,
    r.reason,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return `${[line(head), ...cells.map(line)].join("\n")}\n`;
}
