import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { run, TestDaemon } from "../harness/daemon.js";
import { IDLE, importBusybox, ok, writeTree } from "./_helpers.js";

const DOCKER_COMPOSE = "/usr/bin/docker-compose";

/** Docker's own Compose (v1, the Debian package) against berthd: the API serves it too. */
describe("compose: docker-compose v1 against berthd", () => {
  let d: TestDaemon;
  let dir: string;
  const dc = (args: string[]) =>
    run(DOCKER_COMPOSE, ["-f", path.join(dir, "docker-compose.yml"), "-p", "legacy", ...args], {
      env: { ...process.env, DOCKER_HOST: d.host, COMPOSE_INTERACTIVE_NO_CLI: "1" },
      timeoutMs: 120_000,
    });

  before(async () => {
    assert.ok(existsSync(DOCKER_COMPOSE), `${DOCKER_COMPOSE} is missing: install the docker-compose package`);
    d = await TestDaemon.start();
    await importBusybox(d);
    dir = await writeTree(path.join(d.dir, "legacy"), {
      "docker-compose.yml": `version: "2.4"
services:
  app:
    build: ./app
    environment:
      GREETING: hello
    depends_on:
      db:
        condition: service_healthy
    volumes:
      - data:/data
    stop_signal: SIGKILL
  db:
    image: busybox
    command: ["sh", "-c", "sleep 1; touch /tmp/ready; ${IDLE}"]
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/ready"]
      interval: 1s
      timeout: 1s
      retries: 20
volumes:
  data:
`,
      "app/Dockerfile": 'FROM busybox\nCOPY run.sh /run.sh\nCMD ["sh", "/run.sh"]\n',
      "app/run.sh": `if ping -c 1 -W 2 db >/dev/null 2>&1; then echo "reached db"; else echo "db unreachable"; fi\n${IDLE}\n`,
    });
  });
  after(async () => {
    if (d) await dc(["down", "-v", "-t", "1"]).catch(() => undefined);
    await d?.cleanup();
  });

  test("up -d, ps, logs and down", async () => {
    const up = await dc(["up", "-d"]);
    assert.equal(up.code, 0, `${up.stdout}\n${up.stderr}`);
    assert.match(up.stderr, /Creating network "legacy_default"/);
    assert.match(up.stderr, /Creating legacy_app_1 \.\.\. done/);

    const ps = await dc(["ps"]);
    assert.equal(ps.code, 0, ps.stderr);
    assert.match(ps.stdout, /legacy_db_1\s.*Up \(healthy\)/);
    assert.match(ps.stdout, /legacy_app_1\s.*Up/);

    let logs = "";
    for (let i = 0; i < 50 && !/reached db|unreachable/.test(logs); i++) {
      logs = (await dc(["logs", "--no-color", "app"])).stdout;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(logs, /reached db/);

    // berth's own compose sees the project through the same labels.
    assert.match(ok(await d.berth(["compose", "-p", "legacy", "ps", "--services"])), /^app\ndb\n$/);

    const down = await dc(["down", "-v", "-t", "1"]);
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stderr, /Removing network legacy_default/);
    assert.equal(
      ok(await d.docker(["ps", "-aq", "--filter", "label=com.docker.compose.project=legacy"])),
      "",
    );
    assert.equal((await d.docker(["volume", "inspect", "legacy_data"])).code, 1);
  });
});
