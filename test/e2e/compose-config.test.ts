import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { BERTH, type RunResult, run } from "../harness/daemon.js";

/**
 * `berth compose config` as a user runs it: the loader behind the real CLI bundle, no daemon
 * needed. The same files go through Debian's docker-compose (v1) to prove they are valid Compose.
 */
const TUTORIAL = `
services:
  app:
    build: ./app
    ports: ["8080:80"]
    environment:
      DB_PASSWORD: \${DB_PASSWORD:?set DB_PASSWORD in .env}
    depends_on:
      db:
        condition: service_healthy
      cache:
        condition: service_started
    networks: [backend]
  db:
    image: busybox:latest
    healthcheck:
      test: ["CMD", "test", "-f", "/ready"]
      interval: 1s
      retries: 30
    volumes: ["db-data:/var/lib/db"]
    networks: [backend]
  cache:
    image: busybox:latest
    networks: [backend]
  debug:
    image: busybox:latest
    profiles: [dev]
volumes:
  db-data:
networks:
  backend:
`;

describe("berth compose config", () => {
  let dir: string;
  const env = (extra: Record<string, string> = {}) => ({
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? "/root",
    DOCKER_HOST: "unix:///nonexistent/berth-compose-config.sock",
    ...extra,
  });
  const berth = (args: string[], extra: Record<string, string> = {}, input?: string): Promise<RunResult> =>
    run(process.execPath, [BERTH, "compose", ...args], { env: env(extra), timeoutMs: 30_000, input });

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "berth-compose-config-"));
    await fs.mkdir(path.join(dir, "Shop.App", "app"), { recursive: true });
    await fs.writeFile(path.join(dir, "Shop.App", "compose.yaml"), TUTORIAL);
    await fs.writeFile(path.join(dir, "Shop.App", ".env"), "DB_PASSWORD=s3cret\n");
    await fs.writeFile(path.join(dir, "bad.yaml"), "services:\n  web:\n    imgae: busybox\n");
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  test("prints the resolved project in Compose's YAML layout", async () => {
    const r = await berth(["--project-directory", path.join(dir, "Shop.App"), "config"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^name: shopapp\nservices:\n {2}app:\n {4}build:\n/);
    assert.match(
      r.stdout,
      new RegExp(`context: ${path.join(dir, "Shop.App", "app").replaceAll(".", "\\.")}\\n`),
    );
    assert.match(r.stdout, /DB_PASSWORD: s3cret\n/);
    assert.match(
      r.stdout,
      /\nnetworks:\n {2}backend:\n {4}name: shopapp_backend\nvolumes:\n {2}db-data:\n {4}name: shopapp_db-data\n$/,
    );
    assert.doesNotMatch(r.stdout, /debug:/);
  });

  test("JSON, lists and profiles", async () => {
    const cwd = ["--project-directory", path.join(dir, "Shop.App")];
    const json = await berth([...cwd, "config", "--format", "json"]);
    assert.equal(json.code, 0, json.stderr);
    const p = JSON.parse(json.stdout);
    assert.deepEqual(Object.keys(p.services), ["app", "cache", "db"]);
    assert.deepEqual(p.services.app.ports, [
      { mode: "ingress", target: 80, published: "8080", protocol: "tcp" },
    ]);
    assert.equal((await berth([...cwd, "config", "--services"])).stdout, "app\ncache\ndb\n");
    assert.equal(
      (await berth([...cwd, "--profile", "dev", "config", "--services"])).stdout,
      "app\ncache\ndb\ndebug\n",
    );
    assert.equal((await berth([...cwd, "config", "--profiles"])).stdout, "dev\n");
  });

  test("reads -f - from stdin with -p", async () => {
    const r = await berth(["-f", "-", "-p", "piped", "config", "--services"], { DB_PASSWORD: "x" }, TUTORIAL);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "app\ncache\ndb\n");
  });

  test("bad input fails with the file, position, path and reason", async () => {
    const bad = await berth(["-f", path.join(dir, "bad.yaml"), "config"]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /bad\.yaml:3:5: services\.web: additional property "imgae" is not allowed/);
    const noPass = await berth([
      "-f",
      path.join(dir, "Shop.App", "compose.yaml"),
      "--env-file",
      path.join(dir, "bad.yaml"),
      "config",
    ]);
    assert.notEqual(noPass.code, 0);
    const missing = await berth(["-f", "-", "-p", "x", "config", "-q"], {}, TUTORIAL);
    assert.notEqual(missing.code, 0);
    assert.match(
      missing.stderr,
      /services\.app\.environment\.DB_PASSWORD: required variable DB_PASSWORD is missing a value: set DB_PASSWORD in \.env/,
    );
  });

  test("Debian's docker-compose accepts the same file and sees the same services", async () => {
    const r = await run(
      "docker-compose",
      ["-f", path.join(dir, "Shop.App", "compose.yaml"), "config", "--services"],
      {
        env: env({ DB_PASSWORD: "x" }),
        timeoutMs: 30_000,
      },
    );
    assert.equal(r.code, 0, r.stderr);
    // v1 lists services of every profile.
    assert.deepEqual(r.stdout.trim().split("\n").sort(), ["app", "cache", "db", "debug"]);
  });
});
