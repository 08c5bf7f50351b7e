/**
 * Healthcheck rules, as Docker applies them (moby daemon/health.go). Pure: configuration in, probe
 * plan out; state plus a probe result in, new state out.
 *
 * A probe is a command run in the container every Interval (every StartInterval while the container
 * is still "starting" within its StartPeriod). Exit 0 is healthy; anything else, a timeout included,
 * is a failure. Retries consecutive failures make it "unhealthy"; one success makes it "healthy".
 * Failures inside the start period do not count while the status is still "starting". The last
 * five results are kept, each output cut at 4 KiB.
 */
import type { ContainerConfig, HealthLog } from "../../api/types/containers.js";

export const HEALTH_DEFAULTS = {
  intervalMs: 30_000,
  timeoutMs: 30_000,
  startPeriodMs: 0,
  startIntervalMs: 5_000,
  retries: 3,
} as const;

export const HEALTH_LOG_ENTRIES = 5;
export const HEALTH_OUTPUT_BYTES = 4096;

export interface ProbePlan {
  /** The argv to exec in the container. */
  argv: string[];
  intervalMs: number;
  timeoutMs: number;
  startPeriodMs: number;
  startIntervalMs: number;
  retries: number;
}

export type HealthStatus = "starting" | "healthy" | "unhealthy";

export interface HealthState {
  status: HealthStatus;
  failingStreak: number;
  log: HealthLog[];
}

/** Docker durations are nanoseconds; 0 (or unset) means the default. */
const ms = (ns: number | undefined, def: number) => (ns && ns > 0 ? Math.max(1, Math.round(ns / 1e6)) : def);

/** The probe of a container config, or undefined when it has none (no Test, or ["NONE"]). */
export function probePlan(config: Pick<ContainerConfig, "Healthcheck" | "Shell">): ProbePlan | undefined {
  const hc = config.Healthcheck;
  const test = hc?.Test ?? [];
  if (test.length === 0 || test[0] === "NONE") return undefined;
  let argv: string[];
  if (test[0] === "CMD") argv = test.slice(1);
  else if (test[0] === "CMD-SHELL") {
    const shell = config.Shell?.length ? config.Shell : ["/bin/sh", "-c"];
    argv = [...shell, test.slice(1).join(" ")];
  } else argv = ["/bin/sh", "-c", test.join(" ")]; // a bare string, as old configs carry it
  if (argv.length === 0 || argv[0] === "") return undefined;
  return {
    argv,
    intervalMs: ms(hc?.Interval, HEALTH_DEFAULTS.intervalMs),
    timeoutMs: ms(hc?.Timeout, HEALTH_DEFAULTS.timeoutMs),
    startPeriodMs: ms(hc?.StartPeriod, HEALTH_DEFAULTS.startPeriodMs),
    startIntervalMs: ms(hc?.StartInterval, HEALTH_DEFAULTS.startIntervalMs),
    retries: hc?.Retries && hc.Retries > 0 ? hc.Retries : HEALTH_DEFAULTS.retries,
  };
}

/** How long until the next probe: StartInterval while starting inside the start period, else Interval. */
export function nextProbeDelay(plan: ProbePlan, status: HealthStatus, sinceStartMs: number): number {
  const inStartPeriod = sinceStartMs < plan.startPeriodMs;
  return status === "starting" && inStartPeriod ? plan.startIntervalMs : plan.intervalMs;
}

/**
 * Folds one probe result into the state. `changed` tells whether the status moved (the caller then
 * publishes `health_status: <status>`).
 */
export function applyProbeResult(
  h: HealthState,
  result: HealthLog,
  opts: { retries: number; startPeriodMs: number; startedAt: string },
): { health: HealthState; changed: boolean } {
  const log = [...h.log, result].slice(-HEALTH_LOG_ENTRIES);
  let status = h.status;
  let failingStreak = h.failingStreak;
  if (result.ExitCode === 0) {
    status = "healthy";
    failingStreak = 0;
  } else {
    const sinceStart = Date.parse(result.Start) - Date.parse(opts.startedAt);
    const grace = status === "starting" && sinceStart < opts.startPeriodMs;
    if (!grace) {
      failingStreak++;
      if (failingStreak >= opts.retries) status = "unhealthy";
    }
  }
  return { health: { status, failingStreak, log }, changed: status !== h.status };
}

/** A probe's output as recorded: the first 4 KiB. */
export function boundOutput(chunks: readonly Buffer[]): string {
  return Buffer.concat(chunks).subarray(0, HEALTH_OUTPUT_BYTES).toString("utf8");
}
