import assert from "node:assert/strict";
import { test } from "node:test";
import { allocateAddress, newNetworkAddresses, releaseAddress } from "./addresses.js";
import { formatIpv4, overlaps, parseIpv4, parsePrefix, tryParseCidr } from "./ipv4.js";
import { allocateSubnet, checkSubnetFree, DEFAULT_POOLS, routeDestinations, validatePools } from "./pools.js";
import { ipamConfigErrors, validateIpamConfig } from "./validate.js";

test("ipv4 parses, formats and compares prefixes", () => {
  assert.equal(formatIpv4(parseIpv4("198.19.255.1")), "198.19.255.1");
  assert.equal(tryParseCidr("198.19.0.0/33"), undefined);
  assert.equal(tryParseCidr("1.2.3/8"), undefined);
  assert.deepEqual(parsePrefix("198.19.3.7/16"), { base: parseIpv4("198.19.0.0"), bits: 16 });
  assert.ok(overlaps(parsePrefix("198.19.0.0/16"), parsePrefix("198.19.4.0/24")));
  assert.ok(!overlaps(parsePrefix("198.19.0.0/24"), parsePrefix("198.19.1.0/24")));
  assert.throws(() => parseIpv4("256.0.0.1"), /invalid IPv4 address/);
});

test("allocateSubnet takes the first /24 of the pool that nothing uses", () => {
  assert.equal(allocateSubnet(DEFAULT_POOLS, []), "198.19.0.0/24");
  assert.equal(allocateSubnet(DEFAULT_POOLS, ["198.19.0.0/24", "198.19.2.0/24"]), "198.19.1.0/24");
});

test("allocateSubnet skips host routes but not the default route", () => {
  const routes = ["0.0.0.0/0", "198.19.0.0/23", "198.19.2.128/25"];
  assert.equal(allocateSubnet(DEFAULT_POOLS, [], routes), "198.19.3.0/24");
});

test("allocateSubnet jumps over a large blocker and falls through to the next pool", () => {
  const pools = [
    { base: "198.19.0.0/22", size: 24 },
    { base: "198.18.128.0/17", size: 26 },
  ];
  assert.equal(allocateSubnet(pools, ["198.19.0.0/22"]), "198.18.128.0/26");
  assert.equal(allocateSubnet(pools, ["198.19.0.0/22"], ["198.18.128.0/25"]), "198.18.128.128/26");
  assert.throws(
    () => allocateSubnet([{ base: "198.19.0.0/24", size: 24 }], ["198.19.0.0/16"]),
    (e: Error & { kind?: string }) =>
      e.message === "all predefined address pools have been fully subnetted" &&
      e.kind === "permission-denied",
  );
});

test("allocateSubnet is quick on a huge pool full of small blockers", () => {
  const used = Array.from({ length: 2000 }, (_, i) => `198.19.${i % 256}.${(i >> 8) * 4}/30`);
  assert.equal(allocateSubnet([{ base: "198.18.0.0/15", size: 30 }], used), "198.18.0.0/30");
  assert.equal(allocateSubnet([{ base: "198.19.0.0/16", size: 30 }], used), "198.19.0.32/30");
});

test("validatePools refuses sizes outside the base", () => {
  assert.throws(() => validatePools([{ base: "198.19.0.0/16", size: 8 }]), /must be between \/16 and \/30/);
  assert.throws(() => validatePools([{ base: "nope", size: 24 }]), /invalid CIDR address: nope/);
  validatePools(DEFAULT_POOLS);
});

test("checkSubnetFree uses Docker's overlap message", () => {
  checkSubnetFree("198.19.1.0/24", ["198.19.0.0/24"]);
  assert.throws(
    () => checkSubnetFree("198.19.0.128/25", ["198.19.0.0/24"]),
    /^BerthError: invalid pool request: Pool overlaps with other one on this address space$/,
  );
});

test("routeDestinations reads ip -j route output", () => {
  const json = [
    { dst: "default", gateway: "192.0.2.1" },
    { dst: "192.0.2.0/24", dev: "eth0" },
    { dst: "203.0.113.9", dev: "tun0" },
  ];
  assert.deepEqual(routeDestinations(json), ["192.0.2.0/24", "203.0.113.9/32"]);
});

