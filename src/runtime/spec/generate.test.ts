import assert from "node:assert/strict";
import { test } from "node:test";
import { testInput } from "./_test-input.js";
import { DEFAULT_CAPABILITIES } from "./capabilities.js";
import { DEFAULT_MASKED_PATHS, DEFAULT_READONLY_PATHS, generateSpec } from "./generate.js";
import { RLIM_INFINITY } from "./runtime-spec.js";
import { parseSeccompProfile } from "./seccomp-profile.js";

test("generateSpec builds Docker's default process", () => {
  const spec = generateSpec(testInput({ user: { uid: 1000, gid: 1000, additionalGids: [1000, 27] } }));
  assert.equal(spec.ociVersion, "1.0.2");
  assert.deepEqual(spec.process, {
    terminal: false,
    user: { uid: 1000, gid: 1000, additionalGids: [1000, 27] },
    args: ["/bin/sh", "-c", "true"],
    env: ["PATH=/bin", "HOSTNAME=c1host"],
    cwd: "/",
    capabilities: {
      bounding: [...DEFAULT_CAPABILITIES],
      effective: [...DEFAULT_CAPABILITIES],
      permitted: [...DEFAULT_CAPABILITIES],
    },
    noNewPrivileges: false,
    oomScoreAdj: 0,
  });
  assert.deepEqual(spec.root, { path: "/var/lib/berth/c1/rootfs", readonly: false });
  assert.equal(spec.hostname, "c1host");
});

test("generateSpec builds Docker's default linux section", () => {
  const { linux } = generateSpec(testInput());
  assert.deepEqual(linux?.namespaces, [
    { type: "mount" },
    { type: "network" },
    { type: "uts" },
    { type: "pid" },
    { type: "ipc" },
  ]);
  assert.deepEqual(linux?.maskedPaths, DEFAULT_MASKED_PATHS);
  assert.deepEqual(linux?.readonlyPaths, DEFAULT_READONLY_PATHS);
  assert.equal(linux?.cgroupsPath, "/berth/c1");
  assert.deepEqual(linux?.resources?.devices?.[0], { allow: false, access: "rwm" });
  assert.deepEqual(linux?.sysctl, {
    "net.ipv4.ping_group_range": "0 2147483647",
    "net.ipv4.ip_unprivileged_port_start": "0",
  });
  assert.equal(linux?.seccomp?.defaultAction, "SCMP_ACT_ERRNO");
  assert.equal(linux?.seccomp?.defaultErrnoRet, 1);
  assert.ok(DEFAULT_MASKED_PATHS.includes("/proc/kcore") && DEFAULT_MASKED_PATHS.includes("/sys/firmware"));
});

test("generateSpec opens everything up for privileged containers", () => {
  const spec = generateSpec(
    testInput({ privileged: true, availableCapabilities: ["CAP_CHOWN", "CAP_SYS_ADMIN"] }),
  );
  assert.deepEqual(spec.process?.capabilities?.bounding, ["CAP_CHOWN", "CAP_SYS_ADMIN"]);
  assert.deepEqual(spec.linux?.maskedPaths, []);
  assert.deepEqual(spec.linux?.readonlyPaths, []);
  assert.deepEqual(spec.linux?.resources?.devices, [{ allow: true, access: "rwm" }]);
  assert.equal(spec.linux?.seccomp, undefined);
  assert.ok(!spec.mounts?.find((m) => m.destination === "/sys")?.options?.includes("ro"));
});

test("generateSpec applies an explicit profile even when privileged", () => {
  const profile = parseSeccompProfile({
    defaultAction: "SCMP_ACT_ALLOW",
    syscalls: [{ names: ["unshare"], action: "SCMP_ACT_ERRNO" }],
  });
  const spec = generateSpec(testInput({ privileged: true, seccomp: profile }));
  assert.deepEqual(spec.linux?.seccomp, {
    defaultAction: "SCMP_ACT_ALLOW",
    syscalls: [{ names: ["unshare"], action: "SCMP_ACT_ERRNO" }],
  });
  assert.equal(generateSpec(testInput({ seccomp: "unconfined" })).linux?.seccomp, undefined);
});

test("generateSpec resolves seccomp rules against the final capabilities", () => {
  const names = (caps: string[]) =>
    generateSpec(testInput({ capAdd: caps })).linux?.seccomp?.syscalls?.flatMap((s) => s.names) ?? [];
  assert.ok(!names([]).includes("mount"));
  assert.ok(names(["SYS_ADMIN"]).includes("mount"));
});

