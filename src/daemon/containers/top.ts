/**
 * `docker top` (GET /containers/{id}/top): runs the host's ps (procps) and keeps the processes of
 * the container: those in its cgroup /berth/<id>, and those in its pid namespace when it has its
 * own. Pids are host pids, as with Docker.
 */
import { promises as fs } from "node:fs";
import { conflict, errnoCode, internal } from "../../lib/errors.js";
import { type CommandRunner, spawnRunner } from "../../lib/exec.js";
import { type ContainerDeps, eventAttributes, findContainer } from "./deps.js";
import { inContainerCgroup, parsePsOutput, psArgsOf, type TopResult, validatePsArgs } from "./top-ps.js";

async function readOrUndefined(read: () => Promise<string>): Promise<string | undefined> {
  try {
    return await read();
  } catch (err) {
    const code = errnoCode(err);
    if (code === "ENOENT" || code === "ESRCH" || code === "EACCES" || code === "EINVAL") return undefined;
    throw err;
  }
}

/** Host pids of the container's processes, from /proc. */
export async function containerPids(id: string, initPid: number): Promise<Set<number>> {
  const pidNs = (pid: number | "self") => readOrUndefined(() => fs.readlink(`/proc/${pid}/ns/pid`));
  const ownNs = await pidNs("self");
  const initNs = initPid > 0 ? await pidNs(initPid) : undefined;
  const byNs = initNs !== undefined && initNs !== ownNs ? initNs : undefined;
  const pids = new Set<number>();
  if (initPid > 0) pids.add(initPid);
  for (const name of await fs.readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    const cgroup = await readOrUndefined(() => fs.readFile(`/proc/${pid}/cgroup`, "utf8"));
    if (cgroup === undefined) continue;
    if (inContainerCgroup(cgroup, id) || (byNs !== undefined && (await pidNs(pid)) === byNs)) pids.add(pid);
  }
  return pids;
}

/** Like Docker: ps with "-q <pids>" first (fast on big hosts); without it when ps refuses the mix. */
async function runPs(runner: CommandRunner, args: string[], pids: ReadonlySet<number>): Promise<string> {
  const quick = await runner.run("ps", [...args, "-q", [...pids].join(",")], { allowFailure: true });
  if (quick.code === 0) return quick.stdout;
  const all = await runner.run("ps", args, { allowFailure: true });
  if (all.code !== 0) throw internal(`Error running ps: ${all.stderr.trim() || `exit status ${all.code}`}`);
  return all.stdout;
}

/** GET /containers/{id}/top?ps_args=. */
export async function topContainer(
  deps: ContainerDeps,
  ref: string,
  psArgs?: string,
  runner: CommandRunner = spawnRunner,
): Promise<TopResult> {
  const c = findContainer(deps, ref);
  if (c.state.status === "restarting") {
    throw conflict(`Container ${c.id} is restarting, wait until the container is running`);
  }
  if (c.state.status !== "running" && c.state.status !== "paused") {
    throw conflict(`container ${c.id} is not running`);
  }
  validatePsArgs(psArgs ?? "");
  const pids = await containerPids(c.id, c.state.pid);
  const result = parsePsOutput(await runPs(runner, psArgsOf(psArgs), pids), pids);
  deps.publish({ Type: "container", Action: "top", Actor: { ID: c.id, Attributes: eventAttributes(c) } });
  return result;
}
