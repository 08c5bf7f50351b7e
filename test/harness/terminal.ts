import path from "node:path";
import { fileURLToPath } from "node:url";
import { run } from "./daemon.js";

const DRIVER = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../test/harness/terminal-driver.py",
);

/** [seconds to wait, text to type] */
export type TerminalStep = [number, string];

/**
 * Runs a command under a real pseudo-terminal (python's pty, see terminal-driver.py), types the
 * steps into it, and returns what the terminal showed and the command's exit code.
 */
export async function runInTerminal(
  steps: TerminalStep[],
  command: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ output: string; exit: number }> {
  const r = await run("python3", [DRIVER, JSON.stringify(steps), "--", ...command], { env });
  return JSON.parse(r.stdout) as { output: string; exit: number };
}
