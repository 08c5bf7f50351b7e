/**
 * The command a container runs, from the image's ENTRYPOINT/CMD and the create request, exactly as
 * Docker's daemon merges them (moby daemon/commit.go merge + create.go mergeAndVerifyConfig):
 *
 * - run arguments replace the image CMD; the ENTRYPOINT stays and receives them;
 * - `--entrypoint x` replaces the ENTRYPOINT and drops the image CMD (only run arguments follow);
 * - `--entrypoint ""` (the CLI sends [""]) resets the ENTRYPOINT and likewise drops the image CMD;
 * - an empty list [] (possible through the API only) resets the ENTRYPOINT but keeps the image CMD
 *   when no run arguments are given — Docker's merge treats [] and "absent" alike for CMD;
 * - nothing left → invalidArgument "no command specified".
 */
import { invalidArgument } from "../../lib/errors.js";

export interface ImageCommand {
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
}

export interface CreateCommand {
  /** undefined: not given; [""] or []: reset (see above); otherwise replaces the image's. */
  entrypoint?: string[] | undefined;
  /** The run arguments; undefined or [] means "use the image CMD". */
  cmd?: string[] | undefined;
}

export interface ResolvedCommand {
  /** What Docker stores as Config.Entrypoint (null when none). */
  entrypoint: string[] | null;
  /** What Docker stores as Config.Cmd (null when none). */
  cmd: string[] | null;
  /** Path and Args together: the process args. */
  args: string[];
}

/** Config.Entrypoint, Config.Cmd and the process args, as Docker records and runs them. */
export function resolveContainerCommand(image: ImageCommand, create: CreateCommand): ResolvedCommand {
  let entrypoint: string[] | undefined = create.entrypoint;
  let cmd: string[] | undefined = create.cmd !== undefined && create.cmd.length > 0 ? create.cmd : undefined;
  if (entrypoint === undefined || entrypoint.length === 0) {
    if (cmd === undefined && image.Cmd) cmd = image.Cmd;
    if (entrypoint === undefined && image.Entrypoint) entrypoint = image.Entrypoint;
  }
  if (entrypoint !== undefined && entrypoint.length === 1 && entrypoint[0] === "") entrypoint = undefined;
  const ep = entrypoint !== undefined && entrypoint.length > 0 ? [...entrypoint] : null;
  const c = cmd !== undefined && cmd.length > 0 ? [...cmd] : null;
  if (ep === null && c === null) throw invalidArgument("no command specified");
  return { entrypoint: ep, cmd: c, args: [...(ep ?? []), ...(c ?? [])] };
}

/** The process args: resolveContainerCommand(...).args. */
export function resolveCommand(image: ImageCommand, create: CreateCommand): string[] {
  return resolveContainerCommand(image, create).args;
}
