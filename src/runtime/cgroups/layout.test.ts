import assert from "node:assert/strict";
import { test } from "node:test";
import { cgroupDir, containerCgroupDirs, parseMountinfo, parseProcCgroup } from "./layout.js";

const HYBRID = `31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
`;

const UNIFIED = `25 21 0:22 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
`;

const COMBINED = `30 25 0:26 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:11 - cgroup cgroup rw,cpu,cpuacct
31 25 0:27 /docker/abc /sys/fs/cgroup/memory rw,nosuid shared:12 - cgroup cgroup rw,memory
`;

test("parseMountinfo: a hybrid host is v1 (the v2 mount holds no controllers)", () => {
  const l = parseMountinfo(HYBRID);
  assert.equal(l?.version, 1);
  assert.ok(l?.version === 1);
  assert.deepEqual(Object.keys(l.controllers).sort(), ["cpu", "cpuacct", "memory", "pids"]);
  assert.equal(l.controllers.memory?.mountpoint, "/sys/fs/cgroup/memory");
});

test("parseMountinfo: unified and combined layouts", () => {
  assert.deepEqual(parseMountinfo(UNIFIED), {
    version: 2,
    unified: { mountpoint: "/sys/fs/cgroup", root: "/" },
  });
  const l = parseMountinfo(COMBINED);
  assert.ok(l?.version === 1);
  assert.equal(l.controllers.cpu?.mountpoint, "/sys/fs/cgroup/cpu,cpuacct");
  assert.equal(l.controllers.cpuacct?.mountpoint, "/sys/fs/cgroup/cpu,cpuacct");
  assert.equal(l.controllers.memory?.root, "/docker/abc");
  assert.equal(parseMountinfo("1 0 8:1 / / rw - ext4 /dev/sda1 rw\n"), undefined);
});

test("parseProcCgroup splits v1 controllers and the unified path", () => {
  const p = parseProcCgroup(
    "4:memory:/berth/x\n2:cpu,cpuacct:/berth/x\n9:name=systemd:/berth/x\n0::/berth/x\n",
  );
  assert.equal(p.v1.memory, "/berth/x");
  assert.equal(p.v1.cpuacct, "/berth/x");
  assert.equal(p.unified, "/berth/x");
});

test("cgroupDir joins mount point and path, less the mount's root", () => {
  assert.equal(
    cgroupDir({ mountpoint: "/sys/fs/cgroup/memory", root: "/" }, "/berth/x"),
    "/sys/fs/cgroup/memory/berth/x",
  );
  assert.equal(
    cgroupDir({ mountpoint: "/sys/fs/cgroup/memory", root: "/docker/abc" }, "/docker/abc/berth/x"),
    "/sys/fs/cgroup/memory/berth/x",
  );
  assert.equal(cgroupDir({ mountpoint: "/sys/fs/cgroup", root: "/" }, "/"), "/sys/fs/cgroup");
});

test("containerCgroupDirs prefers /proc/<pid>/cgroup, falls back to cgroupsPath", () => {
  const l = parseMountinfo(HYBRID)!;
  const fromPath = containerCgroupDirs(l, { cgroupsPath: "/berth/c1" });
  assert.ok(fromPath.version === 1);
  assert.equal(fromPath.dirs.memory, "/sys/fs/cgroup/memory/berth/c1");
  const fromProc = containerCgroupDirs(l, {
    cgroupsPath: "/berth/c1",
    proc: parseProcCgroup("4:memory:/elsewhere/c1\n"),
  });
  assert.ok(fromProc.version === 1);
  assert.equal(fromProc.dirs.memory, "/sys/fs/cgroup/memory/elsewhere/c1");
  assert.equal(fromProc.dirs.pids, "/sys/fs/cgroup/pids/berth/c1");
  assert.deepEqual(containerCgroupDirs(parseMountinfo(UNIFIED)!, { cgroupsPath: "/berth/c1" }), {
    version: 2,
    dir: "/sys/fs/cgroup/berth/c1",
  });
});
