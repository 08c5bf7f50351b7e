import assert from "node:assert/strict";
import { test } from "node:test";
import { buildDevices, buildResources, defaultDeviceRules } from "./resources.js";

test("defaultDeviceRules denies all, then allows the standard character devices", () => {
  const rules = defaultDeviceRules();
  assert.deepEqual(rules[0], { allow: false, access: "rwm" });
  const allowed = rules.filter((r) => r.allow).map((r) => `${r.major}:${r.minor ?? "*"}`);
  assert.deepEqual(allowed, ["1:5", "1:3", "1:9", "1:8", "1:7", "5:0", "5:1", "5:2", "136:*"]);
  assert.deepEqual(rules.at(-1), { allow: false, type: "c", major: 10, minor: 229, access: "rwm" });
});

test("buildDevices adds --device nodes and their cgroup rules", () => {
  const { devices, rules } = buildDevices({
    privileged: false,
    devices: [{ path: "/dev/net/tun", type: "c", major: 10, minor: 200, permissions: "rw" }],
  });
  assert.deepEqual(devices, [{ path: "/dev/net/tun", type: "c", major: 10, minor: 200 }]);
  assert.deepEqual(rules.at(-1), { allow: true, type: "c", major: 10, minor: 200, access: "rw" });
  assert.throws(
    () =>
      buildDevices({
        privileged: false,
        devices: [{ path: "/dev/x", type: "c", major: 1, minor: 1, permissions: "x" }],
      }),
    { kind: "invalid-argument" },
  );
});

test("buildDevices allows everything and creates host devices when privileged", () => {
  const host = [{ path: "/dev/sda", type: "b", major: 8, minor: 0 }];
  assert.deepEqual(buildDevices({ privileged: true, hostDevices: host }), {
    devices: host,
    rules: [{ allow: true, access: "rwm" }],
  });
});

test("buildResources maps memory, cpu and pids like Docker", () => {
  const r = buildResources(
    {
      memory: 64 << 20,
      memorySwap: 128 << 20,
      memoryReservation: 32 << 20,
      oomKillDisable: true,
      cpuShares: 512,
      nanoCpus: 1_500_000_000,
      cpusetCpus: "0-1",
      pidsLimit: 100,
      blkioWeight: 300,
    },
    [],
  );
  assert.deepEqual(r, {
    devices: [],
    memory: { limit: 64 << 20, reservation: 32 << 20, swap: 128 << 20, disableOOMKiller: true },
    cpu: { shares: 512, cpus: "0-1", period: 100000, quota: 150000 },
    pids: { limit: 100 },
    blockIO: { weight: 300 },
  });
});

test("buildResources omits unset groups and writes unlimited pids as -1", () => {
  assert.deepEqual(buildResources({}, []), { devices: [] });
  assert.deepEqual(buildResources({ pidsLimit: 0, memorySwap: -1, cpuQuota: 0 }, []), {
    devices: [],
    pids: { limit: -1 },
  });
  assert.deepEqual(buildResources({ cpuPeriod: 50000, cpuQuota: 25000 }, []).cpu, {
    period: 50000,
    quota: 25000,
  });
});

test("buildResources rejects negative CPU shares", () => {
  assert.throws(() => buildResources({ cpuShares: -1 }, []), {
    kind: "invalid-argument",
    message: "invalid CPU shares (-1): value must be a positive integer",
  });
});
