import { promises as fs } from "node:fs";
import path from "node:path";
import { BerthError, errnoCode, notFound, wrap } from "../../lib/errors.js";
import { log } from "../../lib/log.js";
import { phaseTimer } from "../../lib/phase-timer.js";
import { hostnameFile, hostsFile, resolvConf } from "../../network/etc-files.js";
import {
  type PortBindings,
  type PortRequest,
  publishAllRequests,
  requestsFromBindings,
} from "../../network/portmap/spec.js";
import { startContainer as startConmon } from "../../runtime/conmon.js";
import { openAttach } from "../../runtime/io/attach.js";
import { RuntimeStartError } from "../../runtime/runtime-error.js";
import { generateSpec } from "../../runtime/spec/generate.js";
import { specToJson } from "../../runtime/spec/runtime-spec.js";
import { mountAll, unmountAll } from "../../snapshot/mount.js";
import { eventAttributes, findContainer } from "./deps.js";
import { watchExit } from "./exit.js";
import { logPolicy } from "./log-policy.js";
import { attachmentsOf } from "./networking.js";
import type { ContainerRecord } from "./record.js";
import { destroyContainer } from "./remove.js";
import { liveOf, type RuntimeDeps, runPaths } from "./runtime-deps.js";
import { specInput } from "./spec-input.js";
import { attachMounts, detachMounts } from "./volume-mounts.js";

const isUp = (s: string) => s === "running" || s === "paused" || s === "restarting";

/**
 * `docker start`: mounts the container's layers, writes its /etc files and OCI bundle, has conmon
 * create it, connects the attach clients that were waiting, and starts it. Returns false when it was
 * already running (Docker's 304). A failure leaves nothing mounted or running and is recorded in
 * State.Error, with the exit code Docker gives it (127 not found, 126 not executable).
 */
export async function startContainer(deps: RuntimeDeps, ref: string): Promise<boolean> {
  const c = findContainer(deps, ref);
  return deps.locks.run(c.id, async () => {
    const cur = deps.store.get(c.id);
    if (!cur) throw notFound(`No such container: ${ref}`);
    if (isUp(cur.state.status)) return false;
    // A user's start resets the restart count (and the restart back-off), as Docker's does.
    await startLocked(deps, { ...cur, restartCount: 0 });
    return true;
  });
}

/** Starts a stopped container; the caller holds its lock. */
export async function startLocked(deps: RuntimeDeps, c: ContainerRecord): Promise<void> {
  const p = runPaths(deps, c.id);
  const t = phaseTimer();
  await fs.mkdir(p.rootfs, { recursive: true });
  await unmountAll(p.rootfs).catch(() => {});
  try {
    await mountAll(await deps.snapshots.mounts(c.snapshotKey), p.rootfs);
    t.mark("mount");
    const attached = await attachMounts(deps, c, p.rootfs);
    c = attached.record;
    const attachments = attachmentsOf(c, deps.network);
    if (deps.network && attachments.length > 0) {
      const ports = portRequests(c);
      c = { ...c, endpoints: await deps.network.connect(c.id, { name: c.name, ports, attachments }) };
    } else if (c.endpoints) {
      c = { ...c, endpoints: [] };
    }
    t.mark("volumes+network");
    const etcFiles = await writeEtcFiles(deps, c);
    const spec = generateSpec(
      specInput(c, {
        rootfs: p.rootfs,
        mounts: attached.mounts,
        passwd: await readOptional(path.join(p.rootfs, "etc/passwd")),
        group: await readOptional(path.join(p.rootfs, "etc/group")),
        etcFiles,
        host: deps.host,
        ...(c.endpoints?.[0] ? { netns: c.endpoints[0].netns } : {}),
      }),
    );
    await fs.writeFile(path.join(p.bundle, "config.json"), specToJson(spec));
    t.mark("spec");
    // A runtime state left by a crash would make create fail; checking costs a stat, deleting a spawn.
    if (await exists(path.join(runtimeRoot(deps.runtime), c.id))) {
      await deps.runtime.delete(c.id, { force: true }).catch(() => {});
    }
    const tty = c.config.Tty ?? false;
    const logs = logPolicy(c.hostConfig);
    const started = await startConmon({
      id: c.id,
      bundle: p.bundle,
      runtime: deps.runtime,
      tty,
      stdin: c.config.OpenStdin ?? false,
      leaveStdinOpen: c.config.OpenStdin === true && c.config.StdinOnce !== true,
      logPath: deps.store.pathOf(c.id, "container.log"),
      // berthd rotates at max-size (log-rotation.ts); conmon's own cap is the whole budget, a safety
      // net for a burst faster than the rotation's one-second check.
      ...(Number.isFinite(logs.maxSize) ? { logMaxSize: logs.maxSize * logs.maxFile } : {}),
      exitDir: p.exitDir,
      persistDir: p.persist,
      conmonPidFile: p.conmonPidFile,
      name: c.name,
    });
    t.mark("create");
    await connectWaitingAttaches(deps, c.id);
    t.mark("attach");
    await deps.runtime.start(c.id);
    t.mark("start");
    const now = new Date().toISOString();
    await deps.store.put({
      ...c,
      state: {
        ...c.state,
        status: "running",
        pid: started.pid,
        conmonPid: started.conmonPid,
        exitCode: 0,
        error: "",
        oomKilled: false,
        startedAt: now,
      },
      stoppedByUser: false,
      ...(c.config.Healthcheck && c.config.Healthcheck.Test?.[0] !== "NONE"
        ? { health: { status: "starting" as const, failingStreak: 0, log: [] } }
        : {}),
    });
    t.mark("record");
    log.debug("container started", { id: c.id, ...t.fields() });
    watchExit(deps, c.id);
    deps.onStart?.(c.id);
    deps.publish({ Type: "container", Action: "start", Actor: { ID: c.id, Attributes: eventAttributes(c) } });
    deps.changed(c.id);
  } catch (err) {
    failPendingAttaches(deps, c.id, err);
    await deps.runtime.delete(c.id, { force: true }).catch(() => {});
    await unmountAll(p.rootfs).catch((e) =>
      log.warn("unmount after failed start", { id: c.id, err: String(e) }),
    );
    await detachMounts(deps, c);
    await deps.network?.disconnect(c.id);
    const failure = startFailure(err);
    await deps.store.put({
      ...c,
      state: {
        ...c.state,
        status: c.state.status === "created" ? "created" : "exited",
        exitCode: failure.exitCode,
        error: failure.message,
      },
    });
    deps.changed(c.id);
    // As Docker: a --rm container that cannot start is removed, so `run --rm` does not wait forever.
    if (c.hostConfig.AutoRemove) await destroyContainer(deps, deps.store.get(c.id) ?? c).catch(() => {});
    throw failure.error;
  }
}

