import { promises as fs } from "node:fs";
import { errnoCode } from "../../lib/errors.js";
import { log } from "../../lib/log.js";
import { logPolicy, rotationPlan } from "./log-policy.js";
import { type RuntimeDeps, runPaths } from "./runtime-deps.js";

/**
 * Keeps running containers' logs within their max-size/max-file: every second, a log past its
 * size is renamed to `container.log.1` (older ones shift up, the oldest goes) and conmon is told
 * to reopen its log file through the ctl fifo ("2 0 0"), so it starts a fresh one.
 */
export function startLogRotation(deps: RuntimeDeps, intervalMs = 1000): () => void {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    rotateAll(deps)
      .catch((err) => log.warn("log rotation", { err: String(err) }))
      .finally(() => {
        busy = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

async function rotateAll(deps: RuntimeDeps): Promise<void> {
  for (const c of deps.store.all()) {
    if (c.state.status !== "running" && c.state.status !== "paused") continue;
    const { maxSize, maxFile } = logPolicy(c.hostConfig);
    const file = deps.store.pathOf(c.id, "container.log");
    const size = await fs.stat(file).then(
      (s) => s.size,
      () => 0,
    );
    if (size <= maxSize) continue;
    const plan = rotationPlan(file, maxFile);
    if (plan.drop) await fs.rm(plan.drop, { force: true });
    for (const [from, to] of plan.renames) {
      await fs.rename(from, to).catch((err) => {
        if (errnoCode(err) !== "ENOENT") throw err;
      });
    }
    await reopen(runPaths(deps, c.id).ctl);
  }
}

/** conmon's ctl fifo: "2 0 0" reopens the log file. Non-blocking: a monitor that is gone is fine. */
async function reopen(ctl: string): Promise<void> {
  const fh = await fs.open(ctl, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK).catch(() => undefined);
  if (!fh) return;
  try {
    await fh.write("2 0 0\n");
  } finally {
    await fh.close();
  }
}

/** The files of a container's log, oldest first: container.log.N … container.log.1, container.log. */
export async function logFiles(deps: RuntimeDeps, id: string): Promise<string[]> {
  const base = deps.store.pathOf(id, "container.log");
  const rotated: string[] = [];
  for (let i = 1; i < 100; i++) {
    const f = `${base}.${i}`;
    if (
      !(await fs.access(f).then(
        () => true,
        () => false,
      ))
    )
      break;
    rotated.push(f);
  }
  return [...rotated.reverse(), base];
}
