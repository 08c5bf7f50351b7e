/** Hijacking connections for attach/exec: Upgrade: tcp (101 UPGRADED) and plain (200) requests. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ApiClient } from "../client/client.js";
import { rawConnect, readUntil, startTestServer, type TestServer } from "./_testing.js";

describe("api server hijack", () => {
  let t: TestServer;
  let sock: string;

  before(async () => {
    t = await startTestServer();
    sock = t.sock;
  });

  after(async () => {
    await t.stop();
  });

  it("an Upgrade: tcp request gets 101 UPGRADED and a raw duplex stream", async () => {
    const s = await rawConnect(sock);
    try {
      s.write(
        "POST /v1.50/containers/abc/attach?stream=1&stdin=1&stdout=1 HTTP/1.1\r\n" +
          "Host: api\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n",
      );
      const head = await readUntil(s, (t) => t.includes("hello abc\n"));
      const [statusLine, ...headerLines] = head.split("\r\n\r\n")[0]!.split("\r\n");
      assert.equal(statusLine, "HTTP/1.1 101 UPGRADED");
      const headers = Object.fromEntries(
        headerLines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 2)]),
      );
      assert.equal(headers["content-type"], "application/vnd.docker.multiplexed-stream");
      assert.equal(headers.connection, "Upgrade");
      assert.equal(headers.upgrade, "tcp");
      assert.equal(headers["api-version"], "1.50");
      s.write("ping");
      const echoed = await readUntil(s, (t) => t.includes("echo:ping"));
      assert.match(echoed, /echo:ping/);
      s.end();
      await readUntil(s, () => false).catch(() => {});
    } finally {
      s.destroy();
    }
  });

  it("an upgrade request's JSON body is read before the hijack; early stdin is kept", async () => {
    const s = await rawConnect(sock);
    try {
      const body = '{"Detach":false,"Tty":true}';
      s.write(
        "POST /v1.50/exec/e1/start HTTP/1.1\r\nHost: api\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n" +
          `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}early`,
      );
      const text = await readUntil(s, (t) => t.includes("stdin:early"));
      assert.match(text, /^HTTP\/1\.1 101 UPGRADED\r\n/);
      assert.match(text, /Content-Type: application\/vnd\.docker\.raw-stream\r\n/);
      assert.ok(text.includes(`body:${body}\n`));
    } finally {
      s.destroy();
    }
  });

  it("an upgrade request that fails before hijacking gets a normal error and the connection closes", async () => {
    const s = await rawConnect(sock);
    try {
      s.write(
        "POST /v1.12/containers/x/attach HTTP/1.1\r\nHost: api\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n",
      );
      const text = await readUntil(s, () => false).catch((e: Error) => e.message);
      assert.match(text, /HTTP\/1\.1 400 Bad Request/);
      assert.match(text, /too old/);
    } finally {
      s.destroy();
    }
  });

  it("a plain request is hijacked with 200 and an unframed body", async () => {
    const s = await rawConnect(sock);
    try {
      s.write("POST /containers/plain/attach?stream=1 HTTP/1.1\r\nHost: api\r\nContent-Length: 0\r\n\r\n");
      const text = await readUntil(s, (t) => t.includes("hello plain\n"));
      assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
      assert.match(text, /Content-Type: application\/vnd\.docker\.multiplexed-stream\r\n/);
      assert.doesNotMatch(text, /Transfer-Encoding/i);
      assert.ok(text.endsWith("\r\n\r\nhello plain\n"));
    } finally {
      s.destroy();
    }
  });

  it("ApiClient.hijack upgrades and exchanges bytes", async () => {
    const client = new ApiClient({ host: `unix://${sock}` });
    try {
      const conn = await client.hijack("POST", "/containers/cli/attach", { query: { stdin: true } });
      assert.equal(conn.contentType, "application/vnd.docker.multiplexed-stream");
      conn.socket.write("x");
      let text = "";
      await new Promise<void>((resolve) => {
        conn.socket.on("data", (b: Buffer) => {
          text += b.toString();
          if (text.includes("echo:x")) resolve();
        });
      });
      assert.ok(text.startsWith("hello cli\n"));
      conn.socket.destroy();
    } finally {
      client.close();
    }
  });
});
