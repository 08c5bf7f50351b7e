import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import { after, before, describe, test } from "node:test";
import { makeBusyboxBundle, type RuntimeTestEnv, requireRealRuntime, runtimeTestEnv } from "./_testing.js";
import { startContainer } from "./conmon.js";
import { startThroughExecFifo } from "./exec-fifo.js";
import { readExitFile, waitExitFile, wasOomKilled } from "./exit-file.js";
import { readLog } from "./io/log-file.js";
import { RuntimeStartError } from "./runtime-error.js";

requireRealRuntime();

describe("conmon containers (real runc)", { timeout: 60_000 }, () => {
  let env: RuntimeTestEnv;
  before(async () => {
    env = await runtimeTestEnv("conmon");
  });
  after(async () => {
    await env?.cleanup();
  });

  async function create(args: string[], extra: { stdin?: boolean } = {}) {
    const id = env.newId();
    const p = env.paths(id);
    await makeBusyboxBundle(p.bundle, { args });
    const r = await startContainer({
      id,
      bundle: p.bundle,
      runtime: env.runtime,
      tty: false,
      stdin: extra.stdin ?? false,
      logPath: p.logPath,
      exitDir: p.exitDir,
      persistDir: p.persistDir,
      conmonPidFile: p.conmonPidFile,
    });
    return { id, p, ...r };
  }

  test("startContainer runs a command: log has both streams, exit file has the code", async () => {
    const c = await create(["sh", "-c", "echo out; echo err >&2; exit 3"]);
    try {
      assert.ok(c.pid > 0 && c.conmonPid > 0);
      assert.equal((await env.runtime.state(c.id)).status, "created");
      await env.runtime.start(c.id);
      const code = await waitExitFile(`${c.p.exitDir}/${c.id}`, { timeoutMs: 20_000 });
      assert.equal(code, 3);
      assert.equal(await readExitFile(`${c.p.persistDir}/exit`), 3);
      assert.equal(await wasOomKilled(c.p.persistDir), false);
      const entries = [];
      for await (const e of readLog(c.p.logPath)) entries.push(e);
      const lines = entries.map((e) => `${e.stream} ${e.line.toString()}`).sort();
      assert.deepEqual(lines, ["stderr err", "stdout out"]);
      assert.ok(entries.every((e) => !e.partial && e.timeNs > 0n));
      assert.equal((await env.runtime.state(c.id)).status, "stopped");
    } finally {
      await env.runtime.delete(c.id, { force: true });
    }
    await assert.rejects(env.runtime.state(c.id), { kind: "not-found" });
  });

  test("a long-running container: running, kill --all TERM gives 143, then delete", async () => {
    // PID 1 of a pid namespace ignores SIGTERM unless it handles it; a child of sh does not.
    const c = await create(["sh", "-c", "sleep 1000 & wait $!"]);
    try {
      await env.runtime.start(c.id);
      const st = await env.runtime.state(c.id);
      assert.equal(st.status, "running");
      assert.equal(st.pid, c.pid);
      assert.ok((await env.runtime.list()).some((s) => s.id === c.id));
      await env.runtime.kill(c.id, "SIGTERM", { all: true });
      assert.equal(await waitExitFile(`${c.p.exitDir}/${c.id}`, { timeoutMs: 20_000 }), 143);
      await assert.rejects(env.runtime.kill(c.id, "TERM"), { kind: "failed-precondition" });
      await env.runtime.delete(c.id);
      await assert.rejects(env.runtime.state(c.id), { kind: "not-found" });
    } finally {
      await env.runtime.delete(c.id, { force: true }).catch(() => {});
    }
  });

  test("sleep as PID 1: pause, resume, SIGKILL gives 137", async () => {
    const c = await create(["sleep", "1000"]);
    try {
      await env.runtime.start(c.id);
      await env.runtime.pause(c.id);
      assert.equal((await env.runtime.state(c.id)).status, "paused");
      await env.runtime.resume(c.id);
      assert.equal((await env.runtime.state(c.id)).status, "running");
      await assert.rejects(env.runtime.delete(c.id), { kind: "failed-precondition" });
      await env.runtime.kill(c.id, 9);
      assert.equal(await waitExitFile(`${c.p.exitDir}/${c.id}`, { timeoutMs: 20_000 }), 137);
    } finally {
      await env.runtime.delete(c.id, { force: true }).catch(() => {});
    }
  });

  test("start through runc's exec fifo: the fifo goes, the command runs; a dead init falls back", async () => {
    const c = await create(["sh", "-c", "exit 5"]);
    const stateDir = `${env.runtime.root}/${c.id}`;
    try {
      assert.ok((await fs.lstat(`${stateDir}/exec.fifo`)).isFIFO());
      assert.equal(await startThroughExecFifo(stateDir), true);
      await assert.rejects(fs.lstat(`${stateDir}/exec.fifo`), { code: "ENOENT" });
      assert.equal(await waitExitFile(`${c.p.exitDir}/${c.id}`, { timeoutMs: 20_000 }), 5);
      // Nothing left to start with: the caller is told to use `runc start`.
      assert.equal(await startThroughExecFifo(stateDir), false);
    } finally {
      await env.runtime.delete(c.id, { force: true }).catch(() => {});
    }

    const dead = await create(["true"]);
    try {
      process.kill(dead.pid, "SIGKILL");
      await waitExitFile(`${dead.p.exitDir}/${dead.id}`, { timeoutMs: 20_000 });
      assert.equal(await startThroughExecFifo(`${env.runtime.root}/${dead.id}`, 200), false);
      await assert.rejects(env.runtime.start(dead.id));
    } finally {
      await env.runtime.delete(dead.id, { force: true }).catch(() => {});
    }
  });

  test("a missing command is a typed error (exit code 127) and leaves no container", async () => {
    const id = env.newId();
    const p = env.paths(id);
    await makeBusyboxBundle(p.bundle, { args: ["nosuchcmd"] });
    const err = await startContainer({
      id,
      bundle: p.bundle,
      runtime: env.runtime,
      tty: false,
      stdin: false,
      logPath: p.logPath,
      exitDir: p.exitDir,
      persistDir: p.persistDir,
      conmonPidFile: p.conmonPidFile,
    }).then(
      () => assert.fail("startContainer should fail"),
      (e: unknown) => e,
    );
    assert.ok(err instanceof RuntimeStartError, String(err));
    assert.equal(err.reason, "command-not-found");
    assert.equal(err.exitCode, 127);
    assert.equal(err.kind, "invalid-argument");
    assert.match(err.message, /exec: "nosuchcmd": executable file not found in \$PATH/);
    await assert.rejects(env.runtime.state(id), { kind: "not-found" });
    await assert.rejects(fs.access(`${p.exitDir}/${id}`));
  });
});
