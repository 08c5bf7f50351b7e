import assert from "node:assert/strict";
import { test } from "node:test";
import { buildConmonArgs } from "./_conmon-process.js";
import { RuncRuntime } from "./runc.js";

const runtime = new RuncRuntime({ root: "/run/berth/runc" });
const base = {
  id: "c1",
  cuuid: "c1",
  runtime,
  bundle: "/b",
  pidFile: "/p/pidfile",
  persistDir: "/p",
  runtimeLogPath: "/p/oci-log",
  tty: false,
  stdin: false,
};

test("buildConmonArgs for a container", () => {
  const args = buildConmonArgs({
    ...base,
    exitDir: "/exits",
    logPath: "/l/ctr.log",
    logMaxSize: 1000,
    conmonPidFile: "/p/conmon.pid",
    stdin: true,
    leaveStdinOpen: true,
    exitCommand: ["/usr/bin/berthd", "cleanup", "c1"],
  });
  assert.equal(
    args.join(" "),
    [
      "--api-version 1 -c c1 -u c1 -r /usr/sbin/runc -b /b -p /p/pidfile --persist-dir /p --full-attach",
      "--exit-dir /exits -l k8s-file:/l/ctr.log --log-size-max 1000 --log-level warn",
      "--runtime-arg --root --runtime-arg /run/berth/runc --runtime-arg --log-format --runtime-arg json",
      "--runtime-arg --log --runtime-arg /p/oci-log --conmon-pidfile /p/conmon.pid -i --leave-stdin-open",
      "--exit-command /usr/bin/berthd --exit-command-arg cleanup --exit-command-arg c1",
    ].join(" "),
  );
});

test("buildConmonArgs for an exec", () => {
  const args = buildConmonArgs({
    ...base,
    cuuid: "e1",
    tty: true,
    exec: { processSpecPath: "/s/process.json", attach: true },
  });
  assert.ok(args.includes("-l") && args[args.indexOf("-l") + 1] === "none");
  assert.deepEqual(args.slice(-5), ["-t", "-e", "--exec-process-spec", "/s/process.json", "--exec-attach"]);
  assert.equal(args[args.indexOf("-u") + 1], "e1");
});

test("buildConmonArgs refuses a log path with ':' (conmon splits -l at colons)", () => {
  assert.throws(() => buildConmonArgs({ ...base, logPath: "/a:b/log" }), { kind: "invalid-argument" });
});
