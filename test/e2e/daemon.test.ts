import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { BERTHD, run, TestDaemon } from "../harness/daemon.js";

describe("berthd", () => {
  let d: TestDaemon;
  before(async () => {
    d = await TestDaemon.start();
  });
  after(async () => {
    await d?.cleanup();
  });

  test("the socket is mode 0660", async () => {
    const st = await fs.stat(d.socket);
    assert.ok(st.isSocket());
    assert.equal(st.mode & 0o777, 0o660);
  });

  test("a second daemon on the same data root is refused", async () => {
    const other = path.join(d.dir, "other-run");
    const r = await run(
      process.execPath,
      [BERTHD, "--data-root", d.root, "--exec-root", other, "--config-file="],
      {
        timeoutMs: 15_000,
      },
    );
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /another berthd \(pid \d+\) is using this data root/);
    // The running daemon is unaffected.
    assert.equal((await d.docker(["version", "--format", "{{.Server.APIVersion}}"])).stdout, "1.50\n");
  });

  test("settings come from a daemon.json-style file; bad or missing files are refused", async () => {
    const cfgFile = path.join(d.dir, "daemon.json");
    await fs.writeFile(
      cfgFile,
      JSON.stringify({ "data-root": "/nonexistent/should-not-be-used", "log-level": "bogus" }),
    );
    const bad = await run(process.execPath, [BERTHD, "--config-file", cfgFile], { timeoutMs: 15_000 });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /"log-level" must be debug, info, warn or error/);
    await fs.writeFile(cfgFile, JSON.stringify({ storage: "x" }));
    const unknown = await run(process.execPath, [BERTHD, "--config-file", cfgFile], { timeoutMs: 15_000 });
    assert.match(unknown.stderr, /unknown configuration key "storage"/);
    const missing = await run(process.execPath, [BERTHD, "--config-file", path.join(d.dir, "nope.json")], {
      timeoutMs: 15_000,
    });
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /nope.json/);
  });

  test("SIGTERM shuts down cleanly and the next start serves the same root", async () => {
    assert.equal(await d.stopProcess("SIGTERM"), 0);
    await assert.rejects(fs.stat(path.join(d.root, "berthd.pid")), /ENOENT/);
    await d.startProcess();
    assert.equal((await d.docker(["info", "--format", "{{.DockerRootDir}}"])).stdout, `${d.root}\n`);
  });

  test("a daemon killed with SIGKILL leaves a stale lock that the next start takes over", async () => {
    await d.stopProcess("SIGKILL");
    await d.startProcess();
    assert.equal((await d.docker(["version", "--format", "{{.Server.APIVersion}}"])).code, 0);
  });
});
