import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { HostFacts } from "./host-facts.js";
import { parseOsRelease } from "./host-facts.js";
import { buildInfo, rfc3339Nano } from "./info.js";
import { buildVersion } from "./version.js";

const host: HostFacts = {
  hostname: "box",
  kernelVersion: "6.1.0",
  operatingSystem: "Debian GNU/Linux 12 (bookworm)",
  osVersion: "12",
  machine: "x86_64",
  goArch: "amd64",
  ncpu: 4,
  memTotal: 8 * 1024 ** 3,
  cgroupVersion: "1",
  cgroupControllers: ["memory", "cpu", "pids"],
  ipv4Forwarding: true,
  httpProxy: "",
  httpsProxy: "",
  noProxy: "",
};

describe("buildInfo", () => {
  it("buildInfo fills Docker's fields from facts, config and counts", () => {
    const info = buildInfo(
      host,
      { id: "ID1", rootDir: "/var/lib/berth", serverVersion: "0.1.0" },
      {
        counts: { containers: 3, running: 1, paused: 0, stopped: 2, images: 5 },
        eventListeners: 2,
        systemTime: "2024-01-01T00:00:00.000000000Z",
      },
    );
    assert.equal(info.Containers, 3);
    assert.equal(info.ContainersStopped, 2);
    assert.equal(info.Images, 5);
    assert.equal(info.Driver, "overlayfs");
    assert.equal(info.DockerRootDir, "/var/lib/berth");
    assert.equal(info.Name, "box");
    assert.equal(info.NCPU, 4);
    assert.equal(info.CgroupDriver, "cgroupfs");
    assert.equal(info.CgroupVersion, "1");
    assert.equal(info.DefaultRuntime, "runc");
    assert.deepEqual(Object.keys(info.Runtimes), ["runc"]);
    assert.equal(info.Swarm.LocalNodeState, "inactive");
    assert.equal(info.MemoryLimit, true);
    assert.equal(info.CPUSet, false);
    assert.equal(info.NEventsListener, 2);
    assert.equal(info.RegistryConfig?.IndexConfigs["docker.io"]?.Official, true);
  });
});

describe("buildVersion", () => {
  it("buildVersion reports the engine component with API versions and node", () => {
    const v = buildVersion({
      serverVersion: "0.1.0",
      gitCommit: "abc123",
      buildTime: "2024-01-01T00:00:00Z",
      api: { current: "1.50", min: "1.24" },
      nodeVersion: "v20.1.0",
      kernelVersion: "6.1.0",
      arch: "amd64",
      components: [{ Name: "runc", Version: "1.1.5", Details: { GitCommit: "" } }],
    });
    assert.equal(v.ApiVersion, "1.50");
    assert.equal(v.MinAPIVersion, "1.24");
    assert.equal(v.GoVersion, "node v20.1.0");
    assert.equal(v.Components[0]?.Name, "Engine");
    assert.equal(v.Components[0]?.Details?.MinAPIVersion, "1.24");
    assert.equal(v.Components[1]?.Name, "runc");
  });
});

describe("host facts helpers", () => {
  it("parseOsRelease reads quoted and bare values", () => {
    const r = parseOsRelease('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nVERSION_ID=12\n# c\nID=debian\n');
    assert.equal(r.PRETTY_NAME, "Debian GNU/Linux 12 (bookworm)");
    assert.equal(r.VERSION_ID, "12");
    assert.equal(r.ID, "debian");
  });

  it("rfc3339Nano keeps nanoseconds", () => {
    assert.equal(rfc3339Nano(1_700_000_000_123_456_789n), "2023-11-14T22:13:20.123456789Z");
  });
});
