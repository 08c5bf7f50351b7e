/**
 * `docker top` (pure parts): which host processes belong to a container, the ps arguments Docker
 * accepts, and ps output filtered to the container's processes (moby daemon/top_unix.go).
 */
import { internal, invalidArgument } from "../../lib/errors.js";

export interface TopResult {
  Titles: string[];
  Processes: string[][];
}

/**
 * True when /proc/<pid>/cgroup text puts the process in the container's cgroup "/berth/<id>" (in
 * any hierarchy, possibly below a parent cgroup or in a child cgroup of it).
 */
export function inContainerCgroup(cgroupText: string, id: string): boolean {
  const mark = `/berth/${id}`;
  return cgroupText.split("\n").some((line) => {
    const p = line.slice(line.indexOf(":", line.indexOf(":") + 1) + 1);
    return p.endsWith(mark) || p.includes(`${mark}/`);
  });
}

/** Splits ps_args on ASCII whitespace (Docker's fieldsASCII); the default is "-ef". */
export function psArgsOf(psArgs: string | undefined): string[] {
  const args = (psArgs ?? "").split(/[ \t\n\r\v\f]+/).filter((a) => a !== "");
  return args.length > 0 ? args : ["-ef"];
}

/** Docker refuses renaming the PID column to anything but pid ("-o user=PID" would fool the filter). */
export function validatePsArgs(psArgs: string): void {
  for (const m of psArgs.matchAll(/\s+([^\s]*)=\s*(PID[^\s]*)/g)) {
    if (m[1] !== "pid") throw invalidArgument(`specifying "${m[1]}=${m[2]}" is not allowed`);
  }
}

/**
 * Keeps the rows of `ps` output whose PID column is one of `pids`. The last column takes the rest of
 * the line (a command with spaces).
 */
export function parsePsOutput(output: string, pids: ReadonlySet<number>): TopResult {
  const lines = output.split("\n");
  const titles = (lines[0] ?? "").split(/[ \t]+/).filter((t) => t !== "");
  const pidIndex = titles.indexOf("PID");
  if (pidIndex === -1) throw internal("Couldn't find PID field in ps output");
  const processes: string[][] = [];
  for (const line of lines.slice(1)) {
    if (line.trim() === "") continue;
    const fields = line.split(/[ \t]+/).filter((f) => f !== "");
    const pid = Number(fields[pidIndex]);
    if (!Number.isInteger(pid) || !pids.has(pid)) continue;
    const head = fields.slice(0, titles.length - 1);
    const rest = fields.slice(titles.length - 1).join(" ");
    processes.push([...head, rest]);
  }
  return { Titles: titles, Processes: processes };
}
