import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import { after, before, describe, test } from "node:test";
import { busyboxRootfs } from "../fixtures/busybox.js";
import { DOCKER, TestDaemon } from "../harness/daemon.js";
import { runInTerminal } from "../harness/terminal.js";

/** Container lifecycle through the real docker CLI against berthd, with real runc and conmon. */
describe("containers", () => {
  let d: TestDaemon;
  before(async () => {
    d = await TestDaemon.start();
    const r = await d.docker(["import", "-", "busybox:latest"], { input: await busyboxRootfs() });
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    await d?.docker(["rm", "-f", ...(await d.docker(["ps", "-aq"])).stdout.split("\n").filter(Boolean)]);
    await d?.cleanup();
  });

  const ok = (r: { code: number; stdout: string; stderr: string }) => {
    assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r.stdout;
  };

  test("run prints the output and exits with the container's code", async () => {
    const r = await d.docker([
      "run",
      "--name",
      "codes",
      "busybox",
      "sh",
      "-c",
      "echo out; echo err >&2; exit 3",
    ]);
    assert.equal(r.code, 3);
    assert.equal(r.stdout, "out\n");
    assert.equal(r.stderr, "err\n");
    assert.match(
      ok(await d.docker(["ps", "-a", "--filter", "name=codes", "--format", "{{.Status}}"])),
      /^Exited \(3\) /,
    );
    const state = JSON.parse(ok(await d.docker(["inspect", "codes", "--format", "{{json .State}}"])));
    assert.equal(state.Status, "exited");
    assert.equal(state.ExitCode, 3);
    assert.equal(state.Running, false);
    assert.ok(Date.parse(state.FinishedAt) >= Date.parse(state.StartedAt));
  });

  test("run --rm removes the container; -e and the image ENV reach the process", async () => {
    const out = ok(
      await d.docker([
        "run",
        "--rm",
        "--name",
        "gone",
        "-e",
        "GREETING=hi",
        "busybox",
        "sh",
        "-c",
        "echo $GREETING $PATH",
      ]),
    );
    assert.equal(out, "hi /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n");
    assert.equal(ok(await d.docker(["ps", "-aq", "--filter", "name=gone"])), "");
  });

  test("a missing command exits 127 and an unexecutable one 126, with Docker's messages", async () => {
    const missing = await d.docker(["run", "--rm", "busybox", "nosuchcmd"]);
    assert.equal(missing.code, 127);
    assert.match(missing.stderr, /exec: "nosuchcmd": executable file not found in \$PATH/);
    const notExec = await d.docker(["run", "--rm", "busybox", "/etc/passwd"]);
    assert.equal(notExec.code, 126);
    assert.match(notExec.stderr, /permission denied/);
  });

  test("stdin reaches the container with -i", async () => {
    assert.equal(
      ok(await d.docker(["run", "-i", "--rm", "busybox", "cat"], { input: "piped\n" })),
      "piped\n",
    );
  });

  test("detached containers: logs, exec, stop with SIGTERM handled", async () => {
    const id = ok(
      await d.docker([
        "run",
        "-d",
        "--name",
        "ticker",
        "busybox",
        "sh",
        "-c",
        "trap 'echo got TERM; exit 0' TERM; i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.1; done",
      ]),
    ).trim();
    assert.match(id, /^[a-f0-9]{64}$/);
    await waitFor(async () => /tick 3/.test((await d.docker(["logs", "ticker"])).stdout));
    assert.equal(
      ok(await d.docker(["logs", "--tail", "1", "ticker"]))
        .split("\n")
        .filter(Boolean).length,
      1,
    );
    assert.match(
      ok(await d.docker(["logs", "-t", "--tail", "1", "ticker"])),
      /^\d{4}-\d\d-\d\dT[\d:.]+Z tick \d+\n$/,
    );
    assert.equal(
      ok(await d.docker(["exec", "ticker", "sh", "-c", "echo from exec; hostname"])),
      `from exec\n${id.slice(0, 12)}\n`,
    );
    const failed = await d.docker(["exec", "ticker", "sh", "-c", "exit 7"]);
    assert.equal(failed.code, 7);
    const missing = await d.docker(["exec", "ticker", "nosuchcmd"]);
    assert.equal(missing.code, 127);
    assert.match(ok(await d.docker(["ps", "--format", "{{.Names}} {{.Status}}"])), /ticker Up /);
    ok(await d.docker(["stop", "ticker"]));
    const state = JSON.parse(ok(await d.docker(["inspect", "ticker", "--format", "{{json .State}}"])));
    assert.equal(state.ExitCode, 0, "the trap ran: SIGTERM reached the process");
    assert.match(ok(await d.docker(["logs", "--tail", "1", "ticker"])), /got TERM/);
    ok(await d.docker(["rm", "ticker"]));
  });

  test("stop sends SIGKILL after the timeout when SIGTERM is ignored", async () => {
    ok(await d.docker(["run", "-d", "--name", "stubborn", "busybox", "sleep", "1000"]));
    const t0 = Date.now();
    ok(await d.docker(["stop", "-t", "1", "stubborn"]));
    const elapsed = Date.now() - t0;
    assert.ok(elapsed >= 900, `stop waited for the timeout (${elapsed} ms)`);
    assert.equal(ok(await d.docker(["inspect", "stubborn", "--format", "{{.State.ExitCode}}"])), "137\n");
    ok(await d.docker(["rm", "stubborn"]));
  });

  test("kill, rm of a running container, rm -f, rename, wait, pause", async () => {
    ok(await d.docker(["run", "-d", "--name", "victim", "busybox", "sleep", "1000"]));
    const refused = await d.docker(["rm", "victim"]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /container is running: stop the container before removing or force remove/);
    ok(await d.docker(["pause", "victim"]));
    assert.equal(ok(await d.docker(["inspect", "victim", "--format", "{{.State.Status}}"])), "paused\n");
    ok(await d.docker(["unpause", "victim"]));
    ok(await d.docker(["rename", "victim", "renamed"]));
    ok(await d.docker(["kill", "renamed"]));
    assert.equal(ok(await d.docker(["wait", "renamed"])), "137\n");
    const notRunning = await d.docker(["kill", "renamed"]);
    assert.equal(notRunning.code, 1);
    assert.match(notRunning.stderr, /is not running/);
    ok(await d.docker(["start", "renamed"]));
    ok(await d.docker(["rm", "-f", "renamed"]));
    assert.equal(ok(await d.docker(["ps", "-aq", "--filter", "name=renamed"])), "");
  });

  test("a duplicate name is a 409 and create needs a valid image", async () => {
    ok(await d.docker(["create", "--name", "twice", "busybox", "true"]));
    const dup = await d.docker(["create", "--name", "twice", "busybox", "true"]);
    assert.notEqual(dup.code, 0);
    assert.match(dup.stderr, /Conflict. The container name "\/twice" is already in use/);
    ok(await d.docker(["rm", "twice"]));
  });

  test("rmi refuses an image a container uses, -f untags it and keeps the image", async () => {
    ok(await d.docker(["tag", "busybox", "inuse:1"]));
    ok(await d.docker(["create", "--name", "user", "inuse:1", "true"]));
    ok(await d.docker(["rmi", "busybox"])); // another tag remains
    const refused = await d.docker(["rmi", "inuse:1"]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /container [a-f0-9]{12} is using its referenced image/);
    ok(await d.docker(["rm", "user"]));
    ok(await d.docker(["tag", "inuse:1", "busybox:latest"]));
    ok(await d.docker(["rmi", "inuse:1"]));
  });

  test("entrypoint and cmd follow Docker's rules", async () => {
    const r = await d.docker(
      ["import", "-c", 'ENTRYPOINT ["echo", "entry"]', "-c", 'CMD ["default"]', "-", "ep:1"],
      {
        input: await busyboxRootfs(),
      },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(ok(await d.docker(["run", "--rm", "ep:1"])), "entry default\n");
    assert.equal(ok(await d.docker(["run", "--rm", "ep:1", "given"])), "entry given\n");
    assert.equal(
      ok(await d.docker(["run", "--rm", "--entrypoint", "echo", "ep:1", "replaced"])),
      "replaced\n",
    );
    assert.equal(
      ok(await d.docker(["run", "--rm", "--entrypoint", "/bin/sh", "ep:1", "-c", "echo shell"])),
      "shell\n",
    );
  });

  test("-u, -w, --hostname and --read-only are applied", async () => {
    assert.equal(ok(await d.docker(["run", "--rm", "-u", "nobody", "busybox", "id", "-u"])), "65534\n");
    assert.equal(ok(await d.docker(["run", "--rm", "-w", "/tmp", "busybox", "pwd"])), "/tmp\n");
    assert.equal(ok(await d.docker(["run", "--rm", "--hostname", "box1", "busybox", "hostname"])), "box1\n");
    const ro = await d.docker(["run", "--rm", "--read-only", "busybox", "touch", "/x"]);
    assert.equal(ro.code, 1);
    assert.match(ro.stderr, /Read-only file system/);
  });

  test("run -it gives a shell under a real terminal", async () => {
    const res = await runInTerminal(
      [
        [1.5, "echo inside-$((6*7)); tty\r"],
        [1, "exit 5\r"],
      ],
      [DOCKER, "run", "-it", "--rm", "--entrypoint", "/bin/sh", "busybox"],
      { ...process.env, DOCKER_HOST: d.host },
    );
    assert.match(res.output, /inside-42/);
    assert.match(res.output, /\/dev\/pts\/0/);
    assert.equal(res.exit, 5);
  });

  test("ctrl-p ctrl-q detaches and leaves the container running", async () => {
    const res = await runInTerminal(
      [
        [1.5, "echo before\r"],
        [1, "\u0010\u0011"],
      ],
      [DOCKER, "run", "-it", "--name", "detached", "busybox", "sh"],
      { ...process.env, DOCKER_HOST: d.host },
    );
    assert.equal(res.exit, 0);
    assert.match(ok(await d.docker(["ps", "--filter", "name=detached", "--format", "{{.Status}}"])), /^Up /);
    ok(await d.docker(["rm", "-f", "detached"]));
  });

  test("a running container survives a daemon restart and its exit is recorded", async () => {
    ok(await d.docker(["run", "-d", "--name", "survivor", "busybox", "sh", "-c", "sleep 2; exit 4"]));
    await d.stopProcess("SIGKILL");
    await d.startProcess();
    assert.equal(ok(await d.docker(["inspect", "survivor", "--format", "{{.State.Status}}"])), "running\n");
    assert.equal(ok(await d.docker(["wait", "survivor"])), "4\n");
    ok(await d.docker(["run", "-d", "--name", "downtime", "busybox", "sh", "-c", "sleep 1; exit 6"]));
    await d.stopProcess("SIGTERM");
    await new Promise((r) => setTimeout(r, 2000));
    await d.startProcess();
    assert.equal(
      ok(await d.docker(["inspect", "downtime", "--format", "{{.State.Status}} {{.State.ExitCode}}"])),
      "exited 6\n",
    );
    ok(await d.docker(["rm", "survivor", "downtime"]));
  });

  test("nothing is left mounted once containers are gone", async () => {
    await d.docker(["rm", "-f", ...(await d.docker(["ps", "-aq"])).stdout.split("\n").filter(Boolean)]);
    const mounts = await fs.readFile("/proc/self/mounts", "utf8");
    assert.equal(mounts.split("\n").filter((l) => l.includes(d.dir)).length, 0);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("condition not met in time");
}