test("generateSpec wraps the command with --init in a private PID namespace", () => {
  const spec = generateSpec(testInput({ init: { path: "/usr/bin/tini-static" } }));
  assert.deepEqual(spec.process?.args, ["/sbin/docker-init", "--", "/bin/sh", "-c", "true"]);
  assert.ok(
    spec.mounts?.some((m) => m.destination === "/sbin/docker-init" && m.source === "/usr/bin/tini-static"),
  );
});

test("generateSpec leaves host namespaces out and drops the hostname with --uts host", () => {
  const spec = generateSpec(
    testInput({
      domainname: "example.org",
      namespaces: {
        network: { kind: "host" },
        ipc: { kind: "host" },
        pid: { kind: "host" },
        uts: { kind: "host" },
      },
    }),
  );
  assert.deepEqual(spec.linux?.namespaces, [{ type: "mount" }]);
  assert.equal(spec.hostname, undefined);
  assert.equal(spec.domainname, undefined);
  assert.equal(spec.linux?.sysctl, undefined);
  assert.equal(generateSpec(testInput({ domainname: "example.org" })).domainname, "example.org");
});

test("generateSpec sets the private-network sysctls only for the container's own netns", () => {
  const ns = (network: { kind: "path"; path: string; private?: boolean }) =>
    testInput({ namespaces: { network, ipc: { kind: "new" }, pid: { kind: "new" }, uts: { kind: "new" } } });
  assert.equal(generateSpec(ns({ kind: "path", path: "/proc/9/ns/net" })).linux?.sysctl, undefined);
  assert.ok(generateSpec(ns({ kind: "path", path: "/run/netns/c1", private: true })).linux?.sysctl);
  const user = generateSpec(
    testInput({ sysctls: { "net.ipv4.ip_unprivileged_port_start": "80", "kernel.msgmax": "1" } }),
  );
  assert.equal(user.linux?.sysctl?.["net.ipv4.ip_unprivileged_port_start"], "80");
  assert.equal(user.linux?.sysctl?.["kernel.msgmax"], "1");
});

test("generateSpec carries tty, umask, ulimits, resources and annotations", () => {
  const spec = generateSpec(
    testInput({
      tty: true,
      consoleSize: { height: 24, width: 80 },
      user: { uid: 0, gid: 0, additionalGids: [], umask: 0o022 },
      ulimits: [{ name: "core", soft: 0, hard: -1 }],
      hostRlimits: [],
      resources: { memory: 1 << 26, pidsLimit: 10 },
      annotations: { "org.example": "x" },
      noNewPrivileges: true,
      oomScoreAdj: 500,
      cwd: "",
    }),
  );
  assert.equal(spec.process?.terminal, true);
  assert.deepEqual(spec.process?.consoleSize, { height: 24, width: 80 });
  assert.deepEqual(spec.process?.user, { uid: 0, gid: 0, umask: 0o022 });
  assert.deepEqual(spec.process?.rlimits, [{ type: "RLIMIT_CORE", soft: 0, hard: RLIM_INFINITY }]);
  assert.equal(spec.process?.noNewPrivileges, true);
  assert.equal(spec.process?.oomScoreAdj, 500);
  assert.equal(spec.process?.cwd, "/");
  assert.deepEqual(spec.linux?.resources?.memory, { limit: 1 << 26 });
  assert.deepEqual(spec.linux?.resources?.pids, { limit: 10 });
  assert.deepEqual(spec.annotations, { "org.example": "x" });
});

test("generateSpec rejects inputs runc would refuse", () => {
  assert.throws(() => generateSpec(testInput({ args: [] })), {
    kind: "invalid-argument",
    message: "no command specified",
  });
  assert.throws(() => generateSpec(testInput({ cwd: "work" })), { message: /needs to be an absolute path/ });
  assert.throws(() => generateSpec(testInput({ rootfsPath: "rootfs" })), { kind: "invalid-argument" });
  assert.throws(() => generateSpec(testInput({ user: { uid: -1, gid: 0, additionalGids: [] } })), {
    kind: "invalid-argument",
  });
  assert.throws(() => generateSpec(testInput({ capAdd: ["NOPE"] })), {
    message: 'unknown capability: "CAP_NOPE"',
  });
  assert.throws(() => generateSpec(testInput({ ulimits: [{ name: "nofile", soft: 1, hard: 1 << 20 }] })), {
    message: "ulimit nofile hard limit 1048576 exceeds the host's 524288",
  });
});

test("generateSpec output is plain JSON data", () => {
  const spec = generateSpec(testInput({ etcFiles: { hosts: "/s/hosts" }, tmpfs: { "/run": "size=1m" } }));
  assert.deepEqual(JSON.parse(JSON.stringify(spec)), spec);
});
