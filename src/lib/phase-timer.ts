/**
 * Milliseconds spent in each phase of an operation, for one debug line that answers "why was this
 * start slow" without a profiler.
 */
export interface PhaseTimer {
  /** Ends the current phase under this name and starts the next. */
  mark(phase: string): void;
  /** `{phase: ms, ..., total: ms}`, rounded to 0.1 ms. */
  fields(): Record<string, number>;
}

export function phaseTimer(now: () => number = performance.now.bind(performance)): PhaseTimer {
  const start = now();
  let last = start;
  const phases: Record<string, number> = {};
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    mark(phase) {
      const t = now();
      phases[phase] = round((phases[phase] ?? 0) + t - last);
      last = t;
    },
    fields: () => ({ ...phases, total: round(last - start) }),
  };
}