/** -p (HostConfig.PortBindings) and, with -P, every other exposed port on a dynamic host port. */
export function portRequests(c: Pick<ContainerRecord, "hostConfig" | "config">): PortRequest[] {
  const bound = requestsFromBindings(c.hostConfig.PortBindings as PortBindings | undefined);
  if (!c.hostConfig.PublishAllPorts) return bound;
  return [...bound, ...publishAllRequests(Object.keys(c.config.ExposedPorts ?? {}), bound)];
}

/** Docker's wording and exit codes for a container that could not start. */
function startFailure(err: unknown): { message: string; exitCode: number; error: unknown } {
  if (err instanceof RuntimeStartError) {
    const message = `failed to create task for container: OCI runtime create failed: ${err.runtimeMessage}: unknown`;
    return { message, exitCode: err.exitCode, error: new BerthError(err.kind, message, { cause: err }) };
  }
  // The network layer's errors carry Docker's own wording ("driver failed programming …").
  if (err instanceof BerthError && err.message.startsWith("driver failed programming")) {
    return { message: err.message, exitCode: 128, error: err };
  }
  const e = wrap(err, "starting container");
  return { message: e.message, exitCode: 128, error: e };
}

async function writeEtcFiles(deps: RuntimeDeps, c: ContainerRecord) {
  const h = c.hostConfig;
  const hostname = c.config.Hostname || c.id.slice(0, 12);
  const files = {
    hosts: deps.store.pathOf(c.id, "hosts"),
    hostname: deps.store.pathOf(c.id, "hostname"),
    resolvConf: deps.store.pathOf(c.id, "resolv.conf"),
  };
  const ip = c.endpoints?.[0]?.ip;
  await fs.writeFile(
    files.hosts,
    hostsFile({ hostname, extraHosts: h.ExtraHosts ?? [], ...(ip ? { ip } : {}) }),
  );
  await fs.writeFile(files.hostname, hostnameFile(hostname));
  await writeResolvConf(deps, c);
  return files;
}

/**
 * The container's resolv.conf, written in place (it is bind-mounted, so a running container sees a
 * rewrite). On a user-defined network the embedded DNS on the gateway comes first (Podman's choice),
 * then any --dns servers; elsewhere --dns, the daemon's dns, or the host's resolvers.
 */
export async function writeResolvConf(
  deps: Pick<RuntimeDeps, "store" | "host">,
  c: Pick<ContainerRecord, "id" | "hostConfig" | "endpoints">,
): Promise<void> {
  const h = c.hostConfig;
  const dnsGateway = c.endpoints?.find((e) => e.networkName !== "bridge")?.gateway;
  const dns = h.Dns?.length ? h.Dns : deps.host.dns;
  await fs.writeFile(
    deps.store.pathOf(c.id, "resolv.conf"),
    resolvConf({
      hostResolvConf: deps.host.resolvConf,
      ...(dnsGateway ? { nameservers: [dnsGateway, ...(h.Dns ?? [])] } : dns ? { nameservers: dns } : {}),
      ...(h.DnsSearch?.length ? { search: h.DnsSearch } : {}),
      ...(h.DnsOptions?.length ? { options: h.DnsOptions } : {}),
    }),
  );
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.access(p);
    return true;
  } catch {
    return false;
  }
}

/** The runtime's --root, from its global arguments. */
function runtimeRoot(runtime: RuntimeDeps["runtime"]): string {
  const i = runtime.globalArgs.indexOf("--root");
  return i >= 0 ? (runtime.globalArgs[i + 1] ?? "") : "";
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, "utf8");
  } catch (err) {
    if (errnoCode(err) === "ENOENT" || errnoCode(err) === "ENOTDIR") return undefined;
    throw err;
  }
}

async function connectWaitingAttaches(deps: RuntimeDeps, id: string): Promise<void> {
  const live = liveOf(deps, id);
  const waiting = live.pendingAttach.splice(0);
  const p = runPaths(deps, id);
  for (const deliver of waiting) {
    try {
      deliver(await openAttach({ socketPath: p.attach, ctlPath: p.ctl }));
    } catch (err) {
      deliver(err instanceof Error ? err : new Error(String(err)));
    }
  }
}

function failPendingAttaches(deps: RuntimeDeps, id: string, err: unknown): void {
  for (const deliver of liveOf(deps, id).pendingAttach.splice(0)) {
    deliver(err instanceof Error ? err : new Error(String(err)));
  }
}