test("validateIpamConfig fills in the gateway and keeps the ip-range", () => {
  assert.deepEqual(validateIpamConfig({ subnet: "198.19.7.0/24" }), {
    subnet: "198.19.7.0/24",
    gateway: "198.19.7.1",
  });
  assert.deepEqual(
    validateIpamConfig({ subnet: "198.19.7.0/24", gateway: "198.19.7.254", ipRange: "198.19.7.128/25" }),
    {
      subnet: "198.19.7.0/24",
      gateway: "198.19.7.254",
      ipRange: "198.19.7.128/25",
    },
  );
});

test("ipamConfigErrors words each problem as Docker does", () => {
  assert.deepEqual(ipamConfigErrors({ subnet: "198.19.0.0/33" }), [
    "invalid subnet 198.19.0.0/33: invalid CIDR block notation",
  ]);
  assert.deepEqual(ipamConfigErrors({ subnet: "198.19.0.1/24", gateway: "10.0.0.1" }), [
    "invalid subnet 198.19.0.1/24: it should be 198.19.0.0/24",
    "invalid gateway 10.0.0.1: parent subnet 198.19.0.0/24 doesn't contain this address",
  ]);
  assert.deepEqual(ipamConfigErrors({ subnet: "198.19.0.0/24", ipRange: "198.19.1.0/23" }), [
    "invalid ip-range 198.19.1.0/23: CIDR block is bigger than its parent subnet 198.19.0.0/24",
    "invalid ip-range 198.19.1.0/23: it should be 198.19.0.0/23",
  ]);
  assert.deepEqual(ipamConfigErrors({ subnet: "198.19.0.0/24", ipRange: "198.19.1.0/25", gateway: "x" }), [
    "invalid ip-range 198.19.1.0/25: parent subnet 198.19.0.0/24 doesn't contain ip-range",
    "invalid gateway x: invalid address",
  ]);
});

test("validateIpamConfig throws invalid-argument with Docker's heading", () => {
  assert.throws(
    () => validateIpamConfig({ subnet: "198.19.0.0/24", gateway: "198.20.0.1" }),
    (e: Error & { kind?: string }) =>
      e.kind === "invalid-argument" &&
      e.message ===
        "invalid network config:\ninvalid gateway 198.20.0.1: parent subnet 198.19.0.0/24 doesn't contain this address",
  );
});

test("allocateAddress hands out the lowest free address after the gateway, then reuses released ones", () => {
  let s = newNetworkAddresses(validateIpamConfig({ subnet: "198.19.0.0/24" }));
  const a = allocateAddress(s);
  assert.equal(a.ip, "198.19.0.2");
  const b = allocateAddress(a.state);
  assert.equal(b.ip, "198.19.0.3");
  s = releaseAddress(b.state, "198.19.0.2");
  assert.deepEqual(s.allocated, ["198.19.0.3"]);
  assert.equal(allocateAddress(s).ip, "198.19.0.2");
  assert.equal(releaseAddress(s, "198.19.0.99"), s);
  assert.deepEqual(JSON.parse(JSON.stringify(s)), s);
});

test("allocateAddress uses the ip-range but honours --ip anywhere in the subnet", () => {
  const s = newNetworkAddresses(validateIpamConfig({ subnet: "198.19.0.0/24", ipRange: "198.19.0.128/30" }));
  const a = allocateAddress(s);
  assert.equal(a.ip, "198.19.0.128");
  const fixed = allocateAddress(a.state, "198.19.0.10");
  assert.equal(fixed.ip, "198.19.0.10");
  assert.deepEqual(fixed.state.allocated, ["198.19.0.10", "198.19.0.128"]);
  let st = fixed.state;
  for (const want of ["198.19.0.129", "198.19.0.130", "198.19.0.131"]) {
    const r = allocateAddress(st);
    assert.equal(r.ip, want);
    st = r.state;
  }
  assert.throws(() => allocateAddress(st), /No available addresses on this pool/);
});

test("allocateAddress refuses taken, reserved and foreign addresses", () => {
  const s = newNetworkAddresses(validateIpamConfig({ subnet: "198.19.0.0/24" }));
  const a = allocateAddress(s, "198.19.0.5");
  assert.throws(() => allocateAddress(a.state, "198.19.0.5"), /^BerthError: Address already in use$/);
  assert.throws(() => allocateAddress(s, "198.19.0.1"), /Address already in use/);
  assert.throws(() => allocateAddress(s, "198.19.0.255"), /Address already in use/);
  assert.throws(
    () => allocateAddress(s, "198.19.1.5"),
    /^BerthError: Invalid address 198.19.1.5: It does not belong to any of this network's subnets$/,
  );
});
