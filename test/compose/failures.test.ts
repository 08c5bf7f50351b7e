import assert from "node:assert/strict";
import { createServer, type Server } from "node:net";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { TestDaemon } from "../harness/daemon.js";
import { compose, IDLE, importBusybox, ok, writeTree } from "./_helpers.js";

/** What goes wrong, said plainly: cycles, failing dependencies, failed builds, busy ports. */
describe("compose: failures explained", () => {
  let d: TestDaemon;
  let n = 0;
  const project = async (yaml: string, extra: Record<string, string> = {}) => {
    const name = `p${++n}`;
    const dir = await writeTree(path.join(d.dir, name), { "compose.yaml": yaml, ...extra });
    return { name, run: (args: string[]) => compose(d, dir, name, args) };
  };
  const containersOf = async (name: string) =>
    ok(await d.docker(["ps", "-aq", "--filter", `label=com.docker.compose.project=${name}`])).trim();

  before(async () => {
    d = await TestDaemon.start();
    await importBusybox(d);
  });
  after(async () => {
    await d?.cleanup();
  });

  test("a dependency cycle is named", async () => {
    const p = await project(`
services:
  a: { image: busybox, depends_on: [b] }
  b: { image: busybox, depends_on: [c] }
  c: { image: busybox, depends_on: [a] }
`);
    const r = await p.run(["up", "-d"]);
    assert.equal(r.code, 15, r.stderr); // an invalid project: Docker Compose's exit code for config errors
    assert.match(r.stderr, /cycle/i);
    assert.match(r.stderr, /a -> b -> c -> a|b -> c -> a -> b|c -> a -> b -> c/);
    assert.equal(await containersOf(p.name), "");
  });

  test("an unhealthy dependency shows its last healthcheck output, and the dependent is not created", async () => {
    const p = await project(`
services:
  app: { image: busybox, command: ["sh", "-c", "${IDLE}"], depends_on: { db: { condition: service_healthy } } }
  db:
    image: busybox
    command: ["sh", "-c", "${IDLE}"]
    healthcheck: { test: ["CMD-SHELL", "echo db not ready: no table users; exit 1"], interval: 200ms, timeout: 1s, retries: 2 }
`);
    const r = await p.run(["up", "-d"]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(
        `dependency failed to start: service "db" \\(needed by "app"\\): container ${p.name}-db-1 is unhealthy \\(healthcheck exit code 1: db not ready: no table users\\)`,
      ),
    );
    assert.equal((await d.docker(["inspect", `${p.name}-app-1`])).code, 1);
    ok(await p.run(["down", "-t", "1"]));
    assert.equal(await containersOf(p.name), "");
  });

  test("a failed one-shot dependency shows its exit code and log tail", async () => {
    const p = await project(`
services:
  app: { image: busybox, command: ["true"], depends_on: { migrate: { condition: service_completed_successfully } } }
  migrate: { image: busybox, command: ["sh", "-c", "echo migrating; echo 'error: column users.email missing' >&2; exit 3"] }
`);
    const r = await p.run(["up", "-d"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`container ${p.name}-migrate-1 exited with code 3; last log lines:`));
    assert.match(r.stderr, /error: column users\.email missing/);
    ok(await p.run(["down"]));
  });

  test("a failed build shows its output and creates no container", async () => {
    const p = await project(
      `
services:
  db: { image: busybox, command: ["sh", "-c", "${IDLE}"] }
  app: { build: ./app, depends_on: [db] }
`,
      { "app/Dockerfile": "FROM busybox\nRUN echo compiling && echo 'main.c:3: syntax error' && exit 4\n" },
    );
    const r = await p.run(["up", "-d"]);
    assert.equal(r.code, 17, r.stderr);
    assert.match(r.stderr, /failed to build service "app"/);
    assert.match(r.stderr, /main\.c:3: syntax error/);
    assert.equal(await containersOf(p.name), "");
    ok(await p.run(["down"]));
  });

  test("up --wait counts a one-shot service that exited 0 as success", async () => {
    const p = await project(`
services:
  init: { image: busybox, command: ["sh", "-c", "echo seeded"] }
  web:
    image: busybox
    command: ["sh", "-c", "${IDLE}"]
    healthcheck: { test: ["CMD", "true"], interval: 200ms, retries: 3 }
    depends_on: { init: { condition: service_completed_successfully } }
`);
    const r = await p.run(["up", "-d", "--wait"]);
    ok(r);
    assert.match(r.stderr, new RegExp(`Container ${p.name}-web-1 {2}Healthy`));
    ok(await p.run(["down", "-t", "1"]));
  });

  test("a port in use is reported and the next down cleans up", async () => {
    const server: Server = createServer();
    await new Promise<void>((res) => server.listen(0, "127.0.0.1", res));
    const port = (server.address() as { port: number }).port;
    try {
      const p = await project(`
services:
  web: { image: busybox, command: ["sh", "-c", "${IDLE}"], ports: ["127.0.0.1:${port}:80"] }
`);
      const r = await p.run(["up", "-d"]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, new RegExp(`container ${p.name}-web-1 failed to start: .*${port}`));
      ok(await p.run(["down"]));
      assert.equal(await containersOf(p.name), "");
    } finally {
      server.close();
    }
  });

  test("attached up streams prefixed logs and --abort-on-container-exit returns the exit code", async () => {
    const p = await project(`
services:
  job: { image: busybox, command: ["sh", "-c", "sleep 0.5; echo job says hi; exit 2"] }
  idle: { image: busybox, command: ["sh", "-c", "${IDLE}"] }
`);
    const r = await p.run(["up", "--abort-on-container-exit"]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stdout, new RegExp(`^${p.name}-job-1 {3}\\| job says hi$`, "m"));
    assert.match(r.stdout, new RegExp(`${p.name}-job-1 .*exited with code 2`));
    const state = JSON.parse(ok(await d.docker(["inspect", `${p.name}-idle-1`])))[0].State;
    assert.equal(state.Running, false);
    ok(await p.run(["down"]));
  });

  test("invalid YAML fails with Compose's exit code 15 and a position; no file at all is 14", async () => {
    const p = await project("services:\n  web:\n    image: [busybox\n");
    const r = await p.run(["up", "-d"]);
    assert.equal(r.code, 15);
    assert.match(r.stderr, /compose\.yaml:\d+:\d+: invalid YAML/);
    const none = await d.berth(["compose", "--project-directory", d.dir, "up", "-d"]);
    assert.equal(none.code, 14, none.stderr);
    assert.match(none.stderr, /no configuration file provided: not found/);
  });
});
