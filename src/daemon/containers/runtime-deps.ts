import path from "node:path";
import type { AttachConnection } from "../../runtime/io/attach.js";
import type { OciRuntime } from "../../runtime/oci-runtime.js";
import type { HostRlimit } from "../../runtime/spec/spec-input.js";
import type { ContainerDeps } from "./deps.js";
import type { ContainerWatch } from "./watch.js";

/** Facts about the host the spec generator needs, read once at start (see host-facts.ts). */
export interface RuntimeHost {
  rlimits: HostRlimit[];
  capabilities: string[];
  arch: string;
  kernel: string;
  /** Host path of a static init for --init (catatonit or tini-static). */
  initPath?: string;
  /** The host's /etc/resolv.conf text. */
  resolvConf: string;
  /** Upstream DNS servers from the daemon config; [] = none. */
  dns?: string[];
}

/** What exists only while berthd runs: exit watchers and attach clients waiting for a start. */
export interface LiveContainer {
  exitWatch?: AbortController;
  /** Attach clients that arrived before start: connected after `create`, before `start`. */
  pendingAttach: ((conn: AttachConnection | Error) => void)[];
}

export interface RuntimeDeps extends ContainerDeps {
  runtime: OciRuntime;
  host: RuntimeHost;
  watch: ContainerWatch;
  live: Map<string, LiveContainer>;
  /** Called when a container exited, after its state was recorded (restart policies, --rm). */
  onExit?(id: string): void;
  /** Called when a container started (its record says running): healthchecks. */
  onStart?(id: string): void;
}

export function liveOf(deps: RuntimeDeps, id: string): LiveContainer {
  let l = deps.live.get(id);
  if (!l) {
    l = { pendingAttach: [] };
    deps.live.set(id, l);
  }
  return l;
}

/** Where a container's runtime files live: <exec-root>/containers/<id>/... */
export function runPaths(deps: Pick<ContainerDeps, "runDir">, id: string) {
  const dir = path.join(deps.runDir, id);
  return {
    dir,
    bundle: dir,
    rootfs: path.join(dir, "rootfs"),
    persist: path.join(dir, "persist"),
    exitDir: path.join(deps.runDir, "exits"),
    conmonPidFile: path.join(dir, "conmon.pid"),
    attach: path.join(dir, "attach"),
    ctl: path.join(dir, "ctl"),
  };
}
