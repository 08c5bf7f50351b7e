import assert from "node:assert/strict";
import http from "node:http";
import { after, before, describe, test } from "node:test";
import { busyboxRootfs } from "../fixtures/busybox.js";
import { TestDaemon } from "../harness/daemon.js";

/**
 * Restart policies, healthchecks, stats, update and OOM kills through the real docker CLI (and the
 * berth CLI for berth's own --health-on-failure) against berthd with real runc, conmon and cgroups.
 * Every wait is bounded.
 */
describe("container lifecycle extras", () => {
  let d: TestDaemon;
  before(async () => {
    d = await TestDaemon.start();
    ok(await d.docker(["import", "-", "busybox:latest"], { input: await busyboxRootfs() }));
  });
  after(async () => {
    const ids = (await d?.docker(["ps", "-aq"]))?.stdout.split("\n").filter(Boolean) ?? [];
    if (ids.length) await d.docker(["rm", "-f", ...ids]);
    await d?.cleanup();
  });

  const ok = (r: { code: number; stdout: string; stderr: string }) => {
    assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r.stdout;
  };
  const inspect = async (name: string) =>
    JSON.parse(ok(await d.docker(["inspect", name, "--format", "{{json .}}"]))) as {
      Id: string;
      RestartCount: number;
      State: {
        Status: string;
        Running: boolean;
        Restarting: boolean;
        OOMKilled: boolean;
        Pid: number;
        ExitCode: number;
        StartedAt: string;
        Health?: { Status: string; FailingStreak: number; Log: { ExitCode: number; Output: string }[] };
      };
      HostConfig: { Memory: number; RestartPolicy: { Name: string; MaximumRetryCount: number } };
    };
  /** Actions of a container's events so far (replayed from the daemon's buffer). */
  const actions = async (name: string, since: number) =>
    ok(
      await d.docker([
        "events",
        "--since",
        String(Math.floor(since / 1000)),
        "--until",
        String(Math.ceil(Date.now() / 1000) + 1),
        "--filter",
        `container=${name}`,
        "--format",
        "{{.Action}}",
      ]),
    )
      .split("\n")
      .filter(Boolean);

  test("on-failure:2 restarts twice, then stays exited with RestartCount 2", async () => {
    const r = await d.docker([
      "run",
      "--name",
      "retry",
      "--restart",
      "on-failure:2",
      "busybox",
      "sh",
      "-c",
      "echo run; exit 1",
    ]);
    assert.equal(r.code, 1);
    await waitFor(async () => {
      const c = await inspect("retry");
      return c.State.Status === "exited" && c.RestartCount === 2;
    }, "two restarts");
    await sleep(500); // the back-off (100 ms, 200 ms) has passed: no third run comes
    const c = await inspect("retry");
    assert.deepEqual([c.State.Status, c.RestartCount, c.State.ExitCode], ["exited", 2, 1]);
    assert.deepEqual(c.HostConfig.RestartPolicy, { Name: "on-failure", MaximumRetryCount: 2 });
    assert.equal(ok(await d.docker(["logs", "retry"])), "run\nrun\nrun\n");
  });

  test("always brings back a process that died, but not one docker kill killed", async () => {
    ok(await d.docker(["run", "-d", "--name", "phoenix", "--restart", "always", "busybox", "sleep", "1000"]));
    const first = await inspect("phoenix");
    process.kill(first.State.Pid, "SIGKILL"); // dies on its own, as far as the daemon knows
    await waitFor(async () => {
      const c = await inspect("phoenix");
      return c.State.Running && c.RestartCount === 1 && c.State.Pid !== first.State.Pid;
    }, "the restart");
    ok(await d.docker(["kill", "phoenix"]));
    await sleep(500);
    const c = await inspect("phoenix");
    assert.deepEqual([c.State.Status, c.RestartCount, c.State.ExitCode], ["exited", 1, 137]);
  });

  test("docker stop cancels a pending restart; a user start resets RestartCount", async () => {
    ok(
      await d.docker([
        "run",
        "-d",
        "--name",
        "flappy",
        "--restart",
        "always",
        "busybox",
        "sh",
        "-c",
        "exit 3",
      ]),
    );
    let count = 0;
    await waitFor(async () => {
      const c = await inspect("flappy");
      count = c.RestartCount;
      return c.State.Status === "restarting" && c.State.Restarting && count >= 3;
    }, "restarting with back-off");
    assert.match(
      ok(await d.docker(["ps", "-a", "--filter", "name=flappy", "--format", "{{.Status}}"])),
      /^(Restarting \(3\)|Up)/,
    );
    ok(await d.docker(["stop", "flappy"]));
    const stopped = await inspect("flappy");
    assert.equal(stopped.State.Status, "exited");
    await sleep(100 * 2 ** Math.min(stopped.RestartCount, 6) + 500); // past any back-off that was pending
    const later = await inspect("flappy");
    assert.deepEqual([later.State.Status, later.RestartCount], ["exited", stopped.RestartCount]);
    ok(await d.docker(["update", "--restart", "no", "flappy"]));
    ok(await d.docker(["start", "flappy"]));
    await waitFor(async () => (await inspect("flappy")).State.Status === "exited", "the exit");
    assert.equal((await inspect("flappy")).RestartCount, 0);
  });

  test("after a daemon restart, always containers run again and stopped unless-stopped ones do not", async () => {
    ok(await d.docker(["run", "-d", "--name", "keep", "--restart", "always", "busybox", "sleep", "1000"]));
    ok(
      await d.docker([
        "run",
        "-d",
        "--name",
        "rest",
        "--restart",
        "unless-stopped",
        "busybox",
        "sleep",
        "1000",
      ]),
    );
    ok(await d.docker(["stop", "-t", "0", "keep", "rest"]));
    await d.stopProcess();
    await d.startProcess();
    await waitFor(async () => (await inspect("keep")).State.Running, "keep to run");
    assert.equal((await inspect("rest")).State.Status, "exited");
    ok(await d.docker(["rm", "-f", "keep", "rest"]));
  });

  test("a healthcheck turns healthy after a delay", async () => {
    const since = Date.now();
    ok(
      await d.docker([
        "run",
        "-d",
        "--name",
        "doc",
        "--health-cmd",
        "cat /tmp/ready",
        "--health-interval",
        "500ms",
        "--health-start-period",
        "20s",
        "--health-start-interval",
        "200ms",
        "--health-retries",
        "2",
        "busybox",
        "sh",
        "-c",
        "sleep 1; echo ready > /tmp/ready; exec sleep 1000",
      ]),
    );
    assert.match(
      ok(await d.docker(["ps", "--filter", "name=doc", "--format", "{{.Status}}"])),
      /\(health: starting\)\n$/,
    );
    await waitFor(async () => (await inspect("doc")).State.Health?.Status === "healthy", "healthy");
    const h = (await inspect("doc")).State.Health!;
    assert.equal(h.FailingStreak, 0);
    assert.deepEqual(h.Log.at(-1), { ...h.Log.at(-1), ExitCode: 0, Output: "ready\n" });
    assert.ok(h.Log.length <= 5);
    assert.match(
      ok(await d.docker(["ps", "--filter", "name=doc", "--format", "{{.Status}}"])),
      /^Up .* \(healthy\)\n$/,
    );
    assert.ok((await actions("doc", since)).includes("health_status: healthy"));
    ok(await d.docker(["rm", "-f", "doc"]));
  });

  test("an unhealthy container with --health-on-failure=restart is restarted", async () => {
    const since = Date.now();
    ok(
      await d.berth([
        "run",
        "-d",
        "--name",
        "sick",
        "--health-cmd",
        "exit 1",
        "--health-interval",
        "500ms",
        "--health-retries",
        "1",
        "--health-on-failure",
        "restart",
        "busybox",
        "sh",
        "-c",
        "trap 'exit 0' TERM; while true; do sleep 0.1; done",
      ]),
    );
    const first = await inspect("sick");
    await waitFor(async () => {
      const c = await inspect("sick");
      return c.RestartCount >= 1 && c.State.Running && c.State.StartedAt !== first.State.StartedAt;
    }, "the restart");
    const seen = await actions("sick", since);
    assert.ok(seen.includes("health_status: unhealthy"), seen.join(", "));
    assert.ok(seen.includes("restart"), seen.join(", "));
    ok(await d.docker(["rm", "-f", "sick"]));
  });

  test("docker stats shows the memory limit; docker update changes it", async () => {
    ok(await d.docker(["run", "-d", "--name", "meter", "-m", "10m", "busybox", "sleep", "1000"]));
    const table = ok(await d.docker(["stats", "--no-stream", "meter"]));
    assert.match(
      table,
      /^CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE \/ LIMIT\s+MEM %\s+NET I\/O\s+BLOCK I\/O\s+PIDS\n/,
    );
    const fmt = "{{.Name}}|{{.CPUPerc}}|{{.MemUsage}}|{{.MemPerc}}|{{.NetIO}}|{{.BlockIO}}|{{.PIDs}}";
    const line = ok(await d.docker(["stats", "--no-stream", "--format", fmt, "meter"]));
    assert.match(
      line,
      /^meter\|\d+\.\d\d%\|[\d.]+[KM]iB \/ 10MiB\|\d+\.\d\d%\|[\d.]+[kMG]?B \/ [\d.]+[kMG]?B\|[\d.]+[kMG]?B \/ [\d.]+[kMG]?B\|1\n$/,
    );
    ok(await d.docker(["update", "--memory", "20m", "--pids-limit", "50", "meter"]));
    assert.equal((await inspect("meter")).HostConfig.Memory, 20 * 1024 * 1024);
    assert.match(
      ok(await d.docker(["stats", "--no-stream", "--format", "{{.MemUsage}}", "meter"])),
      / \/ 20MiB\n$/,
    );
    const one = JSON.parse(await get(`/containers/meter/stats?stream=false&one-shot=true`));
    assert.equal(one.pids_stats.limit, 50);
    assert.equal(one.memory_stats.limit, 20 * 1024 * 1024);
    const frames = await streamFrames(`/containers/meter/stats`, 2);
    assert.equal(frames.length, 2);
    assert.equal(frames[1].preread, frames[0].read);
    assert.ok(frames[1].cpu_stats.system_cpu_usage > frames[0].cpu_stats.system_cpu_usage);
    ok(await d.docker(["rm", "-f", "meter"]));
  });

  test("a process over its memory limit is OOM-killed: 137, OOMKilled and an oom event", async () => {
    const since = Date.now();
    const r = await d.docker([
      "run",
      "--name",
      "hog",
      "-m",
      "10m",
      "busybox",
      "busybox",
      "tail",
      "/dev/zero",
    ]);
    assert.equal(r.code, 137, r.stderr);
    const c = await inspect("hog");
    assert.deepEqual([c.State.ExitCode, c.State.OOMKilled], [137, true]);
    assert.ok((await actions("hog", since)).includes("oom"));
  });

  /** GET on the daemon's socket; the whole body. */
  function get(path: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const req = http.get({ socketPath: d.socket, path, timeout: 10_000 }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => {
          body += c;
        });
        res.on("end", () => resolve(body));
      });
      req.on("timeout", () => req.destroy(new Error(`GET ${path} timed out`)));
      req.on("error", reject);
    });
  }

  // biome-ignore lint/suspicious/noExplicitAny: stats frames are read loosely
  function streamFrames(path: string, n: number): Promise<any[]> {
    return new Promise((resolve, reject) => {
      const frames: unknown[] = [];
      const req = http.get({ socketPath: d.socket, path }, (res) => {
        let buf = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => {
          buf += c;
          for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
            frames.push(JSON.parse(buf.slice(0, i)));
            buf = buf.slice(i + 1);
          }
          if (frames.length >= n) {
            clearTimeout(timer);
            req.destroy();
            resolve(frames.slice(0, n));
          }
        });
      });
      const timer = setTimeout(() => req.destroy(new Error("stats stream too slow")), 10_000);
      req.on("error", (err) => {
        if (frames.length < n) reject(err);
      });
    });
  }
});

async function waitFor(cond: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await cond()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
