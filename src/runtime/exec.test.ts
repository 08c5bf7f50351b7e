import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import {
  busyboxSpec,
  collectOutput,
  makeBusyboxBundle,
  type RuntimeTestEnv,
  requireRealRuntime,
  runtimeTestEnv,
} from "./_testing.js";
import { execInContainer, startContainer } from "./conmon.js";
import { readExitFile } from "./exit-file.js";
import { RuntimeStartError } from "./runtime-error.js";

requireRealRuntime();

describe("exec through conmon (real runc)", { timeout: 60_000 }, () => {
  let env: RuntimeTestEnv;
  let id: string;
  let n = 0;
  before(async () => {
    env = await runtimeTestEnv("exec");
    id = env.newId();
    const p = env.paths(id);
    await makeBusyboxBundle(p.bundle, { args: ["sleep", "1000"] });
    await startContainer({
      id,
      bundle: p.bundle,
      runtime: env.runtime,
      tty: false,
      stdin: false,
      logPath: p.logPath,
      exitDir: p.exitDir,
      persistDir: p.persistDir,
      conmonPidFile: p.conmonPidFile,
    });
    await env.runtime.start(id);
  });
  after(async () => {
    if (id) await env?.runtime.delete(id, { force: true }).catch(() => {});
    await env?.cleanup();
  });

  function exec(args: string[], o: { tty?: boolean; stdin?: boolean; attach?: boolean } = {}) {
    const execId = `e${n++}`;
    const sessionDir = path.join(env.paths(id).dir, "exec", execId);
    const processSpec = (busyboxSpec({ args, tty: o.tty ?? false }) as { process: Record<string, unknown> })
      .process;
    return execInContainer({
      id,
      execId,
      sessionDir,
      runtime: env.runtime,
      processSpec,
      tty: o.tty ?? false,
      stdin: o.stdin ?? false,
      attach: o.attach ?? true,
    });
  }

  test("exec with attach: output on stdout, exit code 0", async () => {
    const s = await exec(["echo", "from-exec"]);
    try {
      assert.ok(s.pid > 0 && s.conmonPid > 0);
      assert.ok(s.attach);
      const got = await collectOutput(s.attach.output);
      assert.deepEqual(got, { stdout: "from-exec\n", stderr: "" });
      assert.equal(await s.wait(), 0);
      assert.equal(await readExitFile(s.exitFile), 0);
    } finally {
      s.attach?.close();
    }
  });

  test("a failing exec reports its exit code (detached, no attach)", async () => {
    const s = await exec(["sh", "-c", "echo oops >&2; exit 5"], { attach: false });
    assert.equal(s.attach, undefined);
    assert.equal(await s.wait(), 5);
    assert.equal(await readExitFile(s.exitFile), 5);
  });

  test("exec with stdin: cat echoes and exits on end()", async () => {
    const s = await exec(["cat"], { stdin: true });
    try {
      s.attach!.stdin.write("ping\n");
      const got = await collectOutput(s.attach!.output, (out) => out.includes("ping\n"));
      assert.equal(got.stdout, "ping\n");
      s.attach!.stdin.end();
      assert.equal(await s.wait(), 0);
    } finally {
      s.attach?.close();
    }
  });

  test("exec with a tty: raw output", async () => {
    const s = await exec(["sh", "-c", "tty; exit 7"], { tty: true });
    try {
      const got = await collectOutput(s.attach!.output);
      assert.match(got.stdout, /^\/dev\/pts\/\d+\r\n$/);
      assert.equal(await s.wait(), 7);
    } finally {
      s.attach?.close();
    }
  });

  test("exec of a missing command is a typed error (127)", async () => {
    const err = await exec(["nosuchcmd"]).then(
      () => assert.fail("exec should fail"),
      (e: unknown) => e,
    );
    assert.ok(err instanceof RuntimeStartError, String(err));
    assert.equal(err.exitCode, 127);
    assert.match(err.message, /nosuchcmd/);
    assert.equal((await env.runtime.state(id)).status, "running");
  });
});
