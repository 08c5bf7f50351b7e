/** A minimal valid ContainerSpecInput for the unit tests of this module. */
import type { ContainerSpecInput } from "./spec-input.js";

export function testInput(overrides: Partial<ContainerSpecInput> = {}): ContainerSpecInput {
  return {
    id: "c1",
    hostname: "c1host",
    rootfsPath: "/var/lib/berth/c1/rootfs",
    readonlyRootfs: false,
    args: ["/bin/sh", "-c", "true"],
    env: ["PATH=/bin", "HOSTNAME=c1host"],
    cwd: "/",
    user: { uid: 0, gid: 0, additionalGids: [0] },
    tty: false,
    openStdin: false,
    capAdd: [],
    capDrop: [],
    privileged: false,
    noNewPrivileges: false,
    seccomp: "default",
    mounts: [],
    tmpfs: {},
    namespaces: {
      network: { kind: "new" },
      ipc: { kind: "new" },
      pid: { kind: "new" },
      uts: { kind: "new" },
    },
    hostRlimits: [{ type: "RLIMIT_NOFILE", soft: 1024, hard: 524288 }],
    ulimits: [],
    resources: {},
    cgroupsPath: "/berth/c1",
    arch: "amd64",
    kernelVersion: "6.1.0",
    ...overrides,
  };
}
