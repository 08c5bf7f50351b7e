import assert from "node:assert/strict";
import { test } from "node:test";
import {
  decideRestart,
  type ExitFacts,
  invalidPolicy,
  nextDelay,
  startsWithDaemon,
} from "./restart-policy.js";

const exit = (over: Partial<ExitFacts>): ExitFacts => ({
  policy: { Name: "always" },
  exitCode: 1,
  stoppedByUser: false,
  restartCount: 0,
  ranForMs: 50,
  previousDelayMs: 0,
  ...over,
});

test("nextDelay doubles from 100 ms up to a minute and resets after a 10 s run", () => {
  const seq: number[] = [];
  let d = 0;
  for (let i = 0; i < 12; i++) {
    d = nextDelay(d, 10);
    seq.push(d);
  }
  assert.deepEqual(seq, [100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600, 51200, 60000, 60000]);
  assert.equal(nextDelay(60_000, 10_000), 100);
  assert.equal(nextDelay(800, 9_999), 1600);
});

test("decideRestart: no and unset never restart", () => {
  assert.equal(decideRestart(exit({ policy: { Name: "no" } })).restart, false);
  assert.equal(decideRestart(exit({ policy: { Name: "" } })).restart, false);
  assert.equal(decideRestart(exit({ policy: undefined })).restart, false);
});

test("decideRestart: always and unless-stopped restart unless the user stopped it", () => {
  for (const Name of ["always", "unless-stopped"] as const) {
    assert.deepEqual(decideRestart(exit({ policy: { Name }, exitCode: 0 })), { restart: true, delayMs: 100 });
    assert.equal(decideRestart(exit({ policy: { Name }, stoppedByUser: true })).restart, false);
  }
});

test("decideRestart: on-failure counts retries and ignores clean exits", () => {
  const p = { Name: "on-failure" as const, MaximumRetryCount: 2 };
  assert.equal(decideRestart(exit({ policy: p, exitCode: 0 })).restart, false);
  assert.equal(decideRestart(exit({ policy: p, restartCount: 0 })).restart, true);
  assert.equal(decideRestart(exit({ policy: p, restartCount: 1, previousDelayMs: 100 })).restart, true);
  assert.equal(decideRestart(exit({ policy: p, restartCount: 2 })).restart, false);
  assert.equal(decideRestart(exit({ policy: { Name: "on-failure" }, restartCount: 99 })).restart, true);
  assert.equal(decideRestart(exit({ policy: p, stoppedByUser: true })).restart, false);
});

test("decideRestart: back-off follows the previous delay; a user start (count 0) starts over", () => {
  assert.equal(decideRestart(exit({ restartCount: 3, previousDelayMs: 400 })).delayMs, 800);
  assert.equal(decideRestart(exit({ restartCount: 0, previousDelayMs: 400 })).delayMs, 100);
  assert.equal(decideRestart(exit({ restartCount: 3, previousDelayMs: 400, ranForMs: 12_000 })).delayMs, 100);
});

test("startsWithDaemon: always even after a stop, unless-stopped only when not stopped", () => {
  const c = (Name: "always" | "unless-stopped" | "on-failure" | "no", stoppedByUser: boolean) => ({
    policy: { Name },
    status: "exited" as const,
    stoppedByUser,
  });
  assert.equal(startsWithDaemon(c("always", true)), true);
  assert.equal(startsWithDaemon(c("unless-stopped", false)), true);
  assert.equal(startsWithDaemon(c("unless-stopped", true)), false);
  assert.equal(startsWithDaemon(c("on-failure", false)), false);
  assert.equal(startsWithDaemon(c("no", false)), false);
  assert.equal(startsWithDaemon({ ...c("always", false), status: "created" }), false);
  assert.equal(startsWithDaemon({ ...c("no", false), status: "restarting" }), true);
});

test("invalidPolicy matches Docker's checks", () => {
  assert.equal(invalidPolicy({ Name: "on-failure", MaximumRetryCount: 3 }, false), undefined);
  assert.match(
    invalidPolicy({ Name: "sometimes" as "always" }, false)!,
    /invalid restart policy 'sometimes'/,
  );
  assert.match(
    invalidPolicy({ Name: "always", MaximumRetryCount: 1 }, false)!,
    /only be used with 'on-failure'/,
  );
  assert.match(invalidPolicy({ Name: "on-failure", MaximumRetryCount: -1 }, false)!, /negative/);
  assert.match(invalidPolicy({ Name: "always" }, true)!, /AutoRemove/);
  assert.equal(invalidPolicy({ Name: "no" }, true), undefined);
});
