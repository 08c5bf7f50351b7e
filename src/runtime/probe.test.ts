import assert from "node:assert/strict";
import { existsSync, promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { requireRealRuntime } from "./_testing.js";
import { probeRuntime, selectRuntime } from "./probe.js";

requireRealRuntime();

test("probeRuntime reports a missing binary", async () => {
  const p = await probeRuntime("runc", "/nonexistent/runc");
  assert.equal(p.ok, false);
  assert.match(p.reason ?? "", /ENOENT|nonexistent/);
});

test("selectRuntime picks runc by default and crun only when its probe passes", async () => {
  const execRoot = await fs.mkdtemp(path.join(os.tmpdir(), "berth-probe-test-"));
  try {
    const { runtime, probes } = await selectRuntime({ execRoot, prefer: "crun" });
    const crun = probes.find((p) => p.name === "crun");
    assert.ok(crun);
    if (crun.ok) assert.equal(runtime.name, "crun");
    else {
      // e.g. "cgroups in hybrid mode not supported, drop all controllers from cgroupv2"
      assert.ok(crun.reason, "a failed probe says why");
      assert.equal(runtime.name, "runc");
    }
    assert.equal(runtime.root, path.join(execRoot, runtime.name));
    const dflt = await selectRuntime({ execRoot });
    assert.equal(dflt.runtime.name, "runc");
    assert.equal(dflt.probes.length, 1);
    assert.ok(dflt.probes[0]?.ok && dflt.probes[0].version?.startsWith("runc version"));
  } finally {
    await fs.rm(execRoot, { recursive: true, force: true });
  }
  assert.ok(!existsSync(execRoot));
});
