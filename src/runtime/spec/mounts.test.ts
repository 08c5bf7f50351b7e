import assert from "node:assert/strict";
import { test } from "node:test";
import { testInput } from "./_test-input.js";
import { buildMounts, defaultMounts, mergeTmpfsOptions, sortMounts, tmpfsMount } from "./mounts.js";

const dests = (ms: { destination: string }[]) => ms.map((m) => m.destination);
const find = (ms: ReturnType<typeof buildMounts>, dest: string) => ms.find((m) => m.destination === dest);

test("defaultMounts lists Docker's filesystems with the shm size", () => {
  const ms = defaultMounts(128 * 1024 * 1024);
  assert.deepEqual(dests(ms), [
    "/proc",
    "/dev",
    "/dev/pts",
    "/sys",
    "/sys/fs/cgroup",
    "/dev/mqueue",
    "/dev/shm",
  ]);
  assert.deepEqual(ms[1]?.options, ["nosuid", "strictatime", "mode=755", "size=65536k"]);
  assert.deepEqual(ms[2]?.options, [
    "nosuid",
    "noexec",
    "newinstance",
    "ptmxmode=0666",
    "mode=0620",
    "gid=5",
  ]);
  assert.deepEqual(ms[6], {
    destination: "/dev/shm",
    type: "tmpfs",
    source: "shm",
    options: ["nosuid", "noexec", "nodev", "mode=1777", "size=134217728"],
  });
  assert.ok(defaultMounts().at(-1)?.options?.includes("size=67108864"));
});

test("mergeTmpfsOptions keeps the last of conflicting options", () => {
  assert.deepEqual(
    mergeTmpfsOptions(["noexec", "nosuid", "nodev", "rprivate", "exec", "size=1m", "size=2m"]),
    ["nosuid", "nodev", "rprivate", "exec", "size=2m"],
  );
  assert.deepEqual(mergeTmpfsOptions(["ro", "defaults", "rw", "shared"]), ["rw", "shared"]);
});

test("mergeTmpfsOptions rejects unknown options", () => {
  assert.throws(() => mergeTmpfsOptions(["bogus"]), {
    kind: "invalid-argument",
    message: 'invalid tmpfs option "bogus"',
  });
  assert.throws(() => mergeTmpfsOptions(["color=red"]), { message: 'invalid tmpfs option "color"' });
});

test("tmpfsMount builds a --tmpfs mount like Docker", () => {
  assert.deepEqual(tmpfsMount("/run", "rw,size=64m"), {
    destination: "/run",
    type: "tmpfs",
    source: "tmpfs",
    options: ["noexec", "nosuid", "nodev", "rprivate", "rw", "size=64m"],
  });
  assert.deepEqual(tmpfsMount("/t", "").options, ["noexec", "nosuid", "nodev", "rprivate"]);
});

test("sortMounts orders by depth and keeps the order within a depth", () => {
  const sorted = sortMounts([
    { destination: "/a/b/c" },
    { destination: "/z" },
    { destination: "/a/b" },
    { destination: "/a" },
  ]);
  assert.deepEqual(dests(sorted), ["/z", "/a", "/a/b", "/a/b/c"]);
});

test("buildMounts puts defaults first and sorted user mounts after", () => {
  const ms = buildMounts(
    testInput({
      mounts: [
        { destination: "/data/sub", type: "bind", source: "/h/sub", options: ["rbind", "rprivate"] },
        { destination: "/data/", type: "bind", source: "/h/data", options: ["rbind", "ro", "rprivate"] },
      ],
      tmpfs: { "/run": "size=1m" },
      etcFiles: { hosts: "/s/hosts", hostname: "/s/hostname", resolvConf: "/s/resolv.conf" },
    }),
  );
  assert.deepEqual(dests(ms), [
    "/proc",
    "/dev",
    "/dev/pts",
    "/sys",
    "/sys/fs/cgroup",
    "/dev/mqueue",
    "/dev/shm",
    "/data",
    "/run",
    "/etc/hosts",
    "/etc/hostname",
    "/etc/resolv.conf",
    "/data/sub",
  ]);
  assert.deepEqual(find(ms, "/etc/hosts"), {
    destination: "/etc/hosts",
    type: "bind",
    source: "/s/hosts",
    options: ["rbind", "rprivate"],
  });
});

