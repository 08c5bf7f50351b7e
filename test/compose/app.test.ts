import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { TestDaemon } from "../harness/daemon.js";
import { compose, IDLE, importBusybox, ok, writeTree } from "./_helpers.js";

/**
 * The tutorial's application through `berth compose`: an app built from its Dockerfile, a db that
 * turns healthy only after 2 s (the app must wait for it), a cache, a named volume, a user network
 * on which the app reaches the db by service name; then convergence and every command.
 */
describe("compose: the tutorial app", () => {
  let d: TestDaemon;
  let dir: string;
  const P = "shop";
  const c = (args: string[]) => compose(d, dir, P, args);

  const composeFile = (greeting: string) => `
services:
  app:
    build:
      context: ./app
      args:
        VERSION: "7"
    environment:
      GREETING: ${greeting}
    depends_on:
      db:
        condition: service_healthy
      cache:
        condition: service_started
    ports:
      - "127.0.0.1::8080"
    volumes:
      - data:/data
    networks:
      - back
    stop_grace_period: 3s
  db:
    image: busybox
    command: ["sh", "-c", "echo db booting; sleep 2; touch /tmp/ready; echo db ready; ${IDLE}"]
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/ready"]
      interval: 300ms
      timeout: 1s
      retries: 30
    networks:
      back:
        aliases: [database]
  cache:
    image: busybox
    command: ["sh", "-c", "${IDLE}"]
    networks: [back]
volumes:
  data:
networks:
  back:
`;

  before(async () => {
    d = await TestDaemon.start();
    await importBusybox(d);
    dir = await writeTree(path.join(d.dir, "shop"), {
      "compose.yaml": composeFile("hello"),
      "app/Dockerfile":
        'FROM busybox\nARG VERSION=1\nRUN echo "v$VERSION" > /version\nCOPY run.sh /run.sh\nCMD ["sh", "/run.sh"]\n',
      "app/run.sh": [
        'echo "app $(cat /version) greeting=$GREETING"',
        'if ping -c 1 -W 2 db >/dev/null 2>&1; then echo "reached db"; else echo "db unreachable"; fi',
        'if ping -c 1 -W 2 database >/dev/null 2>&1; then echo "reached database alias"; fi',
        "echo stored > /data/mark",
        IDLE,
        "",
      ].join("\n"),
    });
  });
  after(async () => {
    await c(["down", "-v", "-t", "1"]).catch(() => undefined);
    await d?.cleanup();
  });

  const inspect = async (name: string) => JSON.parse(ok(await d.docker(["inspect", name])))[0];

  test("up -d builds the app, waits for the healthy db, and the app reaches db by name", async () => {
    const r = await c(["up", "-d"]);
    ok(r);
    assert.match(r.stderr, /Network shop_back {2}Created/);
    assert.match(r.stderr, /Volume shop_data {2}Created/);
    assert.match(r.stderr, /Successfully tagged shop-app:latest/);
    assert.match(r.stderr, /Container shop-db-1 {2}Healthy/);

    const db = await inspect("shop-db-1");
    const app = await inspect("shop-app-1");
    const firstHealthy = db.State.Health.Log.find((l: { ExitCode: number }) => l.ExitCode === 0);
    assert.ok(firstHealthy, "db has a passing healthcheck");
    assert.ok(
      Date.parse(app.State.StartedAt) >= Date.parse(firstHealthy.End),
      `app started ${app.State.StartedAt}, before db was healthy at ${firstHealthy.End}`,
    );
    // Labels as Docker Compose sets them.
    const L = app.Config.Labels;
    assert.equal(L["com.docker.compose.project"], P);
    assert.equal(L["com.docker.compose.service"], "app");
    assert.equal(L["com.docker.compose.container-number"], "1");
    assert.equal(L["com.docker.compose.oneoff"], "False");
    assert.match(L["com.docker.compose.config-hash"], /^[0-9a-f]{64}$/);
    assert.equal(L["com.docker.compose.depends_on"], "cache:service_started:false,db:service_healthy:false");
    assert.equal(L["com.docker.compose.project.config_files"], path.join(dir, "compose.yaml"));
    assert.ok(Object.keys(app.NetworkSettings.Networks).includes("shop_back"));
    assert.deepEqual(
      app.Config.Env.filter((e: string) => e.startsWith("GREETING=")),
      ["GREETING=hello"],
    );

    const net = JSON.parse(ok(await d.docker(["network", "inspect", "shop_back"])))[0];
    assert.equal(net.Labels["com.docker.compose.network"], "back");
    assert.equal(net.Labels["com.docker.compose.project"], P);
    const vol = JSON.parse(ok(await d.docker(["volume", "inspect", "shop_data"])))[0];
    assert.equal(vol.Labels["com.docker.compose.volume"], "data");

    let logs = "";
    for (let i = 0; i < 50 && !/reached db|unreachable/.test(logs); i++) {
      logs = ok(await c(["logs", "app"]));
      await new Promise((res) => setTimeout(res, 100));
    }
    assert.match(logs, /^shop-app-1 {2}\| app v7 greeting=hello$/m);
    assert.match(logs, /reached db/);
    assert.match(logs, /reached database alias/);
  });

  test("a second up changes nothing", async () => {
    ok(await c(["up", "-d"]));
    const r = await c(["up", "-d"]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /Recreate|Created|Building/);
    assert.match(r.stderr, /Container shop-app-1 {2}Running/);
  });

  test("changing an env var recreates only that service and says why", async () => {
    const before = await inspect("shop-db-1");
    await writeTree(dir, { "compose.yaml": composeFile("bonjour") });
    const r = await c(["up", "-d"]);
    ok(r);
    assert.match(
      r.stderr,
      /Container shop-app-1 {2}Recreate \(environment\.GREETING: "hello" -> "bonjour"\)/,
    );
    assert.doesNotMatch(r.stderr, /shop-db-1 {2}Recreate|shop-cache-1 {2}Recreate/);
    assert.equal((await inspect("shop-db-1")).Id, before.Id);
    const app = await inspect("shop-app-1");
    assert.ok(app.Config.Env.includes("GREETING=bonjour"));
  });

  test("ps, ls, config, images, top and port describe the project", async () => {
    const ps = ok(await c(["ps"]));
    assert.match(ps, /^NAME\s+IMAGE\s+COMMAND\s+SERVICE\s+CREATED\s+STATUS\s+PORTS$/m);
    assert.match(ps, /^shop-db-1\s+busybox\s.*\sdb\s.*\(healthy\)/m);
    assert.equal(ok(await c(["ps", "--services"])), "app\ncache\ndb\n");
    assert.equal(
      ok(await c(["ps", "-q"]))
        .trim()
        .split("\n").length,
      3,
    );
    const rows = ok(await c(["ps", "--format", "json"]))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.deepEqual(rows.map((x) => x.Service).sort(), ["app", "cache", "db"]);
    assert.match(
      ok(await d.berth(["compose", "ls"])),
      new RegExp(`^${P}\\s+running\\(3\\)\\s+${dir}/compose.yaml$`, "m"),
    );
    const cfg = JSON.parse(ok(await c(["config", "--format", "json"])));
    assert.equal(cfg.services.app.environment.GREETING, "bonjour");
    assert.equal(
      ok(await c(["config", "--services"]))
        .trim()
        .split("\n")
        .sort()
        .join(","),
      "app,cache,db",
    );
    assert.match(ok(await c(["images"])), /^shop-app-1\s+shop-app\s+latest\s+[0-9a-f]{12}/m);
    assert.match(ok(await c(["top", "db"])), /shop-db-1\n.*PID/);
    assert.match(ok(await c(["port", "app", "8080"])), /^127\.0\.0\.1:\d+\n$/);
  });

  test("exec and run", async () => {
    assert.equal(ok(await c(["exec", "-T", "app", "cat", "/data/mark"])), "stored\n");
    assert.equal(
      ok(await c(["exec", "-T", "-e", "X=1", "-w", "/tmp", "db", "sh", "-c", "echo $X $(pwd)"])),
      "1 /tmp\n",
    );
    const run = await c([
      "run",
      "--rm",
      "-T",
      "-e",
      "WHO=run",
      "app",
      "sh",
      "-c",
      "echo $WHO $GREETING; cat /data/mark",
    ]);
    assert.equal(ok(run), "run bonjour\nstored\n");
    const det = ok(await c(["run", "-d", "--entrypoint", "sleep", "cache", "30"])).trim();
    assert.match(det, /^shop-cache-run-[0-9a-f]{12}$/);
    const one = await inspect(det);
    assert.equal(one.Config.Labels["com.docker.compose.oneoff"], "True");
    assert.deepEqual(one.Config.Entrypoint, ["sleep"]);
    ok(await d.docker(["rm", "-f", det]));
  });

  test("stop, start, restart, kill, pause, rm", async () => {
    ok(await c(["stop", "-t", "1", "cache"]));
    assert.equal((await inspect("shop-cache-1")).State.Running, false);
    ok(await c(["start", "cache"]));
    assert.equal((await inspect("shop-cache-1")).State.Running, true);
    const started = (await inspect("shop-cache-1")).State.StartedAt;
    ok(await c(["restart", "-t", "1", "cache"]));
    assert.notEqual((await inspect("shop-cache-1")).State.StartedAt, started);
    ok(await c(["pause", "cache"]));
    assert.equal((await inspect("shop-cache-1")).State.Status, "paused");
    ok(await c(["unpause", "cache"]));
    ok(await c(["kill", "-s", "SIGKILL", "cache"]));
    assert.equal((await inspect("shop-cache-1")).State.ExitCode, 137);
    ok(await c(["rm", "-f", "cache"]));
    assert.equal((await d.docker(["inspect", "shop-cache-1"])).code, 1);
    ok(await c(["up", "-d", "cache"]));
  });

  test("events --json reports the project's container events", async () => {
    const stream = compose(d, dir, P, [
      "events",
      "--json",
      "--since",
      "0",
      "--until",
      String(Math.floor(Date.now() / 1000) + 1),
    ]);
    const out = ok(await stream);
    const evs = out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.ok(evs.some((e) => e.service === "cache" && e.action === "kill"));
    assert.ok(evs.every((e) => e.type === "container" && typeof e.id === "string"));
  });

  test("build, pull and push", async () => {
    const b = await c(["build", "app"]);
    assert.match(ok(b), /Successfully tagged shop-app:latest/);
    const pull = await c(["pull", "db"]);
    assert.equal(pull.code, 18);
    assert.match(
      pull.stderr,
      /service "db" needs image "busybox", which is not local, and pulling it failed|pulling it failed/,
    );
    const push = await c(["push", "db"]);
    assert.equal(push.code, 1);
    assert.match(push.stderr, /pushing busybox for service "db"/);
  });

  test("down -v --rmi local removes containers, network, volume and the built image", async () => {
    const r = await c(["down", "-v", "--rmi", "local", "-t", "1"]);
    ok(r);
    assert.equal(ok(await d.docker(["ps", "-aq", "--filter", `label=com.docker.compose.project=${P}`])), "");
    assert.equal((await d.docker(["network", "inspect", "shop_back"])).code, 1);
    assert.equal((await d.docker(["volume", "inspect", "shop_data"])).code, 1);
    assert.equal((await d.docker(["image", "inspect", "shop-app"])).code, 1);
    assert.equal(ok(await d.berth(["compose", "ls", "-a"])).trim(), "NAME      STATUS    CONFIG FILES");
    // down of a project that does not exist succeeds quietly, as with Docker Compose.
    const none = await d.berth(["compose", "-p", "nosuchproject", "down"]);
    assert.equal(none.code, 0, none.stderr);
  });
});
