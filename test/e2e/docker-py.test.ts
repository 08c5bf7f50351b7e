import assert from "node:assert/strict";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { busyboxRootfs } from "../fixtures/busybox.js";
import { run, TestDaemon } from "../harness/daemon.js";

/** Debian's python3-docker (the Docker SDK for Python; docker-compose v1 depends on it) against berthd. */
const PYTHON = "/usr/bin/python3";
const SCRIPT = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../test/fixtures/docker-py-session.py",
);

describe("docker-py", () => {
  let d: TestDaemon;
  before(async () => {
    d = await TestDaemon.start();
    const r = await d.docker(["import", "-", "busybox:latest"], { input: await busyboxRootfs() });
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    await d?.cleanup();
  });

  test("build, run, exec, networks with DNS, volumes, stop/wait/logs, cleanup", async () => {
    const r = await run(PYTHON, [SCRIPT, d.host], { timeoutMs: 120_000 });
    assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    const lines = r.stdout.trim().split("\n");
    assert.deepEqual(lines, [
      "ping True",
      lines[1], // the negotiated API version
      "built ['pysdk:1']",
      "run built-by-docker-py",
      "status running",
      "exec 0 data",
      "dns True",
      "listed ['pysdk-server']",
      "wait 0",
      "logs True",
      "done",
    ]);
    assert.match(lines[1]!, /^api 1\.\d+$/);
  });
});
