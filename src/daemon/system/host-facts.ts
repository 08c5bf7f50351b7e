/**
 * Facts about the host that /info and /version report, read once at daemon start (I/O shell).
 * buildInfo/buildVersion turn them into wire objects without touching the system.
 */
import { access, readFile } from "node:fs/promises";
import os from "node:os";

export interface HostFacts {
  readonly hostname: string;
  /** `uname -r` */
  readonly kernelVersion: string;
  /** PRETTY_NAME from /etc/os-release, e.g. "Debian GNU/Linux 12 (bookworm)". */
  readonly operatingSystem: string;
  /** VERSION_ID from /etc/os-release. */
  readonly osVersion: string;
  /** `uname -m`, e.g. "x86_64" (Info.Architecture). */
  readonly machine: string;
  /** Go-style architecture, e.g. "amd64" (Version.Arch). */
  readonly goArch: string;
  readonly ncpu: number;
  readonly memTotal: number;
  /** "2" on a pure cgroup v2 host, "1" on v1 or hybrid hosts (v1 controllers mounted). */
  readonly cgroupVersion: "1" | "2";
  /** Controllers usable for limits (memory, cpu, cpuset, pids, ...). */
  readonly cgroupControllers: readonly string[];
  readonly ipv4Forwarding: boolean;
  readonly httpProxy: string;
  readonly httpsProxy: string;
  readonly noProxy: string;
}

const GO_ARCH: Record<string, string> = {
  x64: "amd64",
  arm64: "arm64",
  arm: "arm",
  ia32: "386",
  ppc64: "ppc64le",
  s390x: "s390x",
  riscv64: "riscv64",
};

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch {
    return undefined;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Parses /etc/os-release text (KEY=value or KEY="value" lines). (pure) */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!m) continue;
    let v = m[2]!;
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
    out[m[1]!] = v.replace(/\\(["'\\$`])/g, "$1");
  }
  return out;
}

async function cgroupFacts(): Promise<{ version: "1" | "2"; controllers: string[] }> {
  const v1 = ["memory", "cpu", "cpuset", "pids", "blkio"];
  const present: string[] = [];
  for (const c of v1) if (await exists(`/sys/fs/cgroup/${c}`)) present.push(c);
  if (present.length > 0) return { version: "1", controllers: present };
  const unified = await readText("/sys/fs/cgroup/cgroup.controllers");
  if (unified !== undefined)
    return { version: "2", controllers: unified.trim().split(/\s+/).filter(Boolean) };
  return { version: "1", controllers: [] };
}

function maskProxy(value: string | undefined): string {
  if (!value) return "";
  try {
    const u = new URL(value);
    if (u.username || u.password) {
      u.username = "xxxxx";
      u.password = "xxxxx";
    }
    return u.toString();
  } catch {
    return value;
  }
}

export async function readHostFacts(): Promise<HostFacts> {
  const release = parseOsRelease((await readText("/etc/os-release")) ?? "");
  const cgroups = await cgroupFacts();
  const env = process.env;
  return {
    hostname: os.hostname(),
    kernelVersion: os.release(),
    operatingSystem: release.PRETTY_NAME ?? "Linux",
    osVersion: release.VERSION_ID ?? "",
    machine: os.machine(),
    goArch: GO_ARCH[os.arch()] ?? os.arch(),
    ncpu: os.availableParallelism(),
    memTotal: os.totalmem(),
    cgroupVersion: cgroups.version,
    cgroupControllers: cgroups.controllers,
    ipv4Forwarding: (await readText("/proc/sys/net/ipv4/ip_forward"))?.trim() === "1",
    httpProxy: maskProxy(env.HTTP_PROXY ?? env.http_proxy),
    httpsProxy: maskProxy(env.HTTPS_PROXY ?? env.https_proxy),
    noProxy: env.NO_PROXY ?? env.no_proxy ?? "",
  };
}
