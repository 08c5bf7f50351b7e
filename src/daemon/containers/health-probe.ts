/**
 * One healthcheck probe: the plan's command as an exec in the container (through conmon, as
 * `docker exec` runs, so the same exec_create/exec_start/exec_die events appear as with Docker),
 * its combined output kept up to 4 KiB, its exit code, or -1 on a timeout or a failure to start.
 * The exec instance and its session directory go away afterwards.
 */
import { promises as fs } from "node:fs";
import type { HealthLog } from "../../api/types/containers.js";
import { errorMessage } from "../../lib/errors.js";
import { log } from "../../lib/log.js";
import { createExec, type ExecDeps, startExec } from "./exec.js";
import { boundOutput, HEALTH_OUTPUT_BYTES, type ProbePlan } from "./health-state.js";
import type { OutputChunk } from "./io-types.js";

/** After a timeout (or abort) kills the probe, how long its output may take to end. */
const DRAIN_AFTER_KILL_MS = 5_000;

/** Go's time.Duration text for whole milliseconds: 30s, 1m30s, 500ms (Docker's timeout message). */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h ? `${h}h` : ""}${h || m ? `${m}m` : ""}${s}s`;
}

/**
 * Runs one probe. Undefined when there is nothing to record: the container stopped running before
 * the probe began, or `signal` (the monitor stopping) aborted it.
 */
export async function runProbe(
  deps: ExecDeps,
  id: string,
  plan: ProbePlan,
  signal: AbortSignal,
): Promise<HealthLog | undefined> {
  let execId: string;
  try {
    execId = createExec(deps, id, { Cmd: plan.argv, AttachStdout: true, AttachStderr: true, Tty: false }).Id;
  } catch {
    return undefined; // not running (any more)
  }
  const start = new Date().toISOString();
  const finish = (ExitCode: number, Output: string): HealthLog => ({
    Start: start,
    End: new Date().toISOString(),
    ExitCode,
    Output,
  });
  try {
    let session: Awaited<ReturnType<typeof startExec>>;
    try {
      session = await startExec(deps, execId, { detach: false, tty: false });
    } catch (err) {
      return signal.aborted ? undefined : finish(-1, errorMessage(err));
    }
    if (!session) return finish(-1, "health check exec did not attach");
    const chunks: Buffer[] = [];
    const ended = await drain(session.output, chunks, plan.timeoutMs, signal);
    if (ended !== "done") {
      killProbe(deps, execId);
      await drain(session.output, [], DRAIN_AFTER_KILL_MS, undefined);
      session.close();
      if (ended === "aborted") return undefined;
      return finish(-1, `Health check exceeded timeout (${goDuration(plan.timeoutMs)})`);
    }
    session.close();
    return finish(deps.execs.get(execId).exitCode ?? -1, boundOutput(chunks));
  } finally {
    await forgetExec(deps, execId);
  }
}

/** Reads output into `chunks` (at most 4 KiB kept, the rest drained) until it ends, times out or aborts. */
async function drain(
  output: AsyncIterable<OutputChunk>,
  chunks: Buffer[],
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<"done" | "timeout" | "aborted"> {
  const it = output[Symbol.asyncIterator]();
  let kept = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<"timeout" | "aborted">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
    onAbort = () => resolve("aborted");
    if (signal?.aborted) resolve("aborted");
    signal?.addEventListener("abort", onAbort, { once: true });
  });
  try {
    for (;;) {
      const r = await Promise.race([it.next(), stop]);
      if (r === "timeout" || r === "aborted") return r;
      if (r.done) return "done";
      if (kept < HEALTH_OUTPUT_BYTES) {
        chunks.push(r.value.data);
        kept += r.value.data.length;
      }
    }
  } catch {
    return "done"; // the attach socket broke: the probe is over
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener("abort", onAbort);
  }
}

function killProbe(deps: ExecDeps, execId: string): void {
  const pid = deps.execs.get(execId).pid;
  if (!(pid > 0)) return;
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

async function forgetExec(deps: ExecDeps, execId: string): Promise<void> {
  try {
    const e = deps.execs.get(execId);
    deps.execs.delete(execId);
    await fs.rm(e.sessionDir, { recursive: true, force: true });
  } catch (err) {
    log.debug("health probe cleanup", { exec: execId, err: String(err) });
  }
}
