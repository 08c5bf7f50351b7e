import assert from "node:assert/strict";
import { test } from "node:test";
import {
  parseBlkioV1,
  parseFlatKeyed,
  parseIoStat,
  parseLimit,
  parseNetDev,
  parseNumberList,
  parseProcStat,
  parseUint,
} from "./parse.js";

test("parseFlatKeyed reads key/value lines and skips the rest", () => {
  assert.deepEqual(parseFlatKeyed("cache 1785856\nrss 53248\n\nbogus line here\nx y\n"), {
    cache: 1785856,
    rss: 53248,
  });
  assert.deepEqual(parseFlatKeyed("oom_kill_disable 0\nunder_oom 0\noom_kill 2\n").oom_kill, 2);
});

test("parseLimit treats max and v1's no-limit value as unlimited", () => {
  assert.equal(parseLimit("max\n"), undefined);
  assert.equal(parseLimit("9223372036854771712\n"), undefined);
  assert.equal(parseLimit("10485760\n"), 10485760);
  assert.equal(parseLimit(""), undefined);
  assert.equal(parseUint("42\n"), 42);
  assert.equal(parseUint("garbage"), 0);
});

test("parseNumberList reads cpuacct.usage_percpu", () => {
  assert.deepEqual(parseNumberList("4670887 36171941 \n"), [4670887, 36171941]);
  assert.deepEqual(parseNumberList(""), []);
});

test("parseBlkioV1 keeps device lines and drops Total", () => {
  const text = "8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 0\n8:0 Async 12288\n8:0 Total 12288\nTotal 12288\n";
  assert.deepEqual(parseBlkioV1(text).slice(0, 2), [
    { major: 8, minor: 0, op: "Read", value: 4096 },
    { major: 8, minor: 0, op: "Write", value: 8192 },
  ]);
  assert.equal(parseBlkioV1(text).length, 5);
  assert.deepEqual(parseBlkioV1("Total 0\n"), []);
});

test("parseIoStat gives Docker's v2 read/write entries", () => {
  const r = parseIoStat("254:0 rbytes=1024 wbytes=2048 rios=3 wios=4 dbytes=0 dios=0\n");
  assert.deepEqual(r.bytes, [
    { major: 254, minor: 0, op: "read", value: 1024 },
    { major: 254, minor: 0, op: "write", value: 2048 },
  ]);
  assert.deepEqual(r.ios[1], { major: 254, minor: 0, op: "write", value: 4 });
});

test("parseProcStat sums the first eight cpu fields and counts cpus", () => {
  const text =
    "cpu  100 0 50 800 10 0 5 35 7 0\ncpu0 50 0 25 400 5 0 2 18 0 0\ncpu1 50 0 25 400 5 0 3 17 0 0\nintr 1\n";
  assert.deepEqual(parseProcStat(text), { systemNs: 1000 * 1e7, onlineCpus: 2 });
});

test("parseNetDev reads counters per interface", () => {
  const text = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0
  eth0:    1500      10    1    2    0     0          0         0      900       6    0    3    0     0       0          0
`;
  const r = parseNetDev(text);
  assert.deepEqual(Object.keys(r), ["lo", "eth0"]);
  assert.deepEqual(r.eth0, {
    rx_bytes: 1500,
    rx_packets: 10,
    rx_errors: 1,
    rx_dropped: 2,
    tx_bytes: 900,
    tx_packets: 6,
    tx_errors: 0,
    tx_dropped: 3,
  });
});
