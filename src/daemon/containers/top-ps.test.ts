import assert from "node:assert/strict";
import { test } from "node:test";
import { inContainerCgroup, parsePsOutput, psArgsOf, validatePsArgs } from "./top-ps.js";

const ID = "abc123";

test("inContainerCgroup matches the container's cgroup in any hierarchy", () => {
  assert.ok(inContainerCgroup(`8:pids:/berth/${ID}\n0::/\n`, ID));
  assert.ok(inContainerCgroup(`0::/system.slice/berth/${ID}\n`, ID), "below a parent cgroup");
  assert.ok(inContainerCgroup(`4:memory:/berth/${ID}/sub\n`, ID), "a child cgroup");
  assert.ok(!inContainerCgroup(`8:pids:/berth/${ID}0\n`, ID), "another id with the same prefix");
  assert.ok(!inContainerCgroup("8:pids:/\n0::/user.slice\n", ID));
});

test("psArgsOf defaults to -ef and splits on whitespace", () => {
  assert.deepEqual(psArgsOf(undefined), ["-ef"]);
  assert.deepEqual(psArgsOf(""), ["-ef"]);
  assert.deepEqual(psArgsOf("  aux "), ["aux"]);
  assert.deepEqual(psArgsOf("-o pid,comm"), ["-o", "pid,comm"]);
});

test("validatePsArgs refuses renaming another column to PID", () => {
  validatePsArgs("-o pid=PID,comm");
  assert.throws(() => validatePsArgs("-o user=PID"), /specifying "user=PID" is not allowed/);
});

test("parsePsOutput keeps the container's rows and joins the command", () => {
  const out = [
    "UID          PID    PPID  C STIME TTY          TIME CMD",
    "root           1       0  0 10:00 ?        00:00:01 /sbin/init",
    "root         100      90  0 10:01 ?        00:00:00 sleep 1000",
    "root         101     100  0 10:01 ?        00:00:00 sh -c echo hi there",
    "",
  ].join("\n");
  const r = parsePsOutput(out, new Set([100, 101]));
  assert.deepEqual(r.Titles, ["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"]);
  assert.deepEqual(r.Processes, [
    ["root", "100", "90", "0", "10:01", "?", "00:00:00", "sleep 1000"],
    ["root", "101", "100", "0", "10:01", "?", "00:00:00", "sh -c echo hi there"],
  ]);
});

test("parsePsOutput needs a PID column", () => {
  assert.throws(() => parsePsOutput("USER COMMAND\nroot sh\n", new Set([1])), /Couldn't find PID field/);
});
