import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import path from "node:path";
import { busyboxRootfs } from "../fixtures/busybox.js";
import type { RunResult, TestDaemon } from "../harness/daemon.js";

/** A shell loop that exits promptly on SIGTERM (sh runs the trap between short sleeps). */
export const IDLE = "trap 'exit 0' TERM; while true; do sleep 0.2; done";

export async function importBusybox(d: TestDaemon): Promise<void> {
  const r = await d.docker(["import", "-", "busybox:latest"], { input: await busyboxRootfs() });
  assert.equal(r.code, 0, r.stderr);
}

/** Writes files under dir (creating folders) and returns dir. */
export async function writeTree(dir: string, files: Record<string, string>): Promise<string> {
  for (const [rel, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await fs.writeFile(path.join(dir, rel), text);
  }
  return dir;
}

/** `berth compose -f <dir>/compose.yaml -p <project> ...` */
export function compose(d: TestDaemon, dir: string, project: string, args: string[]): Promise<RunResult> {
  return d.berth(["compose", "-f", path.join(dir, "compose.yaml"), "-p", project, ...args]);
}

export function ok(r: RunResult): string {
  assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout;
}
