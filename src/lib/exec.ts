import { spawn } from "node:child_process";
import { BerthError } from "./errors.js";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string | Uint8Array;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Do not throw on a non-zero exit; the caller reads `code`. */
  allowFailure?: boolean;
}

/** External commands (runc, conmon, ip, mknod, ...) go through this, so tests can record them. */
export interface CommandRunner {
  run(file: string, args: readonly string[], opts?: RunOptions): Promise<RunResult>;
}

export class CommandError extends BerthError {
  readonly result: RunResult;
  readonly command: string;
  constructor(command: string, result: RunResult) {
    super(
      "internal",
      `${command} exited with ${result.code}: ${result.stderr.trim() || result.stdout.trim()}`,
    );
    this.command = command;
    this.result = result;
  }
}

export const spawnRunner: CommandRunner = {
  run(file, args, opts = {}) {
    return new Promise((resolve, reject) => {
      const child = spawn(file, args, {
        env: opts.env ?? process.env,
        cwd: opts.cwd,
        stdio: ["pipe", "pipe", "pipe"],
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on("data", (b: Buffer) => out.push(b));
      child.stderr.on("data", (b: Buffer) => err.push(b));
      child.on("error", reject);
      child.on("close", (code, signal) => {
        const result: RunResult = {
          code: code ?? (signal ? 128 : 1),
          stdout: Buffer.concat(out).toString("utf8"),
          stderr: Buffer.concat(err).toString("utf8"),
        };
        if (result.code !== 0 && !opts.allowFailure)
          reject(new CommandError([file, ...args].join(" "), result));
        else resolve(result);
      });
      child.stdin.on("error", () => {});
      child.stdin.end(opts.input ?? "");
    });
  },
};

/** Records command lines and answers from a script: for golden tests of what berth would run. */
export class RecordingRunner implements CommandRunner {
  readonly calls: string[][] = [];
  readonly #answer: (argv: string[]) => Partial<RunResult>;
  constructor(answer: (argv: string[]) => Partial<RunResult> = () => ({})) {
    this.#answer = answer;
  }
  async run(file: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
    const argv = [file, ...args];
    this.calls.push(argv);
    const r = { code: 0, stdout: "", stderr: "", ...this.#answer(argv) };
    if (r.code !== 0 && !opts.allowFailure) throw new CommandError(argv.join(" "), r);
    return r;
  }
}
