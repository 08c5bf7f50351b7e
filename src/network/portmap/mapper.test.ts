/** The mapper and proxy against real sockets, on 127.0.0.1 only. */
import assert from "node:assert/strict";
import dgram from "node:dgram";
import net from "node:net";
import { after, test } from "node:test";
import { isPortFree, PortMapper } from "./mapper.js";
import { startProxy } from "./proxy.js";
import { parsePortSpec } from "./spec.js";

const closers: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const c of closers.reverse()) await c();
});

function tcpEcho(): Promise<number> {
  const server = net.createServer((s) => {
    s.on("error", () => {});
    s.on("data", (d) => s.write(`echo:${d}`));
    s.on("end", () => s.end());
  });
  closers.push(() => new Promise<void>((r) => server.close(() => r())));
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)),
  );
}

function udpEcho(): Promise<number> {
  const s = dgram.createSocket("udp4");
  s.on("message", (m, r) => s.send(Buffer.from(`echo:${m}`), r.port, r.address));
  closers.push(() => new Promise<void>((r) => s.close(() => r())));
  return new Promise((resolve) => s.bind(0, "127.0.0.1", () => resolve(s.address().port)));
}

function tcpRoundTrip(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = net.connect(port, "127.0.0.1");
    const timer = setTimeout(() => c.destroy(new Error("timeout")), 3000);
    let got = "";
    c.on("connect", () => c.end(text));
    c.on("data", (d) => {
      got += d;
    });
    c.on("close", () => {
      clearTimeout(timer);
      resolve(got);
    });
    c.on("error", reject);
  });
}

function udpRoundTrip(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = dgram.createSocket("udp4");
    const timer = setTimeout(() => {
      c.close();
      reject(new Error("timeout"));
    }, 3000);
    c.on("message", (m) => {
      clearTimeout(timer);
      c.close();
      resolve(m.toString());
    });
    c.send(text, port, "127.0.0.1");
  });
}

/** A free port on 127.0.0.1 chosen by the kernel. */
async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

test("startProxy relays TCP with half-close and UDP datagrams", async () => {
  const tcpTarget = await tcpEcho();
  const udpTarget = await udpEcho();
  const tp = await startProxy({
    proto: "tcp",
    listenIp: "127.0.0.1",
    listenPort: 0,
    targetIp: "127.0.0.1",
    targetPort: tcpTarget,
  });
  closers.push(() => tp.close());
  const tport = await freePort();
  const tcp = await startProxy({
    proto: "tcp",
    listenIp: "127.0.0.1",
    listenPort: tport,
    targetIp: "127.0.0.1",
    targetPort: tcpTarget,
  });
  closers.push(() => tcp.close());
  assert.equal(await tcpRoundTrip(tport, "hi"), "echo:hi");
  const uport = await freePort();
  const udp = await startProxy({
    proto: "udp",
    listenIp: "127.0.0.1",
    listenPort: uport,
    targetIp: "127.0.0.1",
    targetPort: udpTarget,
  });
  closers.push(() => udp.close());
  assert.equal(await udpRoundTrip(uport, "ping"), "echo:ping");
});

test("a TCP client of a dead target is closed promptly", async () => {
  const dead = await freePort();
  const port = await freePort();
  const p = await startProxy({
    proto: "tcp",
    listenIp: "127.0.0.1",
    listenPort: port,
    targetIp: "127.0.0.1",
    targetPort: dead,
  });
  closers.push(() => p.close());
  assert.equal(await tcpRoundTrip(port, "x"), "");
});

test("isPortFree sees a port held by another socket", async () => {
  const port = await freePort();
  assert.equal(await isPortFree("tcp", "127.0.0.1", port), true);
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(port, "127.0.0.1", () => r()));
  assert.equal(await isPortFree("tcp", "127.0.0.1", port), false);
  await new Promise<void>((r) => s.close(() => r()));
});

test("PortMapper maps, proxies, refuses a held port, and unmaps", async () => {
  const target = await tcpEcho();
  const mapper = new PortMapper();
  closers.push(() => mapper.close());
  const port = await freePort();
  const [m] = await mapper.map("127.0.0.1", parsePortSpec(`127.0.0.1:${port}:${target}`));
  assert.deepEqual(m, { proto: "tcp", hostIp: "127.0.0.1", hostPort: port, containerPort: target });
  assert.equal(await tcpRoundTrip(port, "via"), "echo:via");
  await assert.rejects(
    mapper.map("127.0.0.1", parsePortSpec(`127.0.0.1:${port}:80`)),
    (e: Error) => e.message === `Bind for 127.0.0.1:${port} failed: port is already allocated`,
  );
  await mapper.unmap([m!]);
  assert.deepEqual(mapper.state.entries, []);
  assert.equal(await isPortFree("tcp", "127.0.0.1", port), true);
});

test("PortMapper: a port another process holds fails with the userland-proxy message", async () => {
  const port = await freePort();
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(port, "127.0.0.1", () => r()));
  closers.push(() => new Promise<void>((r) => s.close(() => r())));
  const mapper = new PortMapper({ noProxy: true });
  await assert.rejects(
    mapper.map("198.19.0.2", parsePortSpec(`127.0.0.1:${port}:80`)),
    new RegExp(`Error starting userland proxy: listen tcp4 127.0.0.1:${port}: bind: address already in use`),
  );
  assert.deepEqual(mapper.state.entries, []);
});

test("PortMapper: dynamic ports skip busy ones, all-or-nothing on failure", async () => {
  const busy = new Set([41000, 41001]);
  const mapper = new PortMapper({
    noProxy: true,
    range: { start: 41000, end: 41009 },
    isFree: async (_p, _ip, port) => !busy.has(port),
  });
  const ms = await mapper.map("198.19.0.2", [...parsePortSpec("80"), ...parsePortSpec("81")]);
  assert.deepEqual(
    ms.map((m) => m.hostPort),
    [41002, 41003],
  );
  busy.add(41005);
  await assert.rejects(mapper.map("198.19.0.3", [...parsePortSpec("90"), ...parsePortSpec("41005:91")]));
  assert.deepEqual(
    mapper.state.entries.map((e) => e.hostPort),
    [41002, 41003],
  );
});
