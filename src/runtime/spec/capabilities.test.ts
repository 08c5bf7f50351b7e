import assert from "node:assert/strict";
import { test } from "node:test";
import {
  capabilitiesFromMask,
  DEFAULT_CAPABILITIES,
  KNOWN_CAPABILITIES,
  normalizeCapabilities,
  resolveCapabilities,
} from "./capabilities.js";

const none = { capAdd: [], capDrop: [], privileged: false };

test("capabilitiesFromMask decodes a CapBnd mask", () => {
  assert.deepEqual(capabilitiesFromMask("00000000a80425fb"), [...DEFAULT_CAPABILITIES].sort(byBit));
  const host = capabilitiesFromMask("000001fffeffffff");
  assert.equal(host.length, KNOWN_CAPABILITIES.length - 1);
  assert.ok(!host.includes("CAP_SYS_RESOURCE"));
  assert.throws(() => capabilitiesFromMask("xyz"), { kind: "invalid-argument" });
});

function byBit(a: string, b: string): number {
  return KNOWN_CAPABILITIES.indexOf(a) - KNOWN_CAPABILITIES.indexOf(b);
}

test("normalizeCapabilities accepts any case, with or without CAP_, and ALL", () => {
  assert.deepEqual(normalizeCapabilities(["net_admin", "CAP_SYS_ADMIN", "Cap_Kill", "all"]), [
    "CAP_NET_ADMIN",
    "CAP_SYS_ADMIN",
    "CAP_KILL",
    "ALL",
  ]);
});

test("normalizeCapabilities rejects unknown and unavailable capabilities", () => {
  assert.throws(() => normalizeCapabilities(["FOO"]), {
    kind: "invalid-argument",
    message: 'unknown capability: "CAP_FOO"',
  });
  assert.throws(() => normalizeCapabilities(["SYS_RESOURCE"], ["CAP_KILL"]), {
    message: /not available in the current environment: "CAP_SYS_RESOURCE"/,
  });
});

test("resolveCapabilities returns Docker's defaults without changes", () => {
  assert.deepEqual(resolveCapabilities(none), [...DEFAULT_CAPABILITIES]);
});

test("resolveCapabilities drops then adds", () => {
  const caps = resolveCapabilities({ ...none, capAdd: ["NET_ADMIN", "chown"], capDrop: ["chown", "mknod"] });
  assert.ok(caps.includes("CAP_NET_ADMIN"));
  assert.ok(caps.includes("CAP_CHOWN"), "an add wins over a drop of the same capability");
  assert.ok(!caps.includes("CAP_MKNOD"));
  assert.equal(new Set(caps).size, caps.length);
});

test("resolveCapabilities handles ALL in add and drop", () => {
  assert.deepEqual(resolveCapabilities({ ...none, capDrop: ["ALL"], capAdd: ["kill"] }), ["CAP_KILL"]);
  assert.deepEqual(resolveCapabilities({ ...none, capDrop: ["ALL"] }), []);
  const all = resolveCapabilities({ ...none, capAdd: ["ALL"], capDrop: ["SYS_ADMIN"] });
  assert.equal(all.length, KNOWN_CAPABILITIES.length - 1);
  assert.ok(!all.includes("CAP_SYS_ADMIN"));
});

test("resolveCapabilities gives privileged containers every available capability", () => {
  const available = capabilitiesFromMask("000001fffeffffff");
  assert.deepEqual(resolveCapabilities({ ...none, privileged: true, available }), available);
  assert.deepEqual(resolveCapabilities({ ...none, privileged: true }), [...KNOWN_CAPABILITIES]);
});

test("resolveCapabilities tolerates dropping an unavailable capability but not adding one", () => {
  const available = capabilitiesFromMask("000001fffeffffff");
  assert.deepEqual(resolveCapabilities({ ...none, capDrop: ["SYS_RESOURCE"], available }), [
    ...DEFAULT_CAPABILITIES,
  ]);
  assert.throws(() => resolveCapabilities({ ...none, capAdd: ["SYS_RESOURCE"], available }), {
    kind: "invalid-argument",
  });
});
