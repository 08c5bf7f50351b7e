import assert from "node:assert/strict";
import { test } from "node:test";
import { endpointsFor, inCidr, isInsecure, normalizeMirrors, type RegistrySettings } from "./hosts.js";

const none: RegistrySettings = { insecure: [], mirrors: {} };

test("isInsecure: loopback and localhost by default, others only when listed", () => {
  assert.equal(isInsecure(none, "127.0.0.1:5000"), true);
  assert.equal(isInsecure(none, "127.3.4.5"), true);
  assert.equal(isInsecure(none, "localhost:5000"), true);
  assert.equal(isInsecure(none, "[::1]:5000"), true);
  assert.equal(isInsecure(none, "reg.example:5000"), false);
  assert.equal(isInsecure(none, "10.1.2.3:5000"), false);
  const s: RegistrySettings = { insecure: ["reg.example:5000", "10.0.0.0/8"], mirrors: {} };
  assert.equal(isInsecure(s, "reg.example:5000"), true);
  assert.equal(isInsecure(s, "reg.example:443"), false);
  assert.equal(isInsecure(s, "10.1.2.3:5000"), true);
  assert.equal(isInsecure(s, "11.1.2.3:5000"), false);
});

test("inCidr handles IPv4 and IPv6 prefixes and refuses malformed ones", () => {
  assert.equal(inCidr("192.168.1.7", "192.168.0.0/16"), true);
  assert.equal(inCidr("192.169.1.7", "192.168.0.0/16"), false);
  assert.equal(inCidr("fd00::5", "fd00::/8"), true);
  assert.equal(inCidr("fe80::1", "fd00::/8"), false);
  assert.equal(inCidr("1.2.3.4", "1.2.3.4"), false);
  assert.equal(inCidr("1.2.3.4", "1.2.3.0/33"), false);
});

test("endpointsFor: docker.io goes to registry-1, mirrors first for pulls only", () => {
  const s: RegistrySettings = {
    insecure: [],
    mirrors: { "docker.io": ["https://m.example"], "127.0.0.1:5000": ["http://127.0.0.1:5001"] },
  };
  assert.deepEqual(
    endpointsFor(s, "docker.io", "pull").map((e) => [e.host, e.schemes.join("+"), e.mirror]),
    [
      ["m.example", "https", true],
      ["registry-1.docker.io", "https", false],
    ],
  );
  assert.deepEqual(
    endpointsFor(s, "127.0.0.1:5000", "pull").map((e) => [e.host, e.schemes.join("+")]),
    [
      ["127.0.0.1:5001", "http"],
      ["127.0.0.1:5000", "https+http"],
    ],
  );
  assert.deepEqual(
    endpointsFor(s, "127.0.0.1:5000", "push").map((e) => e.host),
    ["127.0.0.1:5000"],
  );
});

test("normalizeMirrors accepts Docker's list and berth's map, refuses the rest", () => {
  assert.deepEqual(normalizeMirrors(["https://m.example/"]), { "docker.io": ["https://m.example"] });
  assert.deepEqual(normalizeMirrors({ "index.docker.io": ["http://a:1"], "r:5000": [] }), {
    "docker.io": ["http://a:1"],
    "r:5000": [],
  });
  assert.equal(normalizeMirrors(["ftp://x"]), undefined);
  assert.equal(normalizeMirrors({ a: "http://x" }), undefined);
  assert.equal(normalizeMirrors("http://x"), undefined);
});
