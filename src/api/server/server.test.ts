/** The API server over real HTTP on a temporary unix socket: routing, versions, errors, bodies, lifecycle. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { BerthError } from "../../lib/errors.js";
import { ApiClient, ApiError } from "../client/client.js";
import { httpCall, rawConnect, readUntil, startTestServer, type TestServer, testRoutes } from "./_testing.js";
import { createApiServer } from "./server.js";

describe("api server", () => {
  let t: TestServer;
  let sock: string;

  before(async () => {
    t = await startTestServer();
    sock = t.sock;
  });

  after(async () => {
    await t.stop();
  });

  it("createApiServer makes the socket mode 0660", async () => {
    assert.equal((await stat(sock)).mode & 0o777, 0o660);
  });

  it("version prefixes: /v1.24, /v1.50 and unversioned paths are served", async () => {
    for (const [path, version] of [
      ["/v1.24/echo", "1.24"],
      ["/v1.41/echo", "1.41"],
      ["/v1.50/echo", "1.50"],
      ["/echo", "1.50"],
    ] as const) {
      const r = await httpCall(sock, "POST", path, "{}");
      assert.equal(r.status, 200, path);
      assert.equal(JSON.parse(r.body).version, version, path);
    }
  });

  it("version prefixes: too old and too new are 400 with Docker's wording", async () => {
    const old = await httpCall(sock, "GET", "/v1.12/version");
    assert.equal(old.status, 400);
    assert.equal(old.headers["content-type"], "application/json");
    assert.deepEqual(JSON.parse(old.body), {
      message:
        "client version 1.12 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version",
    });
    const neu = await httpCall(sock, "GET", "/v1.99/version");
    assert.equal(neu.status, 400);
    assert.deepEqual(JSON.parse(neu.body), {
      message: "client version 1.99 is too new. Maximum supported API version is 1.50",
    });
  });

  it("unknown paths and wrong methods are 404 page not found", async () => {
    for (const [method, path] of [
      ["GET", "/nope"],
      ["GET", "/v1.50/nope"],
      ["DELETE", "/version"],
    ] as const) {
      const r = await httpCall(sock, method, path);
      assert.equal(r.status, 404, `${method} ${path}`);
      assert.deepEqual(JSON.parse(r.body), { message: "page not found" });
      assert.equal(r.headers["api-version"], "1.50");
    }
  });

  it("route params keep slashes and colons of image references", async () => {
    const r = await httpCall(sock, "GET", "/v1.50/images/localhost:5000/a/b:1/json");
    assert.deepEqual(JSON.parse(r.body), { name: "localhost:5000/a/b:1" });
  });

  it("malformed JSON bodies are 400 invalid JSON", async () => {
    const r = await httpCall(sock, "POST", "/echo", '{"a":');
    assert.equal(r.status, 400);
    assert.match(JSON.parse(r.body).message, /^invalid JSON: /);
  });

  it("an empty JSON body reads as undefined", async () => {
    const r = await httpCall(sock, "POST", "/echo");
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.body), { version: "1.50" });
  });

  it("thrown errors map to their status; foreign errors are 500", async () => {
    const nf = await httpCall(sock, "GET", "/missing");
    assert.equal(nf.status, 404);
    assert.deepEqual(JSON.parse(nf.body), { message: "No such thing: x" });
    const boom = await httpCall(sock, "GET", "/boom");
    assert.equal(boom.status, 500);
    assert.deepEqual(JSON.parse(boom.body), { message: "kaboom" });
  });

  it("a handler that writes nothing yields an empty 200", async () => {
    const r = await httpCall(sock, "GET", "/silent");
    assert.equal(r.status, 200);
    assert.equal(r.body, "");
  });

  it("an error after a JSON stream started ends it with an errorDetail line", async () => {
    const r = await httpCall(sock, "GET", "/stream-fail");
    assert.equal(r.status, 200);
    const lines = r.body
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.deepEqual(lines, [
      { status: "working" },
      { errorDetail: { message: "layer broke" }, error: "layer broke" },
    ]);
  });

  it("keep-alive connections are reused", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const ports = new Set<unknown>();
      let reused = 0;
      for (let i = 0; i < 3; i++) {
        await new Promise<void>((resolve, reject) => {
          const req = request({ socketPath: sock, path: "/v1.50/_ping", agent }, (res) => {
            if (req.reusedSocket) reused++;
            ports.add(req.socket);
            res.resume();
            res.on("end", resolve);
          });
          req.on("error", reject);
          req.end();
        });
      }
      assert.equal(ports.size, 1);
      assert.equal(reused, 2);
    } finally {
      agent.destroy();
    }
  });

  describe("ApiClient against the server", () => {
    it("ApiClient negotiates the version once and prefixes paths", async () => {
      const client = new ApiClient({ host: `unix://${sock}`, maxApiVersion: "1.45" });
      try {
        assert.equal(await client.apiVersion(), "1.45");
        const echoed = await client.json<{ version: string; got: unknown }>("POST", "/echo", {
          body: { a: 1 },
        });
        assert.deepEqual(echoed, { version: "1.45", got: { a: 1 } });
      } finally {
        client.close();
      }
    });

    it("ApiClient maps error statuses to BerthError kinds with the server's message", async () => {
      const client = new ApiClient({ host: `unix://${sock}` });
      try {
        await assert.rejects(client.json("GET", "/missing"), (e: unknown) => {
          assert.ok(e instanceof ApiError);
          assert.equal(e.kind, "not-found");
          assert.equal(e.status, 404);
          assert.equal(e.message, "No such thing: x");
          return true;
        });
        await assert.rejects(client.json("POST", "/echo", { body: "{oops" }), { kind: "invalid-argument" });
      } finally {
        client.close();
      }
    });
  });
});

describe("api server lifecycle", () => {
  it("start removes a stale socket file and close removes the socket", async () => {
    const dir = await mkdtemp(join(tmpdir(), "berth-api-"));
    const sock = join(dir, "s.sock");
    try {
      // A process that listens and exits leaves its socket file behind.
      const r = spawnSync(process.execPath, [
        "-e",
        `require("net").createServer().listen(${JSON.stringify(sock)}, () => process.exit(0))`,
      ]);
      assert.equal(r.status, 0);
      assert.ok(existsSync(sock));
      const server = createApiServer({
        socketPath: sock,
        routes: [],
        version: { current: "1.50", min: "1.24" },
      });
      await server.start();
      assert.equal((await httpCall(sock, "GET", "/_ping")).status, 404);
      await server.close();
      assert.equal(existsSync(sock), false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("start refuses a socket another server answers on, and a non-socket file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "berth-api-"));
    const sock = join(dir, "s.sock");
    const a = createApiServer({ socketPath: sock, routes: [], version: { current: "1.50", min: "1.24" } });
    try {
      await a.start();
      const b = createApiServer({ socketPath: sock, routes: [], version: { current: "1.50", min: "1.24" } });
      await assert.rejects(b.start(), { kind: "conflict" });
      const file = join(dir, "plain");
      await writeFile(file, "x");
      const c = createApiServer({ socketPath: file, routes: [], version: { current: "1.50", min: "1.24" } });
      await assert.rejects(c.start(), { kind: "failed-precondition" });
    } finally {
      await a.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("close ends streams and hijacked connections promptly", async () => {
    const dir = await mkdtemp(join(tmpdir(), "berth-api-"));
    const sock = join(dir, "s.sock");
    const server = createApiServer({
      socketPath: sock,
      routes: testRoutes,
      version: { current: "1.50", min: "1.24" },
      closeGraceMs: 5000,
    });
    try {
      await server.start();
      const stream = httpCall(sock, "GET", "/wait");
      const raw = await rawConnect(sock);
      raw.write(
        "POST /containers/z/attach HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n",
      );
      await readUntil(raw, (t) => t.includes("hello z"));
      const rawClosed = new Promise<void>((r) => raw.once("close", () => r()));
      await new Promise((r) => setTimeout(r, 20));
      await server.close(); // the /wait handler ends on its signal, so this does not wait the 5 s grace
      assert.equal((await stream).status, 200);
      await rawClosed;
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("ApiClient reports a missing daemon as unavailable with Docker's wording", async () => {
    const client = new ApiClient({ host: "unix:///nonexistent/berth.sock" });
    await assert.rejects(client.json("GET", "/info"), (e: unknown) => {
      assert.ok(e instanceof BerthError);
      assert.equal(e.kind, "unavailable");
      assert.equal(
        e.message,
        "Cannot connect to the berth daemon at unix:///nonexistent/berth.sock. Is the berth daemon running?",
      );
      return true;
    });
  });
});
