/**
 * The namespace list (moby daemon/oci_linux.go WithNamespaces): a container always gets its own
 * mount namespace; network, UTS, PID and IPC are new, joined by path, or the host's (left out).
 * The cgroup namespace is the host's unless asked for. No user namespace: berth runs rootful.
 */
import type { LinuxNamespace, NamespaceType } from "./runtime-spec.js";
import type { SharedNamespace, SpecNamespaces } from "./spec-input.js";

function entry(type: NamespaceType, ns: SharedNamespace): LinuxNamespace[] {
  switch (ns.kind) {
    case "new":
      return [{ type }];
    case "path":
      return [{ type, path: ns.path }];
    case "host":
      return [];
  }
}

/** In Docker's order: mount, network, uts, pid, ipc, then cgroup. */
export function buildNamespaces(ns: SpecNamespaces): LinuxNamespace[] {
  return [
    { type: "mount" },
    ...entry("network", ns.network),
    ...entry("uts", ns.uts),
    ...entry("pid", ns.pid),
    ...entry("ipc", ns.ipc),
    ...entry("cgroup", ns.cgroup ?? { kind: "host" }),
  ];
}
