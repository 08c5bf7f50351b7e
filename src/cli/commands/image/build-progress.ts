/**
 * `berth build` progress on a terminal, BuildKit-like: one line per step with CACHED markers and
 * timings, each cache miss with its reason, and the last lines of the running step's output,
 * redrawn in place. Built from the legacy stream the daemon sends (the same one `docker build`
 * shows), so the API stays Docker's. Not a TTY: the stream is printed as it comes.
 */

export interface StepView {
  n: string;
  text: string;
  started: number;
  ended?: number;
  cached: boolean;
  miss?: string;
  tail: string[];
}

const TAIL = 6;

/** Folds legacy stream text into steps (pure apart from the clock it is given). */
export class BuildProgressModel {
  readonly steps: StepView[] = [];
  /** Lines printed after the steps (warnings, results, the explain table). */
  readonly notes: string[] = [];
  #partial = "";
  #inTable = false;

  push(text: string, now: number): void {
    const lines = (this.#partial + text).split("\n");
    this.#partial = lines.pop() ?? "";
    for (const line of lines) this.#line(line, now);
  }

  finish(now: number): void {
    if (this.#partial) this.#line(this.#partial, now);
    this.#partial = "";
    const last = this.steps.at(-1);
    if (last && last.ended === undefined) last.ended = now;
  }

  #line(line: string, now: number): void {
    const cur = this.steps.at(-1);
    if (this.#inTable) {
      this.notes.push(line);
      return;
    }
    const step = /^Step (\d+\/\d+) : (.*)$/.exec(line);
    if (step) {
      if (cur && cur.ended === undefined) cur.ended = now;
      this.steps.push({ n: step[1]!, text: step[2]!, started: now, cached: false, tail: [] });
      return;
    }
    if (line === "Cache decisions:") {
      this.#inTable = true;
      this.notes.push(line);
      return;
    }
    if (/^(\[Warning\]| {10}fix:|Successfully |Check complete)/.test(line)) {
      this.notes.push(line);
      return;
    }
    if (!cur) {
      if (line.trim()) this.notes.push(line);
      return;
    }
    if (line === " ---> Using cache") {
      cur.cached = true;
      cur.ended ??= now;
    } else if (line.startsWith(" ---> Cache miss: ")) cur.miss = line.slice(line.indexOf(" — ") + 3);
    else if (/^ ---> (Running in |Removed intermediate|[0-9a-f]{12}$)/.test(line)) {
      if (/^ ---> [0-9a-f]{12}$/.test(line) && cur.ended === undefined && cur.tail.length === 0)
        cur.ended = now;
    } else if (line.trim() !== "" && !line.startsWith("# Executing")) {
      cur.tail.push(line);
      if (cur.tail.length > TAIL) cur.tail.shift();
    }
  }

  /** The frame: a header, the steps, and the running step's output tail. */
  render(now: number, width: number, started: number): string[] {
    const done = this.steps.filter((s) => s.ended !== undefined).length;
    const out = [`[+] Building ${((now - started) / 1000).toFixed(1)}s (${done}/${this.steps.length})`];
    const fit = (s: string, right: string) => {
      const room = Math.max(10, width - right.length - 1);
      const left = s.length > room ? `${s.slice(0, room - 1)}…` : s.padEnd(room);
      return `${left} ${right}`;
    };
    for (const s of this.steps) {
      const secs = `${(((s.ended ?? now) - s.started) / 1000).toFixed(1)}s`;
      out.push(fit(` => ${s.cached ? "CACHED " : ""}[${s.n}] ${s.text}`, secs));
      if (s.miss) out.push(fit(` => => cache miss: ${s.miss}`, ""));
      if (s.ended === undefined) for (const t of s.tail) out.push(fit(` => => # ${t}`, ""));
    }
    return out;
  }
}

/** Draws the model on a terminal, redrawing at most every 100 ms. */
export class TtyBuildProgress {
  readonly model = new BuildProgressModel();
  readonly #started = Date.now();
  #height = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly out: NodeJS.WriteStream) {}

  push(text: string): void {
    this.model.push(text, Date.now());
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.#draw();
    }, 100);
  }

  finish(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.model.finish(Date.now());
    this.#draw();
    if (this.model.notes.length) this.out.write(`${this.model.notes.join("\n")}\n`);
  }

  #draw(): void {
    const width = this.out.columns || 80;
    const rows = this.out.rows || 24;
    let lines = this.model.render(Date.now(), width, this.#started);
    if (lines.length > rows - 1) lines = [lines[0]!, ...lines.slice(lines.length - (rows - 2))];
    const up = this.#height > 0 ? `\x1b[${this.#height}A` : "";
    this.out.write(`${up}\r\x1b[J${lines.join("\n")}\n`);
    this.#height = lines.length;
  }
}
