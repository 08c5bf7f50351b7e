import { BerthError } from "../../lib/errors.js";

/** A RUN step that exited non-zero. */
export class RunStepError extends BerthError {
  readonly exitCode: number;
  constructor(argv: readonly string[], exitCode: number) {
    super("invalid-argument", `The command '${argv.join(" ")}' returned a non-zero code: ${exitCode}`);
    this.exitCode = exitCode;
  }
}
