/** System routes through the real server: ping, version, info, events; the system client; the docker CLI. */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { ApiClient, readJsonStream } from "../../client/client.js";
import * as system from "../../client/system.js";
import type { EventMessage, SystemInfo } from "../../types/system.js";
import {
  DOCKER,
  type FakeEvents,
  fakeVersion,
  httpCall,
  startTestServer,
  type TestServer,
} from "../_testing.js";

const run = promisify(execFile);

describe("system routes", () => {
  let t: TestServer;
  let sock: string;
  let events: FakeEvents;

  before(async () => {
    t = await startTestServer();
    sock = t.sock;
    events = t.events;
  });

  after(async () => {
    await t.stop();
  });

  it("GET /_ping answers OK with Docker's headers", async () => {
    const r = await httpCall(sock, "GET", "/_ping");
    assert.equal(r.status, 200);
    assert.equal(r.body, "OK");
    assert.equal(r.headers["api-version"], "1.50");
    assert.equal(r.headers["builder-version"], "1");
    assert.equal(r.headers["docker-experimental"], "false");
    assert.equal(r.headers.ostype, "linux");
    assert.equal(r.headers.swarm, "inactive");
    assert.equal(r.headers.pragma, "no-cache");
    assert.match(String(r.headers["cache-control"]), /no-cache/);
    assert.equal(r.headers.server, "berth/9.8.7-test (linux)");
  });

  it("HEAD /_ping answers with headers and no body", async () => {
    const r = await httpCall(sock, "HEAD", "/v1.50/_ping");
    assert.equal(r.status, 200);
    assert.equal(r.body, "");
    assert.equal(r.headers["api-version"], "1.50");
  });

  it("GET /version and /info return the backend's documents", async () => {
    const v = await httpCall(sock, "GET", "/v1.50/version");
    assert.equal(v.headers["content-type"], "application/json");
    assert.deepEqual(JSON.parse(v.body), fakeVersion);
    const i = JSON.parse((await httpCall(sock, "GET", "/info")).body) as SystemInfo;
    assert.equal(i.ID, "TEST-DAEMON-ID");
    assert.equal(i.Containers, 3);
  });

  describe("events", () => {
    it("GET /events with until in the past replays the history and ends", async () => {
      events.publish("container", "create", "c1");
      events.publish("image", "pull", "busybox");
      events.publish("container", "start", "c1");
      const first = events.log.at(-3)!.nanos;
      const since = (first / 1_000_000_000n).toString();
      const past = await httpCall(sock, "GET", `/events?since=${since}&until=${Number(since) + 10}`);
      assert.equal(past.status, 200);
      assert.equal(past.headers["content-type"], "application/json");
      const got = past.body
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as EventMessage);
      assert.deepEqual(
        got.map((e) => `${e.Type}/${e.Action}`),
        ["container/create", "image/pull", "container/start"],
      );
    });

    it("GET /events applies filters and accepts RFC 3339 bounds", async () => {
      const filters = encodeURIComponent(JSON.stringify({ type: ["container"], event: ["start"] }));
      const r = await httpCall(
        sock,
        "GET",
        `/events?since=2023-11-14T22:13:20Z&until=2023-11-14T23:13:20Z&filters=${filters}`,
      );
      const got = r.body
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as EventMessage);
      assert.ok(got.length >= 1);
      assert.ok(got.every((e) => e.Type === "container" && e.Action === "start"));
    });

    it("GET /events rejects bad filters and reversed bounds with 400", async () => {
      const bad = await httpCall(
        sock,
        "GET",
        `/events?until=1&filters=${encodeURIComponent('{"bogus":["x"]}')}`,
      );
      assert.equal(bad.status, 400);
      assert.equal(JSON.parse(bad.body).message, "invalid filter 'bogus'");
      const rev = await httpCall(sock, "GET", "/events?since=200&until=100");
      assert.equal(rev.status, 400);
      assert.match(JSON.parse(rev.body).message, /cannot be after `until`/);
      const ts = await httpCall(sock, "GET", "/events?since=yesterday");
      assert.equal(ts.status, 400);
    });

    it("GET /events streams live events that pass the filters until the client leaves", async () => {
      const client = new ApiClient({ host: `unix://${sock}` });
      const abort = new AbortController();
      const seen: EventMessage[] = [];
      const listening = events.listeners.size;
      const consumer = (async () => {
        for await (const e of system.events(client, {
          filters: { type: ["network"] },
          signal: abort.signal,
        })) {
          seen.push(e);
          if (seen.length === 2) abort.abort();
        }
      })();
      while (events.listeners.size === listening) await new Promise((r) => setTimeout(r, 5));
      events.publish("container", "start", "ignored");
      events.publish("network", "create", "n1");
      events.publish("network", "destroy", "n1");
      await consumer;
      assert.deepEqual(
        seen.map((e) => `${e.Actor.ID}/${e.Action}`),
        ["n1/create", "n1/destroy"],
      );
      // the server unsubscribes once the client is gone
      while (events.listeners.size > listening) await new Promise((r) => setTimeout(r, 5));
      client.close();
    });
  });

  describe("docker CLI", () => {
    const dockerEnv = () => ({
      ...process.env,
      DOCKER_HOST: `unix://${sock}`,
      DOCKER_CONFIG: join(t.dir, "docker-config"),
    });

    it("docker version exits 0 and shows the server", async () => {
      const { stdout } = await run(DOCKER, ["version"], { env: dockerEnv() });
      assert.match(stdout, /Server: berth/);
      assert.match(stdout, /Version:\s+9\.8\.7-test/);
      assert.match(stdout, /API version:\s+1\.50 \(minimum version 1\.24\)/);
      const { stdout: api } = await run(DOCKER, ["version", "--format", "{{.Server.APIVersion}}"], {
        env: dockerEnv(),
      });
      assert.equal(api.trim(), "1.50");
    });

    it("docker info exits 0 and prints the server section cleanly", async () => {
      const { stdout, stderr } = await run(DOCKER, ["info"], { env: dockerEnv() });
      assert.match(stdout, /Server Version: 9\.8\.7-test/);
      assert.match(stdout, /Storage Driver: overlayfs/);
      assert.match(stdout, /Containers: 3/);
      assert.doesNotMatch(stderr, /error/i);
    });

    it("docker events replays filtered history", async () => {
      events.publish("volume", "create", "vol-cli");
      const t = events.log.at(-1)!.event.time;
      const { stdout } = await run(
        DOCKER,
        [
          "events",
          "--since",
          String(t),
          "--until",
          String(t + 1),
          "--filter",
          "type=volume",
          "--format",
          "{{.Actor.ID}} {{.Action}}",
        ],
        { env: dockerEnv() },
      );
      assert.equal(stdout.trim(), "vol-cli create");
    });
  });

  it("system client functions read ping, version and info", async () => {
    const client = new ApiClient({ host: `unix://${sock}` });
    try {
      const p = await system.ping(client);
      assert.deepEqual(p, {
        apiVersion: "1.50",
        osType: "linux",
        experimental: false,
        builderVersion: "1",
        swarm: "inactive",
      });
      assert.equal((await system.version(client)).Version, "9.8.7-test");
      assert.equal((await system.info(client)).Name, "test-host");
    } finally {
      client.close();
    }
  });

  it("readJsonStream reads an events replay through ApiClient.stream", async () => {
    const client = new ApiClient({ host: `unix://${sock}` });
    try {
      const res = await client.stream("GET", "/events", { query: { since: "0", until: "1" } });
      const all: EventMessage[] = [];
      for await (const e of readJsonStream<EventMessage>(res)) all.push(e);
      assert.deepEqual(all, []);
    } finally {
      client.close();
    }
  });
});
