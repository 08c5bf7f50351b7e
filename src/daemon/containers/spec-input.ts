import { invalidArgument } from "../../lib/errors.js";
import { mergeEnv } from "../../runtime/spec/env.js";
import type { ContainerSpecInput, SpecMount } from "../../runtime/spec/spec-input.js";
import { resolveUser } from "../../runtime/spec/user.js";
import type { ContainerRecord } from "./record.js";
import type { RuntimeHost } from "./runtime-deps.js";

export interface SpecContext {
  rootfs: string;
  /** The image's /etc/passwd and /etc/group, read from the mounted rootfs (absent files: undefined). */
  passwd?: string;
  group?: string;
  etcFiles: { hosts: string; hostname: string; resolvConf: string };
  host: RuntimeHost;
  /** Volumes, binds and --mount tmpfs, ready to mount (see volume-mounts.ts). */
  mounts?: SpecMount[];
  /** The netns the daemon made for a bridge-networked container (see daemon/networks). */
  netns?: string;
}

/** The spec generator's input for one container: the record's config resolved against its image. Pure. */
export function specInput(c: ContainerRecord, ctx: SpecContext): ContainerSpecInput {
  const cfg = c.config;
  const h = c.hostConfig;
  const user = resolveUser(cfg.User ?? "", ctx.passwd, ctx.group, { groupAdd: h.GroupAdd ?? [] });
  const security = parseSecurityOpts(h.SecurityOpt ?? []);
  const networkMode = h.NetworkMode ?? "default";
  const tty = cfg.Tty ?? false;
  const input: ContainerSpecInput = {
    id: c.id,
    hostname: cfg.Hostname || c.id.slice(0, 12),
    ...(cfg.Domainname ? { domainname: cfg.Domainname } : {}),
    rootfsPath: ctx.rootfs,
    readonlyRootfs: h.ReadonlyRootfs ?? false,
    args: [c.path, ...c.args],
    env: mergeEnv([], cfg.Env ?? [], { hostname: cfg.Hostname || c.id.slice(0, 12), tty }),
    cwd: cfg.WorkingDir || "/",
    user: { uid: user.uid, gid: user.gid, additionalGids: user.additionalGids },
    tty,
    openStdin: cfg.OpenStdin ?? false,
    capAdd: h.CapAdd ?? [],
    capDrop: h.CapDrop ?? [],
    privileged: h.Privileged ?? false,
    noNewPrivileges: security.noNewPrivileges,
    seccomp: security.seccomp,
    mounts: ctx.mounts ?? [],
    tmpfs: h.Tmpfs ?? {},
    etcFiles: ctx.etcFiles,
    shmSize: h.ShmSize || undefined,
    namespaces: {
      // The host's, the netns the daemon connected to the bridge, or (--network none) a new one
      // with loopback only.
      network:
        networkMode === "host"
          ? { kind: "host" }
          : ctx.netns
            ? { kind: "path", path: ctx.netns, private: true }
            : { kind: "new" },
      ipc: h.IpcMode === "host" ? { kind: "host" } : { kind: "new" },
      pid: h.PidMode === "host" ? { kind: "host" } : { kind: "new" },
      uts: h.UTSMode === "host" ? { kind: "host" } : { kind: "new" },
    },
    hostRlimits: ctx.host.rlimits,
    ulimits: (h.Ulimits ?? []).map((u) => ({ name: u.Name, soft: u.Soft, hard: u.Hard })),
    resources: {
      memory: h.Memory || undefined,
      memorySwap: h.MemorySwap || (h.Memory ? h.Memory * 2 : undefined),
      memoryReservation: h.MemoryReservation || undefined,
      cpuShares: h.CpuShares || undefined,
      nanoCpus: h.NanoCpus || undefined,
      cpuQuota: h.CpuQuota || undefined,
      cpuPeriod: h.CpuPeriod || undefined,
      cpusetCpus: h.CpusetCpus || undefined,
      pidsLimit: h.PidsLimit ?? undefined,
      oomKillDisable: h.OomKillDisable ?? undefined,
    },
    cgroupsPath: `/berth/${c.id}`,
    sysctls: h.Sysctls ?? undefined,
    availableCapabilities: ctx.host.capabilities,
    arch: ctx.host.arch,
    kernelVersion: ctx.host.kernel,
  };
  if (h.Init) {
    if (!ctx.host.initPath)
      throw invalidArgument("--init needs catatonit or tini-static on the host; none was found");
    input.init = { path: ctx.host.initPath };
  }
  return input;
}

function parseSecurityOpts(opts: string[]): {
  noNewPrivileges: boolean;
  seccomp: ContainerSpecInput["seccomp"];
} {
  let noNewPrivileges = false;
  let seccomp: ContainerSpecInput["seccomp"] = "default";
  for (const o of opts) {
    const [k, v = ""] = o.includes("=")
      ? [o.slice(0, o.indexOf("=")), o.slice(o.indexOf("=") + 1)]
      : o.split(":");
    if (k === "no-new-privileges") noNewPrivileges = v === "" || v === "true";
    else if (k === "seccomp") {
      if (v === "unconfined") seccomp = "unconfined";
      else {
        try {
          seccomp = JSON.parse(v);
        } catch {
          throw invalidArgument(
            `invalid seccomp profile: the CLI sends the file's JSON; got ${v.slice(0, 40)}`,
          );
        }
      }
    } else if (k === "label" || k === "apparmor") {
      // SELinux and AppArmor are not used by berth; accepted and ignored as on hosts without them.
    } else {
      throw invalidArgument(`Invalid --security-opt: "${o}"`);
    }
  }
  return { noNewPrivileges, seccomp };
}
