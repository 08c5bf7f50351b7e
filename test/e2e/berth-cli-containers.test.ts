import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { busyboxRootfs } from "../fixtures/busybox.js";
import { BERTH, type RunResult, TestDaemon } from "../harness/daemon.js";
import { runInTerminal } from "../harness/terminal.js";

/**
 * The container lifecycle through the berth CLI (containers.test.ts drives the same daemon paths
 * through the docker CLI): output and exit codes, stdin, detached work, signals, the inspection
 * commands, files in and out, and a shell under a real terminal.
 */
describe("containers through the berth CLI", () => {
  let d: TestDaemon;
  before(async () => {
    d = await TestDaemon.start();
    ok(await d.berth(["import", "-", "busybox:latest"], { input: await busyboxRootfs() }));
  });
  after(async () => {
    const ids = (await d?.berth(["ps", "-aq"]))?.stdout.split("\n").filter(Boolean) ?? [];
    if (ids.length) await d.berth(["rm", "-f", ...ids]);
    await d?.cleanup();
  });

  function ok(r: RunResult): string {
    assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r.stdout;
  }

  async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
    for (let i = 0; i < 100; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`timed out waiting for ${what}`);
  }

  test("run: both streams, the exit code, and ps/inspect agree", async () => {
    const r = await d.berth([
      "run",
      "--name",
      "codes",
      "busybox",
      "sh",
      "-c",
      "echo out; echo err >&2; exit 3",
    ]);
    assert.deepEqual([r.code, r.stdout, r.stderr], [3, "out\n", "err\n"]);
    assert.match(
      ok(await d.berth(["ps", "-a", "--filter", "name=codes", "--format", "{{.Status}}"])),
      /^Exited \(3\) /,
    );
    assert.equal(
      ok(await d.berth(["inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "codes"])),
      "exited 3\n",
    );
  });

  test("run --rm -e, -i stdin, -u, -w, and the 127/126/125 exit codes", async () => {
    assert.equal(
      ok(await d.berth(["run", "--rm", "--name", "gone", "-e", "G=hi", "busybox", "sh", "-c", "echo $G"])),
      "hi\n",
    );
    assert.equal(ok(await d.berth(["ps", "-aq", "--filter", "name=gone"])), "");
    assert.equal(ok(await d.berth(["run", "-i", "--rm", "busybox", "cat"], { input: "piped\n" })), "piped\n");
    assert.equal(
      ok(await d.berth(["run", "--rm", "-u", "nobody", "-w", "/tmp", "busybox", "sh", "-c", "id -u; pwd"])),
      "65534\n/tmp\n",
    );
    const missing = await d.berth(["run", "--rm", "busybox", "nosuchcmd"]);
    assert.equal(missing.code, 127);
    assert.match(missing.stderr, /executable file not found in \$PATH/);
    assert.equal((await d.berth(["run", "--rm", "busybox", "/etc/passwd"])).code, 126);
    const badFlag = await d.berth(["run", "--memory", "12zz", "busybox", "true"]);
    assert.equal(badFlag.code, 125);
    assert.match(badFlag.stderr, /12zz/);
  });

  test("detached: logs, exec with its exit code, stop, restart, wait", async () => {
    const script =
      "trap 'echo bye; exit 0' TERM; i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.2; done";
    const id = ok(await d.berth(["run", "-d", "--name", "ticker", "busybox", "sh", "-c", script])).trim();
    assert.match(id, /^[0-9a-f]{64}$/);
    await waitFor(async () => /tick 2/.test((await d.berth(["logs", "ticker"])).stdout), "two ticks");
    assert.equal(
      ok(await d.berth(["logs", "--tail", "1", "ticker"]))
        .split("\n")
        .filter(Boolean).length,
      1,
    );
    assert.equal(
      ok(await d.berth(["exec", "ticker", "sh", "-c", "echo in-$HOSTNAME"])),
      `in-${id.slice(0, 12)}\n`,
    );
    assert.equal((await d.berth(["exec", "ticker", "sh", "-c", "exit 7"])).code, 7);
    assert.equal(ok(await d.berth(["stop", "ticker"])), "ticker\n");
    assert.match(ok(await d.berth(["logs", "ticker"])), /bye\n$/);
    assert.equal(ok(await d.berth(["wait", "ticker"])), "0\n");
    ok(await d.berth(["restart", "-t", "1", "ticker"]));
    assert.equal(ok(await d.berth(["inspect", "-f", "{{.State.Running}}", "ticker"])), "true\n");
    ok(await d.berth(["rm", "-f", "ticker"]));
  });

  test("kill -s, pause/unpause, rename, rm of a running container is refused", async () => {
    ok(await d.berth(["run", "-d", "--name", "sleeper", "busybox", "sleep", "1000"]));
    ok(await d.berth(["pause", "sleeper"]));
    assert.equal(ok(await d.berth(["inspect", "-f", "{{.State.Status}}", "sleeper"])), "paused\n");
    ok(await d.berth(["unpause", "sleeper"]));
    ok(await d.berth(["rename", "sleeper", "dozer"]));
    const refused = await d.berth(["rm", "dozer"]);
    assert.notEqual(refused.code, 0);
    assert.match(
      refused.stderr,
      /cannot remove container .*stop the container before removing or force remove/i,
    );
    ok(await d.berth(["kill", "-s", "KILL", "dozer"]));
    assert.equal(ok(await d.berth(["wait", "dozer"])), "137\n");
    ok(await d.berth(["rm", "dozer"]));
  });

  test("top, diff, cp both ways, commit, export, stats --no-stream, update", async () => {
    ok(
      await d.berth(["run", "-d", "--name", "files", "busybox", "sh", "-c", "echo made > /made; sleep 1000"]),
    );
    await waitFor(async () => (await d.berth(["exec", "files", "cat", "/made"])).code === 0, "/made");
    assert.match(ok(await d.berth(["top", "files"])), /sleep 1000/);
    assert.match(ok(await d.berth(["diff", "files"])), /^A \/made$/m);

    const host = await fs.mkdtemp(path.join(d.dir, "cp-"));
    await fs.writeFile(path.join(host, "in.txt"), "from host\n");
    ok(await d.berth(["cp", path.join(host, "in.txt"), "files:/in.txt"]));
    assert.equal(ok(await d.berth(["exec", "files", "cat", "/in.txt"])), "from host\n");
    ok(await d.berth(["cp", "files:/made", path.join(host, "out.txt")]));
    assert.equal(await fs.readFile(path.join(host, "out.txt"), "utf8"), "made\n");

    ok(await d.berth(["commit", "files", "files-snap:1"]));
    assert.equal(ok(await d.berth(["run", "--rm", "files-snap:1", "cat", "/made"])), "made\n");
    const tar = (await d.berth(["export", "files"])).stdout;
    assert.ok(tar.includes("made"), "the export tar holds /made");

    const stats = JSON.parse(ok(await d.berth(["stats", "--no-stream", "--format", "{{json .}}", "files"])));
    assert.equal(stats.Name, "files");
    assert.match(stats.MemUsage, /B \/ /);
    ok(await d.berth(["update", "--memory", "64m", "--memory-swap", "128m", "files"]));
    assert.equal(
      ok(await d.berth(["inspect", "-f", "{{.HostConfig.Memory}}", "files"])),
      `${64 * 1024 * 1024}\n`,
    );
    ok(await d.berth(["rm", "-f", "files"]));
    ok(await d.berth(["rmi", "files-snap:1"]));
  });

  test("run -it gives a shell under a real terminal", async () => {
    const res = await runInTerminal(
      [
        [1.5, "echo inside-$((6*7)); tty\r"],
        [1, "exit 5\r"],
      ],
      [process.execPath, "--", BERTH, "run", "-it", "--rm", "--entrypoint", "/bin/sh", "busybox"],
      { ...process.env, BERTH_HOST: d.host },
    );
    assert.match(res.output, /inside-42/);
    assert.match(res.output, /\/dev\/pts\/0/);
    assert.equal(res.exit, 5);
  });
});
