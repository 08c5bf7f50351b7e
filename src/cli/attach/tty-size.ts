/**
 * Keeps a container's (or exec's) TTY the size of the local terminal: once at the start (retried
 * briefly, since the process may not be running yet) and again whenever the terminal is resized
 * (Node emits 'resize' on a TTY stdout when SIGWINCH arrives).
 *
 *   const stop = monitorTtySize(process.stdout, (size) => resize(client, id, size), { warn });
 *   ...
 *   stop();
 */

export interface TtySize {
  readonly rows: number;
  readonly cols: number;
}

/** The parts of a tty.WriteStream this needs. */
export interface TerminalOutput {
  readonly isTTY?: boolean;
  readonly rows?: number;
  readonly columns?: number;
  on(event: "resize", listener: () => void): unknown;
  off(event: "resize", listener: () => void): unknown;
}

export interface MonitorOptions {
  /** First set the size one larger, so that a program already running redraws (docker attach). */
  readonly bump?: boolean;
  /** Told when the first resize keeps failing. */
  readonly warn?: (message: string) => void;
}

export function terminalSize(out: TerminalOutput): TtySize | undefined {
  if (!out.isTTY || !out.rows || !out.columns) return undefined;
  return { rows: out.rows, cols: out.columns };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts following the terminal's size; returns the function that stops it. */
export function monitorTtySize(
  out: TerminalOutput,
  resize: (size: TtySize) => Promise<void>,
  opts: MonitorOptions = {},
): () => void {
  let stopped = false;
  const apply = async () => {
    const size = terminalSize(out);
    if (size && !stopped) await resize(size);
  };
  const initial = async () => {
    const size = terminalSize(out);
    if (!size) return;
    if (opts.bump) await resize({ rows: size.rows + 1, cols: size.cols + 1 }).catch(() => undefined);
    for (let attempt = 0; attempt <= 10 && !stopped; attempt++) {
      try {
        await apply();
        return;
      } catch {
        await sleep((attempt + 1) * 10);
      }
    }
    if (!stopped) opts.warn?.("failed to resize tty, using default size");
  };
  const onResize = () => {
    apply().catch(() => undefined);
  };
  void initial();
  out.on("resize", onResize);
  return () => {
    stopped = true;
    out.off("resize", onResize);
  };
}
