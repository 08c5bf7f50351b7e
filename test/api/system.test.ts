/**
 * The system endpoints wired as berthd wires them (EventBus + system service + routes + server), checked
 * with the real docker CLI.
 */
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { systemRoutes } from "../../src/api/server/routes/system.js";
import { type ApiServer, createApiServer } from "../../src/api/server/server.js";
import { API_VERSION_CURRENT, API_VERSION_MIN } from "../../src/api/types/version.js";
import { EventBus } from "../../src/daemon/system/events.js";
import { readHostFacts } from "../../src/daemon/system/host-facts.js";
import { createSystemService } from "../../src/daemon/system/service.js";

const DOCKER = "/usr/local/bin/docker";
const run = promisify(execFile);

describe("system API with the docker CLI", () => {
  let dir: string;
  let sock: string;
  let server: ApiServer;
  const bus = new EventBus();
  const env = () => ({
    ...process.env,
    DOCKER_HOST: `unix://${sock}`,
    DOCKER_CONFIG: join(dir, "docker-config"),
  });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "berth-sys-"));
    sock = join(dir, "berth.sock");
    const api = { current: API_VERSION_CURRENT, min: API_VERSION_MIN };
    const service = createSystemService({
      host: await readHostFacts(),
      info: { id: "BERTH-TEST", rootDir: join(dir, "root"), serverVersion: "0.1.0-test" },
      version: {
        serverVersion: "0.1.0-test",
        gitCommit: "0000000",
        buildTime: "2024-01-01T00:00:00Z",
        api,
        nodeVersion: process.version,
      },
      events: bus,
      counts: async () => ({ containers: 0, running: 0, paused: 0, stopped: 0, images: 0 }),
    });
    server = createApiServer({
      socketPath: sock,
      routes: systemRoutes(service),
      version: api,
      serverVersion: "0.1.0-test",
    });
    await server.start();
  });

  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("docker version and docker info report berth", async () => {
    const v = await run(
      DOCKER,
      ["version", "--format", "{{.Server.Version}} {{.Server.APIVersion}} {{.Server.Os}}"],
      {
        env: env(),
      },
    );
    assert.equal(v.stdout.trim(), `0.1.0-test ${API_VERSION_CURRENT} linux`);
    const i = await run(DOCKER, ["info"], { env: env() });
    assert.match(i.stdout, /Server Version: 0\.1\.0-test/);
    assert.match(i.stdout, /Docker Root Dir: .*berth-sys-.*\/root/);
    assert.match(i.stdout, /ID: BERTH-TEST/);
  });

  it("docker events streams live events that pass its filters", async () => {
    const child = spawn(
      DOCKER,
      [
        "events",
        "--filter",
        "type=container",
        "--filter",
        "event=start",
        "--format",
        "{{.Actor.Attributes.name}}",
      ],
      { env: env(), stdio: ["ignore", "pipe", "pipe"] },
    );
    try {
      while (bus.listenerCount === 0) await new Promise((r) => setTimeout(r, 10));
      const out = new Promise<string>((resolve) => {
        let text = "";
        child.stdout.on("data", (b: Buffer) => {
          text += b.toString();
          if (text.includes("web-2\n")) resolve(text);
        });
      });
      bus.publish({ Type: "network", Action: "create", Actor: { ID: "n1", Attributes: { name: "net" } } });
      bus.publish({
        Type: "container",
        Action: "create",
        Actor: { ID: "c1", Attributes: { name: "web-1" } },
      });
      bus.publish({ Type: "container", Action: "start", Actor: { ID: "c1", Attributes: { name: "web-1" } } });
      bus.publish({ Type: "container", Action: "start", Actor: { ID: "c2", Attributes: { name: "web-2" } } });
      assert.equal(await out, "web-1\nweb-2\n");
    } finally {
      child.kill();
    }
    // The server drops the subscription when the CLI goes away.
    while (bus.listenerCount > 0) await new Promise((r) => setTimeout(r, 10));
  });

  it("docker events --since/--until replays the buffer with label filters", async () => {
    const e = bus.publish({
      Type: "container",
      Action: "die",
      Actor: { ID: "c3", Attributes: { name: "db", "com.example.tier": "data", exitCode: "0" } },
    });
    bus.publish({ Type: "container", Action: "die", Actor: { ID: "c4", Attributes: { name: "cache" } } });
    const { stdout } = await run(
      DOCKER,
      [
        "events",
        "--since",
        String(e.time),
        "--until",
        String(e.time + 1),
        "--filter",
        "label=com.example.tier=data",
        "--format",
        "{{.Type}} {{.Action}} {{.Actor.ID}}",
      ],
      { env: env() },
    );
    assert.equal(stdout.trim(), "container die c3");
  });
});
