/**
 * RUN with heredocs (pure), as BuildKit runs them:
 *
 *   RUN <<EOF            one heredoc that is the whole command: its body is the script, run by the
 *   echo hi              stage's SHELL (`sh -c "<body>"`); a body starting with `#!` is written to a
 *   EOF                  file mounted at /dev/pipes/<name> and run directly, so its interpreter runs it.
 *
 *   RUN cat <<A >/a && cat <<-'B' >/b    several heredocs, or a heredoc inside a command: the shell
 *                                       gets the line with every body appended, so it reads the
 *                                       heredocs itself (`<<-` strips tabs, a quoted delimiter
 *                                       keeps `$X` literal, exactly as sh does).
 */
import { invalidArgument } from "../../lib/errors.js";
import type { HeredocFile } from "../dockerfile/index.js";
import { chompHeredocContent, parseHeredoc } from "../dockerfile/index.js";

export interface HeredocRun {
  argv: string[];
  /** A script file to mount read-only (the `#!` case). */
  script?: { target: string; data: string };
}

/** The argv of a shell-form RUN that has heredocs. */
export function heredocRunArgv(
  command: readonly string[],
  files: readonly HeredocFile[],
  shell: readonly string[],
): HeredocRun {
  if (command.length !== 1) throw invalidArgument("a RUN with heredocs must use the shell form");
  const line = command[0]!;
  const only = parseHeredoc(line.trim());
  if (only && files.length === 1) {
    const f = files[0]!;
    const data = f.chomp ? chompHeredocContent(f.data) : f.data;
    if (data.startsWith("#!")) {
      const target = `/dev/pipes/${f.name}`;
      return { argv: [target], script: { target, data } };
    }
    return { argv: [...shell, data] };
  }
  const script = [line, ...files.map((f) => `${f.data}${f.name}`)].join("\n");
  return { argv: [...shell, `${script}\n`] };
}
