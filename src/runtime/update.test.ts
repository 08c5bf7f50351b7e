import assert from "node:assert/strict";
import { test } from "node:test";
import { isKind } from "../lib/errors.js";
import { RecordingRunner, type RunOptions } from "../lib/exec.js";
import { updateResources } from "./update.js";

const rt = {
  name: "runc",
  path: "/usr/sbin/runc",
  globalArgs: ["--root", "/run/b/runc", "--log-format", "json"],
};

test("updateResources pipes the resources to runc update", async () => {
  const inputs: unknown[] = [];
  const r = new RecordingRunner();
  const runner = {
    run: (file: string, args: readonly string[], opts?: RunOptions) => {
      inputs.push(opts?.input);
      return r.run(file, args, opts);
    },
  };
  await updateResources(
    rt,
    "c1",
    { memory: { limit: 20971520, swap: 41943040 }, pids: { limit: 50 } },
    runner,
  );
  assert.deepEqual(r.calls, [
    ["/usr/sbin/runc", "--root", "/run/b/runc", "--log-format", "json", "update", "--resources", "-", "c1"],
  ]);
  assert.deepEqual(JSON.parse(String(inputs[0])), {
    memory: { limit: 20971520, swap: 41943040 },
    pids: { limit: 50 },
  });
});

test("updateResources maps runc's errors to kinds", async () => {
  const gone = new RecordingRunner(() => ({
    code: 1,
    stderr: '{"level":"error","msg":"container does not exist"}\n',
  }));
  await assert.rejects(updateResources(rt, "c1", {}, gone), (e) => isKind(e, "not-found"));
  const other = new RecordingRunner(() => ({ code: 1, stderr: '{"level":"error","msg":"EBUSY"}\n' }));
  await assert.rejects(updateResources(rt, "c1", {}, other), /runc update c1: EBUSY/);
});
