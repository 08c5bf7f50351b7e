/** The DNS table (pure) and the server on 127.0.0.1 (a fake upstream on 127.0.0.1 too). */
import assert from "node:assert/strict";
import dgram from "node:dgram";
import net from "node:net";
import { after, test } from "node:test";
import type { DecodedPacket, Packet } from "dns-packet";
import * as dnsPacket from "dns-packet";
import { parseUpstream } from "./forward.js";
import { DnsServer } from "./server.js";
import { answerQuery, buildTable, containerDnsNames, ipFromReverse, RCODE } from "./table.js";

const closers: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of closers.reverse()) await c();
});

const CID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const table = buildTable([
  { ip: "198.19.0.2", names: containerDnsNames({ name: "/web", containerId: CID, aliases: ["app"] }) },
  { ip: "198.19.0.3", names: ["db", "app"] },
]);

const query = (name: string, type = "A", id = 7): DecodedPacket =>
  dnsPacket.decode(
    dnsPacket.encode({
      type: "query",
      id,
      flags: dnsPacket.RECURSION_DESIRED,
      questions: [{ type: type as "A", name }],
    }),
  );
const rcodeOf = (p: Packet) => (p.flags ?? 0) & 0xf;
const datas = (p: Packet) => (p.answers ?? []).map((x) => ("data" in x ? String(x.data) : ""));

test("containerDnsNames: name, aliases, short id", () => {
  assert.deepEqual(containerDnsNames({ name: "/web", containerId: CID, aliases: ["app", "web"] }), [
    "web",
    "app",
    "0123456789ab",
  ]);
});

test("answerQuery answers names, aliases and short ids, case-insensitively", () => {
  const a = answerQuery(table, query("WEB."))!;
  assert.equal(rcodeOf(a), RCODE.NOERROR);
  assert.deepEqual(datas(a), ["198.19.0.2"]);
  assert.equal(a.id, 7);
  assert.ok((a.flags ?? 0) & dnsPacket.AUTHORITATIVE_ANSWER);
  assert.ok((a.flags ?? 0) & dnsPacket.RECURSION_DESIRED);
  assert.deepEqual(datas(answerQuery(table, query("app"))!), ["198.19.0.2", "198.19.0.3"]);
  assert.deepEqual(datas(answerQuery(table, query("0123456789ab"))!), ["198.19.0.2"]);
});

test("answerQuery: AAAA of a known name is empty NOERROR, unknown names are forwarded", () => {
  const aaaa = answerQuery(table, query("web", "AAAA"))!;
  assert.equal(rcodeOf(aaaa), RCODE.NOERROR);
  assert.deepEqual(aaaa.answers, []);
  assert.equal(answerQuery(table, query("example.org")), undefined);
});

test("answerQuery answers PTR for addresses in the table", () => {
  assert.equal(ipFromReverse("2.0.19.198.in-addr.arpa."), "198.19.0.2");
  assert.equal(ipFromReverse("example.org"), undefined);
  const ptr = answerQuery(table, query("3.0.19.198.in-addr.arpa", "PTR"))!;
  assert.deepEqual(datas(ptr), ["db"]);
  assert.equal(answerQuery(table, query("9.0.19.198.in-addr.arpa", "PTR")), undefined);
});

test("parseUpstream forms", () => {
  assert.deepEqual(parseUpstream("127.0.0.1"), { host: "127.0.0.1", port: 53 });
  assert.deepEqual(parseUpstream("127.0.0.1:5353"), { host: "127.0.0.1", port: 5353 });
  assert.deepEqual(parseUpstream("[::1]:54"), { host: "::1", port: 54 });
  assert.throws(() => parseUpstream("dns.example"), /invalid DNS upstream/);
});

function udpAsk(port: number, name: string, type = "A"): Promise<DecodedPacket> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket("udp4");
    const timer = setTimeout(() => {
      s.close();
      reject(new Error("no DNS answer"));
    }, 5000);
    s.on("message", (m) => {
      clearTimeout(timer);
      s.close();
      resolve(dnsPacket.decode(m));
    });
    s.send(
      dnsPacket.encode({ type: "query", id: 42, questions: [{ type: type as "A", name }] }),
      port,
      "127.0.0.1",
    );
  });
}

function tcpAsk(port: number, name: string): Promise<DecodedPacket> {
  return new Promise((resolve, reject) => {
    const c = net.connect(port, "127.0.0.1");
    const timer = setTimeout(() => c.destroy(new Error("no DNS answer")), 5000);
    let buf = Buffer.alloc(0);
    c.on("connect", () =>
      c.write(dnsPacket.streamEncode({ type: "query", id: 9, questions: [{ type: "A", name }] })),
    );
    c.on("data", (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        clearTimeout(timer);
        c.destroy();
        resolve(dnsPacket.decode(buf.subarray(2)));
      }
    });
    c.on("error", reject);
  });
}

test("DnsServer answers over UDP and TCP, SERVFAIL without upstreams", async () => {
  const srv = await DnsServer.start({ address: "127.0.0.1", port: 0 });
  closers.push(() => srv.close());
  srv.setEntries([{ ip: "198.19.0.2", names: ["web"] }]);
  const a = await udpAsk(srv.port, "web");
  assert.deepEqual(datas(a), ["198.19.0.2"]);
  const t = await tcpAsk(srv.port, "web");
  assert.equal(t.id, 9);
  assert.deepEqual(datas(t), ["198.19.0.2"]);
  const miss = await udpAsk(srv.port, "example.org");
  assert.equal(rcodeOf(miss), RCODE.SERVFAIL);
  srv.setEntries([]);
  assert.equal(rcodeOf(await udpAsk(srv.port, "web")), RCODE.SERVFAIL);
});

test("DnsServer forwards unknown names to its upstream and relays the answer", async () => {
  const upstream = dgram.createSocket("udp4");
  upstream.on("message", (m, r) => {
    const q = dnsPacket.decode(m);
    const answer = dnsPacket.encode({
      type: "response",
      id: q.id,
      flags: dnsPacket.RECURSION_AVAILABLE,
      questions: q.questions,
      answers: [{ type: "A", name: q.questions![0]!.name, ttl: 5, data: "127.0.0.9" }],
    });
    upstream.send(answer, r.port, r.address);
  });
  await new Promise<void>((r) => upstream.bind(0, "127.0.0.1", () => r()));
  closers.push(() => new Promise<void>((r) => upstream.close(() => r())));
  const srv = await DnsServer.start({
    address: "127.0.0.1",
    port: 0,
    upstreams: [`127.0.0.1:${upstream.address().port}`],
    upstreamTimeoutMs: 1000,
  });
  closers.push(() => srv.close());
  const r = await udpAsk(srv.port, "elsewhere.test");
  assert.deepEqual(datas(r), ["127.0.0.9"]);
});

test("DnsServer answers SERVFAIL when the upstream is silent, within the timeout", async () => {
  const silent = dgram.createSocket("udp4");
  await new Promise<void>((r) => silent.bind(0, "127.0.0.1", () => r()));
  closers.push(() => new Promise<void>((r) => silent.close(() => r())));
  const srv = await DnsServer.start({
    address: "127.0.0.1",
    port: 0,
    upstreams: [`127.0.0.1:${silent.address().port}`],
    upstreamTimeoutMs: 200,
  });
  closers.push(() => srv.close());
  assert.equal(rcodeOf(await udpAsk(srv.port, "elsewhere.test")), RCODE.SERVFAIL);
});
