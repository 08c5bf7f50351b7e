import { existsSync, promises as fs } from "node:fs";
import os from "node:os";
import { capabilitiesFromMask } from "../../runtime/spec/capabilities.js";
import { parseProcLimits } from "../../runtime/spec/rlimits.js";
import type { RuntimeHost } from "./runtime-deps.js";

/** Static inits that work in a scratch image (Debian's plain tini is dynamically linked). */
const INITS = ["/usr/bin/catatonit", "/usr/libexec/podman/catatonit", "/usr/bin/tini-static"];

/** Reads what the spec generator needs to know about this host, once at daemon start. */
export async function readRuntimeHost(dns?: string[]): Promise<RuntimeHost> {
  const status = await fs.readFile("/proc/self/status", "utf8");
  const capBnd = /^CapBnd:\s*([0-9a-f]+)$/m.exec(status)?.[1] ?? "0";
  return {
    rlimits: parseProcLimits(await fs.readFile("/proc/self/limits", "utf8")),
    capabilities: capabilitiesFromMask(capBnd),
    arch: process.arch,
    kernel: os.release(),
    ...(INITS.find((p) => existsSync(p)) ? { initPath: INITS.find((p) => existsSync(p))! } : {}),
    resolvConf: await fs.readFile("/etc/resolv.conf", "utf8").catch(() => ""),
    ...(dns ? { dns } : {}),
  };
}
