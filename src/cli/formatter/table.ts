/**
 * Go's text/tabwriter (the fork in docker/cli, which measures cells in terminal columns), so that
 * tables line up exactly as docker's do. Docker creates it as tabwriter.NewWriter(out, 10, 1, 3,
 * ' ', 0): a column is as wide as its widest cell plus 3 spaces, and at least 10.
 *
 * Terms (elastic tabstops): text is lines of cells; a cell ends at '\t' (or '\v'); the text after
 * the last tab of a line is not part of a column. A column is a run of adjacent lines that all have
 * a cell at that index; a line without tabs ends every column. '\f' ends a line and every column.
 *
 *   tabwrite("REPOSITORY\tTAG\nubuntu\t22.04\n")
 *   // "REPOSITORY   TAG\nubuntu       22.04\n"
 *
 * (pure)
 */

export interface TabwriterOptions {
  /** Minimal cell width, padding included. */
  readonly minWidth: number;
  /** Width of a tab character when padChar is '\t'. */
  readonly tabWidth: number;
  /** Added to the widest cell of a column. */
  readonly padding: number;
  /** ' ' or '\t'. */
  readonly padChar: string;
}

/** The writer docker's formatter uses for every table. */
export const DOCKER_TABLE: TabwriterOptions = { minWidth: 10, tabWidth: 1, padding: 3, padChar: " " };

/** East Asian wide and fullwidth ranges (go-runewidth counts these as 2 columns). */
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x231a, 0x231b],
  [0x2329, 0x232a],
  [0x23e9, 0x23ec],
  [0x25fd, 0x25fe],
  [0x2614, 0x2615],
  [0x2648, 0x2653],
  [0x26aa, 0x26ab],
  [0x26bd, 0x26be],
  [0x26c4, 0x26c5],
  [0x26f2, 0x26f5],
  [0x2705, 0x2705],
  [0x270a, 0x270b],
  [0x2753, 0x2755],
  [0x2795, 0x2797],
  [0x2b1b, 0x2b1c],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x16fe0, 0x16fe4],
  [0x17000, 0x18cff],
  [0x1b000, 0x1b2ff],
  [0x1f004, 0x1f004],
  [0x1f0cf, 0x1f0cf],
  [0x1f18e, 0x1f18e],
  [0x1f191, 0x1f19a],
  [0x1f200, 0x1f251],
  [0x1f300, 0x1f64f],
  [0x1f680, 0x1f6ff],
  [0x1f7e0, 0x1f7eb],
  [0x1f90c, 0x1f9ff],
  [0x1fa70, 0x1faff],
  [0x20000, 0x3fffd],
];

const ZERO_WIDTH = /[\p{Mn}\p{Me}\p{Cf}\p{Cc}]/u;

/** Terminal columns a string takes (go-runewidth's StringWidth, approximately). */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x7f) {
      w += cp >= 0x20 ? 1 : 0;
      continue;
    }
    if (ZERO_WIDTH.test(ch)) continue;
    w += WIDE.some(([lo, hi]) => cp >= lo && cp <= hi) ? 2 : 1;
  }
  return w;
}

interface Cell {
  text: string;
  width: number;
  /** Ended by '\t' (not '\v'). */
  htab: boolean;
}

/** The writer's state between flushes; format() and writeLines() mirror Go's methods. */
class Tabwriter {
  readonly #opts: TabwriterOptions;
  #lines: Cell[][] = [[]];
  #widths: number[] = [];
  #out = "";

  constructor(opts: TabwriterOptions) {
    this.#opts = opts;
  }

  write(text: string): void {
    let cell = "";
    for (const ch of text) {
      if (ch !== "\t" && ch !== "\v" && ch !== "\n" && ch !== "\f") {
        cell += ch;
        continue;
      }
      const line = this.#lines[this.#lines.length - 1]!;
      line.push({ text: cell, width: displayWidth(cell), htab: ch === "\t" });
      cell = "";
      if (ch === "\n" || ch === "\f") {
        const ncells = line.length;
        this.#lines.push([]);
        // A line of one cell cannot affect later columns: flush (as Go does).
        if (ch === "\f" || ncells === 1) this.flush();
      }
    }
    if (cell !== "") {
      const line = this.#lines[this.#lines.length - 1]!;
      line.push({ text: cell, width: displayWidth(cell), htab: false });
    }
  }

  flush(): string {
    this.#format(0, this.#lines.length);
    this.#lines = [[]];
    return this.#out;
  }

  #padding(textWidth: number, cellWidth: number): void {
    if (this.#opts.padChar === "\t") {
      const tw = this.#opts.tabWidth;
      if (tw === 0) return;
      const cw = Math.ceil(cellWidth / tw) * tw;
      this.#out += "\t".repeat(Math.ceil((cw - textWidth) / tw));
      return;
    }
    this.#out += this.#opts.padChar.repeat(Math.max(cellWidth - textWidth, 0));
  }

  #writeLines(line0: number, line1: number): void {
    for (let i = line0; i < line1; i++) {
      const line = this.#lines[i]!;
      line.forEach((c, j) => {
        if (c.text !== "") this.#out += c.text;
        if (j < this.#widths.length) this.#padding(c.width, this.#widths[j]!);
      });
      if (i + 1 < this.#lines.length) this.#out += "\n";
    }
  }

  #format(start: number, line1: number): void {
    let line0 = start;
    const column = this.#widths.length;
    for (let cur = line0; cur < line1; cur++) {
      if (column >= this.#lines[cur]!.length - 1) continue;
      // A cell in this column: the lines before it are done; a column block starts here.
      this.#writeLines(line0, cur);
      line0 = cur;
      let width = this.#opts.minWidth;
      for (; cur < line1; cur++) {
        const line = this.#lines[cur]!;
        if (column >= line.length - 1) break;
        width = Math.max(width, line[column]!.width + this.#opts.padding);
      }
      this.#widths.push(width);
      this.#format(line0, cur);
      this.#widths.pop();
      line0 = cur;
    }
    this.#writeLines(line0, line1);
  }
}

/** Aligns tab-separated text as Go's tabwriter does after Write(text) and Flush(). */
export function tabwrite(text: string, options: TabwriterOptions = DOCKER_TABLE): string {
  const w = new Tabwriter(options);
  w.write(text);
  return w.flush();
}

/**
 * A table as docker prints one: the header row, then the rows, cells aligned by the tabwriter, each
 * line ending in a newline. Cells must not contain tabs or newlines.
 */
export function renderTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  options: TabwriterOptions = DOCKER_TABLE,
): string {
  const text = [header, ...rows].map((r) => `${r.join("\t")}\n`).join("");
  return tabwrite(text, options);
}