test("buildMounts lets user mounts replace defaults and /etc files", () => {
  const ms = buildMounts(
    testInput({
      mounts: [
        { destination: "/dev/shm", type: "bind", source: "/h/shm", options: ["rbind"] },
        { destination: "/etc/hosts", type: "bind", source: "/mine", options: ["rbind", "ro"] },
      ],
      etcFiles: { hosts: "/s/hosts" },
    }),
  );
  assert.equal(ms.filter((m) => m.destination === "/dev/shm").length, 1);
  assert.equal(find(ms, "/dev/shm")?.source, "/h/shm");
  assert.equal(find(ms, "/etc/hosts")?.source, "/mine");
  const dev = buildMounts(
    testInput({ mounts: [{ destination: "/dev", type: "bind", source: "/dev", options: ["rbind"] }] }),
  );
  assert.ok(!dests(dev).some((d) => d.startsWith("/dev/")));
});

test("buildMounts rejects duplicate and relative destinations", () => {
  const m = { destination: "/x", type: "bind", source: "/a", options: [] };
  assert.throws(() => buildMounts(testInput({ mounts: [m, { ...m, destination: "/x/" }] })), {
    kind: "invalid-argument",
    message: "Duplicate mount point: /x",
  });
  assert.throws(() => buildMounts(testInput({ mounts: [m], tmpfs: { "/x": "" } })), { message: /Duplicate/ });
  assert.throws(() => buildMounts(testInput({ mounts: [{ ...m, destination: "x" }] })), {
    message: /must be absolute/,
  });
});

test("buildMounts binds the init binary read-only in a private PID namespace", () => {
  const ms = buildMounts(testInput({ init: { path: "/usr/bin/catatonit" } }));
  assert.deepEqual(ms[7], {
    destination: "/sbin/docker-init",
    type: "bind",
    source: "/usr/bin/catatonit",
    options: ["bind", "ro"],
  });
  const host = buildMounts(
    testInput({
      init: { path: "/usr/bin/catatonit" },
      namespaces: {
        network: { kind: "new" },
        ipc: { kind: "new" },
        pid: { kind: "host" },
        uts: { kind: "new" },
      },
    }),
  );
  assert.equal(find(host, "/sbin/docker-init"), undefined);
});

test("buildMounts makes /etc files read-only under --read-only and leaves /dev writable", () => {
  const ms = buildMounts(
    testInput({ readonlyRootfs: true, etcFiles: { resolvConf: "/s/r" }, tmpfs: { "/tmp": "" } }),
  );
  assert.deepEqual(find(ms, "/etc/resolv.conf")?.options, ["rbind", "ro", "rprivate"]);
  assert.ok(!find(ms, "/dev/shm")?.options?.includes("ro"));
  assert.ok(!find(ms, "/dev")?.options?.includes("ro"));
  assert.ok(!find(ms, "/tmp")?.options?.includes("ro"));
  assert.ok(find(ms, "/sys")?.options?.includes("ro"));
});

test("buildMounts gives privileged containers writable /sys and cgroups", () => {
  const ms = buildMounts(testInput({ privileged: true }));
  assert.deepEqual(find(ms, "/sys")?.options, ["nosuid", "noexec", "nodev"]);
  assert.deepEqual(find(ms, "/sys/fs/cgroup")?.options, ["nosuid", "noexec", "nodev"]);
});

test("buildMounts binds the host /dev/shm for --ipc host", () => {
  const ms = buildMounts(
    testInput({
      namespaces: {
        network: { kind: "new" },
        ipc: { kind: "host" },
        pid: { kind: "new" },
        uts: { kind: "new" },
      },
    }),
  );
  assert.deepEqual(
    ms.filter((m) => m.destination === "/dev/shm"),
    [{ destination: "/dev/shm", type: "bind", source: "/dev/shm", options: ["rbind", "rprivate"] }],
  );
});

test("buildMounts sizes /dev/shm from shmSize, 0 meaning the default", () => {
  const shm = (shmSize: number) => find(buildMounts(testInput({ shmSize })), "/dev/shm")?.options?.at(-1);
  assert.equal(shm(1 << 20), "size=1048576");
  assert.equal(shm(0), "size=67108864");
  assert.throws(() => buildMounts(testInput({ shmSize: -1 })), { kind: "invalid-argument" });
});
