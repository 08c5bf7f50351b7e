import assert from "node:assert/strict";
import { test } from "node:test";
import { RecordingRunner } from "../lib/exec.js";
import { RuncRuntime, runtimeMessages, runtimeRoot, runtimeSignal } from "./runc.js";

const notExist = '{"level":"error","msg":"container does not exist","time":"2026-01-01T00:00:00Z"}\n';

test("RuncRuntime runs the CLI with berth's root and JSON logs", async () => {
  const r = new RecordingRunner((argv) =>
    argv.includes("state")
      ? { stdout: '{"ociVersion":"1.0.2","id":"c1","pid":42,"status":"running","bundle":"/b","created":"x"}' }
      : argv.includes("list")
        ? { stdout: "null" }
        : {},
  );
  const rt = new RuncRuntime({ root: runtimeRoot("/run/berth", "runc"), runner: r });
  assert.deepEqual(rt.globalArgs, ["--root", "/run/berth/runc", "--log-format", "json"]);
  assert.deepEqual(await rt.state("c1"), {
    ociVersion: "1.0.2",
    id: "c1",
    pid: 42,
    status: "running",
    bundle: "/b",
    created: "x",
  });
  await rt.start("c1");
  await rt.kill("c1", "SIGTERM", { all: true });
  await rt.kill("c1", 9);
  await rt.delete("c1", { force: true });
  await rt.delete("c1");
  await rt.pause("c1");
  await rt.resume("c1");
  assert.deepEqual(await rt.list(), []);
  const g = "/usr/sbin/runc --root /run/berth/runc --log-format json";
  assert.deepEqual(
    r.calls.map((c) => c.join(" ")),
    [
      `${g} state c1`,
      `${g} start c1`,
      `${g} kill --all c1 TERM`,
      `${g} kill c1 9`,
      `${g} delete --force c1`,
      `${g} delete c1`,
      `${g} pause c1`,
      `${g} resume c1`,
      `${g} list --format json`,
    ],
  );
});

test("RuncRuntime maps runtime errors to kinds", async () => {
  const answer = (msg: string) => () => ({
    code: 1,
    stderr: `{"level":"error","msg":${JSON.stringify(msg)}}\n`,
  });
  const rt = (msg: string) => new RuncRuntime({ root: "/r", runner: new RecordingRunner(answer(msg)) });
  await assert.rejects(rt("container does not exist").state("x"), { kind: "not-found" });
  await assert.rejects(rt("container not running").kill("x", "TERM"), { kind: "failed-precondition" });
  await assert.rejects(
    rt("cannot delete container x that is not stopped: container is running").delete("x"),
    {
      kind: "failed-precondition",
    },
  );
  await assert.rejects(rt("something odd").start("x"), {
    kind: "internal",
    message: /runc start x: something odd/,
  });
  const crun = new RuncRuntime({
    name: "crun",
    root: "/r",
    runner: new RecordingRunner(answer("error opening file `/r/x/status`: No such file or directory")),
  });
  assert.equal(crun.path, "/usr/bin/crun");
  await assert.rejects(crun.state("x"), { kind: "not-found" });
});

test("runtimeSignal normalizes Docker's signal spellings", () => {
  assert.equal(runtimeSignal("SIGTERM"), "TERM");
  assert.equal(runtimeSignal("kill"), "KILL");
  assert.equal(runtimeSignal("15"), "15");
  assert.equal(runtimeSignal(2), "2");
  assert.equal(runtimeSignal("SIGRTMIN+3"), "RTMIN+3");
  assert.throws(() => runtimeSignal("TERM; rm -rf /"), { kind: "invalid-argument" });
  assert.throws(() => runtimeSignal(0), { kind: "invalid-argument" });
});

test("runtimeMessages extracts error messages from JSON and plain lines", () => {
  assert.deepEqual(runtimeMessages(`${notExist}{"level":"warning","msg":"meh"}\nplain text\n`), [
    "container does not exist",
    "plain text",
  ]);
});
