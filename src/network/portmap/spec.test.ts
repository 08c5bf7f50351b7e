import assert from "node:assert/strict";
import { test } from "node:test";
import {
  alreadyAllocated,
  candidatePorts,
  emptyAllocations,
  isAllocated,
  parsePortRange,
  releasePorts,
  reservePort,
} from "./allocator.js";
import { type PortRequest, parsePortSpec, publishAllRequests, requestsFromBindings } from "./spec.js";

const req = (over: Partial<PortRequest>): PortRequest => ({
  proto: "tcp",
  hostIp: "",
  hostPortStart: 0,
  hostPortEnd: 0,
  containerPort: 80,
  ...over,
});

test("parsePortSpec reads every -p form", () => {
  assert.deepEqual(parsePortSpec("80"), [req({})]);
  assert.deepEqual(parsePortSpec("8080:80"), [req({ hostPortStart: 8080, hostPortEnd: 8080 })]);
  assert.deepEqual(parsePortSpec("127.0.0.1:8080:80/udp"), [
    req({ proto: "udp", hostIp: "127.0.0.1", hostPortStart: 8080, hostPortEnd: 8080 }),
  ]);
  assert.deepEqual(parsePortSpec("127.0.0.1::80"), [req({ hostIp: "127.0.0.1" })]);
  assert.deepEqual(parsePortSpec("0.0.0.0:8000-8010:80"), [req({ hostPortStart: 8000, hostPortEnd: 8010 })]);
  assert.deepEqual(parsePortSpec("8000-8001:80-81"), [
    req({ hostPortStart: 8000, hostPortEnd: 8000 }),
    req({ hostPortStart: 8001, hostPortEnd: 8001, containerPort: 81 }),
  ]);
  assert.deepEqual(parsePortSpec("80-81/udp"), [
    req({ proto: "udp" }),
    req({ proto: "udp", containerPort: 81 }),
  ]);
});

test("parsePortSpec errors", () => {
  assert.throws(() => parsePortSpec("abc"), /invalid containerPort: abc/);
  assert.throws(() => parsePortSpec("x:80"), /invalid hostPort: x/);
  assert.throws(() => parsePortSpec("80/sctp"), /invalid proto: sctp/);
  assert.throws(() => parsePortSpec("8080:"), /No port specified/);
  assert.throws(() => parsePortSpec("1.2.3:80:80"), /invalid IP address: 1.2.3/);
  assert.throws(() => parsePortSpec("[::1]:80:80"), /IPv6 host address ::1 is not supported/);
  assert.throws(
    () => parsePortSpec("8000-8002:80-81"),
    /invalid ranges specified for container and host Ports/,
  );
  assert.throws(() => parsePortSpec("70000"), /invalid containerPort/);
});

test("requestsFromBindings reads HostConfig.PortBindings", () => {
  assert.deepEqual(
    requestsFromBindings({
      "80/tcp": [
        { HostIp: "", HostPort: "8080" },
        { HostIp: "127.0.0.1", HostPort: "" },
      ],
      "53/udp": null,
    }),
    [
      req({ hostPortStart: 8080, hostPortEnd: 8080 }),
      req({ hostIp: "127.0.0.1" }),
      req({ proto: "udp", containerPort: 53 }),
    ],
  );
});

test("publishAllRequests adds dynamic ports for exposed ports not bound yet", () => {
  const bound = parsePortSpec("8080:80");
  assert.deepEqual(publishAllRequests(["80/tcp", "443/tcp", "53/udp"], bound), [
    req({ containerPort: 443 }),
    req({ proto: "udp", containerPort: 53 }),
  ]);
});

test("allocator: a fixed port twice gives Docker's message", () => {
  let s = emptyAllocations();
  assert.deepEqual(candidatePorts(s, req({ hostPortStart: 8080, hostPortEnd: 8080 })), [8080]);
  s = reservePort(s, { proto: "tcp", hostIp: "", hostPort: 8080, containerPort: 80 }, false);
  assert.throws(
    () => candidatePorts(s, req({ hostPortStart: 8080, hostPortEnd: 8080 })),
    (e: Error) => e.message === "Bind for 0.0.0.0:8080 failed: port is already allocated",
  );
  assert.throws(
    () => candidatePorts(s, req({ hostIp: "127.0.0.1", hostPortStart: 8080, hostPortEnd: 8080 })),
    /Bind for 127.0.0.1:8080 failed/,
  );
  assert.deepEqual(candidatePorts(s, req({ proto: "udp", hostPortStart: 8080, hostPortEnd: 8080 })), [8080]);
});

test("allocator: specific addresses coexist, the wildcard conflicts with both", () => {
  let s = emptyAllocations();
  s = reservePort(s, { proto: "tcp", hostIp: "127.0.0.1", hostPort: 80, containerPort: 80 }, false);
  assert.ok(!isAllocated(s, "tcp", "127.0.0.2", 80));
  assert.ok(isAllocated(s, "tcp", "", 80));
  s = releasePorts(s, [{ proto: "tcp", hostIp: "127.0.0.1", hostPort: 80, containerPort: 1 }]);
  assert.deepEqual(s.entries, []);
});

test("allocator: dynamic ports scan on from the last one and wrap", () => {
  const range = { start: 40000, end: 40003 };
  let s = emptyAllocations();
  assert.deepEqual(candidatePorts(s, req({}), range), [40000, 40001, 40002, 40003]);
  s = reservePort(s, { proto: "tcp", hostIp: "", hostPort: 40001, containerPort: 80 }, true);
  assert.deepEqual(candidatePorts(s, req({}), range), [40002, 40003, 40000]);
  assert.deepEqual(candidatePorts(s, req({}), range, 2), [40002, 40003]);
  for (const p of [40000, 40002, 40003])
    s = reservePort(s, { proto: "tcp", hostIp: "", hostPort: p, containerPort: 80 }, true);
  assert.throws(() => candidatePorts(s, req({}), range), /all ports are allocated/);
  assert.throws(
    () => candidatePorts(s, req({ hostPortStart: 40000, hostPortEnd: 40003 })),
    /Bind for 0.0.0.0:40000-40003 failed: port is already allocated/,
  );
});

test("parsePortRange reads ip_local_port_range", () => {
  assert.deepEqual(parsePortRange("32768\t60999\n"), { start: 32768, end: 60999 });
  assert.throws(() => parsePortRange("x"), /invalid port range/);
  assert.equal(alreadyAllocated("", 1).kind, "conflict");
});
