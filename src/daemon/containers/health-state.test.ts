import assert from "node:assert/strict";
import { test } from "node:test";
import type { HealthLog } from "../../api/types/containers.js";
import {
  applyProbeResult,
  boundOutput,
  type HealthState,
  nextProbeDelay,
  probePlan,
} from "./health-state.js";

test("probePlan: CMD, CMD-SHELL, NONE and Docker's defaults", () => {
  assert.equal(probePlan({}), undefined);
  assert.equal(probePlan({ Healthcheck: { Test: ["NONE"] } }), undefined);
  assert.equal(probePlan({ Healthcheck: { Test: [] } }), undefined);
  assert.deepEqual(probePlan({ Healthcheck: { Test: ["CMD", "cat", "/ok"] } }), {
    argv: ["cat", "/ok"],
    intervalMs: 30_000,
    timeoutMs: 30_000,
    startPeriodMs: 0,
    startIntervalMs: 5_000,
    retries: 3,
  });
  const p = probePlan({
    Healthcheck: {
      Test: ["CMD-SHELL", "test -f /ok || exit 1"],
      Interval: 1e9,
      Timeout: 2e9,
      StartPeriod: 3e9,
      StartInterval: 5e8,
      Retries: 2,
    },
  });
  assert.deepEqual(p, {
    argv: ["/bin/sh", "-c", "test -f /ok || exit 1"],
    intervalMs: 1000,
    timeoutMs: 2000,
    startPeriodMs: 3000,
    startIntervalMs: 500,
    retries: 2,
  });
  assert.deepEqual(
    probePlan({ Shell: ["/bin/bash", "-lc"], Healthcheck: { Test: ["CMD-SHELL", "x"] } })?.argv,
    ["/bin/bash", "-lc", "x"],
  );
});

test("nextProbeDelay uses the start interval only while starting inside the start period", () => {
  const p = probePlan({
    Healthcheck: { Test: ["CMD", "x"], Interval: 10e9, StartPeriod: 5e9, StartInterval: 1e9 },
  })!;
  assert.equal(nextProbeDelay(p, "starting", 1000), 1000);
  assert.equal(nextProbeDelay(p, "starting", 6000), 10_000);
  assert.equal(nextProbeDelay(p, "healthy", 1000), 10_000);
});

const started = "2026-01-01T00:00:00.000Z";
const result = (exit: number, atSec: number): HealthLog => ({
  Start: new Date(Date.parse(started) + atSec * 1000).toISOString(),
  End: new Date(Date.parse(started) + atSec * 1000 + 10).toISOString(),
  ExitCode: exit,
  Output: `run at ${atSec}`,
});

test("applyProbeResult: failures turn unhealthy after retries; a success heals", () => {
  const opts = { retries: 2, startPeriodMs: 0, startedAt: started };
  let h: HealthState = { status: "starting", failingStreak: 0, log: [] };
  let r = applyProbeResult(h, result(1, 1), opts);
  assert.deepEqual([r.health.status, r.health.failingStreak, r.changed], ["starting", 1, false]);
  r = applyProbeResult(r.health, result(1, 2), opts);
  assert.deepEqual([r.health.status, r.health.failingStreak, r.changed], ["unhealthy", 2, true]);
  r = applyProbeResult(r.health, result(0, 3), opts);
  assert.deepEqual([r.health.status, r.health.failingStreak, r.changed], ["healthy", 0, true]);
  h = r.health;
  for (let i = 4; i < 10; i++) h = applyProbeResult(h, result(0, i), opts).health;
  assert.equal(h.log.length, 5);
  assert.equal(h.log[4]!.Output, "run at 9");
});

test("applyProbeResult: failures in the start period do not count while starting", () => {
  const opts = { retries: 1, startPeriodMs: 5000, startedAt: started };
  let r = applyProbeResult({ status: "starting", failingStreak: 0, log: [] }, result(1, 2), opts);
  assert.deepEqual([r.health.status, r.health.failingStreak], ["starting", 0]);
  assert.equal(r.health.log.length, 1);
  r = applyProbeResult(r.health, result(1, 6), opts);
  assert.equal(r.health.status, "unhealthy");
  // Once healthy, the start period no longer protects.
  r = applyProbeResult({ status: "healthy", failingStreak: 0, log: [] }, result(1, 1), opts);
  assert.equal(r.health.status, "unhealthy");
});

test("boundOutput keeps the first 4 KiB", () => {
  assert.equal(boundOutput([Buffer.from("a".repeat(3000)), Buffer.from("b".repeat(3000))]).length, 4096);
  assert.equal(boundOutput([Buffer.from("ok\n")]), "ok\n");
});
