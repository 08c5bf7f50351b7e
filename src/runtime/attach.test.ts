import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  collectOutput,
  makeBusyboxBundle,
  type RuntimeTestEnv,
  requireRealRuntime,
  runtimeTestEnv,
} from "./_testing.js";
import { containerIoPaths, startContainer } from "./conmon.js";
import { waitExitFile } from "./exit-file.js";
import { openAttach } from "./io/attach.js";
import { readLog } from "./io/log-file.js";

requireRealRuntime();

describe("attach to a container's conmon (real runc)", { timeout: 60_000 }, () => {
  let env: RuntimeTestEnv;
  before(async () => {
    env = await runtimeTestEnv("attach");
  });
  after(async () => {
    await env?.cleanup();
  });

  async function create(args: string[], o: { tty: boolean; stdin: boolean }) {
    const id = env.newId();
    const p = env.paths(id);
    await makeBusyboxBundle(p.bundle, { args, tty: o.tty });
    const opts = { id, bundle: p.bundle, exitDir: p.exitDir, persistDir: p.persistDir };
    await startContainer({
      ...opts,
      runtime: env.runtime,
      ...o,
      logPath: p.logPath,
      conmonPidFile: p.conmonPidFile,
    });
    return { id, p, io: containerIoPaths(opts) };
  }

  test("stdin written to the attach socket comes back on stdout; end() closes stdin", async () => {
    const c = await create(["cat"], { tty: false, stdin: true });
    const conn = await openAttach({ socketPath: c.io.attachSocket, ctlPath: c.io.ctl });
    try {
      await env.runtime.start(c.id);
      conn.stdin.write("hello\n");
      const got = await collectOutput(conn.output, (out) => out.includes("hello\n"));
      assert.equal(got.stdout, "hello\n");
      assert.equal(got.stderr, "");
      conn.stdin.end();
      assert.equal(await waitExitFile(c.io.exitFile, { timeoutMs: 20_000 }), 0);
      // conmon closes the socket when the process is gone: the output ends.
      assert.deepEqual(await collectOutput(conn.output), { stdout: "", stderr: "" });
    } finally {
      conn.close();
      await env.runtime.delete(c.id, { force: true }).catch(() => {});
    }
  });

  test("a tty container sends raw output (CRLF) on stdout and can be resized", async () => {
    const c = await create(["sh", "-c", "read x; stty size; echo done"], { tty: true, stdin: true });
    const conn = await openAttach({ socketPath: c.io.attachSocket, ctlPath: c.io.ctl });
    try {
      await env.runtime.start(c.id);
      await conn.resize(33, 77);
      conn.stdin.write("go\n");
      const got = await collectOutput(conn.output, (out) => out.includes("done\r\n"));
      assert.equal(got.stderr, "");
      assert.match(got.stdout, /33 77\r\ndone\r\n/);
      assert.equal(await waitExitFile(c.io.exitFile, { timeoutMs: 20_000 }), 0);
      const log = [];
      for await (const e of readLog(c.p.logPath)) log.push(e);
      assert.ok(log.every((e) => e.stream === "stdout"));
      assert.ok(log.some((e) => e.line.toString() === "done\r"));
    } finally {
      conn.close();
      await env.runtime.delete(c.id, { force: true }).catch(() => {});
    }
  });

  test("openAttach on a missing socket is not-found", async () => {
    await assert.rejects(openAttach({ socketPath: `${env.base}/no/such/attach` }), { kind: "not-found" });
  });
});
