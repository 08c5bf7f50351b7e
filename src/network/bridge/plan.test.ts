import assert from "node:assert/strict";
import { test } from "node:test";
import { RecordingRunner } from "../../lib/exec.js";
import { formatPlan } from "../plan.js";
import type { BridgeNetwork } from "../types.js";
import { connectEndpoint, createNetns, ensureNetwork, hostRoutes } from "./driver.js";
import { bridgeName, macAddress, parseAlias, vethName } from "./names.js";
import { planNetnsCreate, planNetnsRemove } from "./netns.js";
import {
  makeEndpoint,
  planEndpoint,
  planEndpointTeardown,
  planNetwork,
  planNetworkTeardown,
} from "./plan.js";

const NET_ID = "3f6c0a1b2c3d4e5f60718293a4b5c6d7e8f90123456789abcdef0123456789ab";
const CTR_ID = "9e8d7c6b5a49382716050f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3d4e5f6";
const net: BridgeNetwork = {
  id: NET_ID,
  name: "web",
  bridge: bridgeName(NET_ID),
  subnet: "198.19.4.0/24",
  gateway: "198.19.4.1",
};

test("bridgeName follows Docker: berth0 for the default, br-<12 hex> otherwise", () => {
  assert.equal(bridgeName(NET_ID, true), "berth0");
  assert.equal(bridgeName(NET_ID), "br-3f6c0a1b2c3d");
  assert.throws(() => bridgeName("Web"), /invalid network id/);
});

test("vethName is stable, 15 characters at most, and differs per endpoint", () => {
  const v = vethName(NET_ID, CTR_ID);
  assert.match(v, /^veth[0-9a-f]{11}$/);
  assert.equal(v, vethName(NET_ID, CTR_ID));
  assert.notEqual(v, vethName(NET_ID, `${CTR_ID.slice(1)}0`));
});

test("macAddress is 02:42 and the address bytes", () => {
  assert.equal(macAddress("198.19.4.2"), "02:42:c6:13:04:02");
});

test("parseAlias reads berth's tags and ignores everyone else's", () => {
  assert.deepEqual(parseAlias("berth", `berth:net:${NET_ID}`), { kind: "network", networkId: NET_ID });
  assert.deepEqual(parseAlias("berth", "berth:ep:n1:c1"), {
    kind: "endpoint",
    networkId: "n1",
    containerId: "c1",
  });
  assert.equal(parseAlias("berth", "berthtest:net:n1"), undefined);
  assert.equal(parseAlias("berth", "docker0"), undefined);
  assert.equal(parseAlias("berth", undefined), undefined);
});

test("planNetwork: bridge, owner tag, per-bridge netfilter, gateway address, up", () => {
  assert.equal(
    formatPlan(planNetwork({ ...net, mtu: 1400 })),
    [
      "ip link add name br-3f6c0a1b2c3d mtu 1400 type bridge",
      "ip link set dev br-3f6c0a1b2c3d type bridge nf_call_iptables 1",
      `ip link set dev br-3f6c0a1b2c3d alias berth:net:${NET_ID}`,
      "ip addr replace 198.19.4.1/24 dev br-3f6c0a1b2c3d",
      "ip link set dev br-3f6c0a1b2c3d up",
    ].join("\n"),
  );
  assert.equal(formatPlan(planNetworkTeardown(net)), "-ip link del dev br-3f6c0a1b2c3d");
});

test("planEndpoint: veth with its peer born in the netns, then one ip -batch inside", () => {
  const ep = makeEndpoint(net, {
    containerId: CTR_ID,
    netns: `/run/berth/netns/${CTR_ID}`,
    ip: "198.19.4.2",
  });
  const plan = planEndpoint(net, ep);
  const veth = vethName(NET_ID, CTR_ID);
  assert.equal(
    formatPlan(plan),
    [
      `ip link add name ${veth} type veth peer name eth0 netns /run/berth/netns/${CTR_ID}`,
      `ip link set dev ${veth} alias berth:ep:${NET_ID}:${CTR_ID} master br-3f6c0a1b2c3d up`,
      `nsenter --net=/run/berth/netns/${CTR_ID} ip -batch - <<input`,
    ].join("\n"),
  );
  assert.equal(
    plan[2]!.input,
    [
      "link set dev eth0 address 02:42:c6:13:04:02",
      "addr add 198.19.4.2/24 dev eth0",
      "link set dev eth0 up",
      "link set dev lo up",
      "route add default via 198.19.4.1 dev eth0",
      "",
    ].join("\n"),
  );
  assert.equal(formatPlan(planEndpointTeardown(ep)), `-ip link del dev ${veth}`);
});

test("planEndpoint: no default route on internal networks or for a second network", () => {
  const ep = makeEndpoint(net, { containerId: CTR_ID, netns: "/ns", ip: "198.19.4.9", ifName: "eth1" });
  assert.doesNotMatch(planEndpoint({ ...net, internal: true }, ep)[2]!.input!, /route/);
  const second = makeEndpoint(net, {
    containerId: CTR_ID,
    netns: "/ns",
    ip: "198.19.4.9",
    defaultRoute: false,
  });
  assert.doesNotMatch(planEndpoint(net, second)[2]!.input!, /route/);
});

test("netns plans: create with unshare onto a file, remove tolerating absence", () => {
  assert.equal(
    formatPlan(planNetnsCreate("/run/berth/netns/abc")),
    "mkdir -p /run/berth/netns\ntouch /run/berth/netns/abc\nunshare --net=/run/berth/netns/abc true",
  );
  assert.equal(
    formatPlan(planNetnsRemove("/run/berth/netns/abc")),
    "-umount /run/berth/netns/abc\n-rm -f /run/berth/netns/abc",
  );
});

test("ensureNetwork only configures a bridge that already exists", async () => {
  const fresh = new RecordingRunner((argv) =>
    argv.includes("show") ? { code: 1, stderr: "does not exist" } : {},
  );
  await ensureNetwork(fresh, net);
  assert.equal(fresh.calls.length, 6);
  assert.deepEqual(fresh.calls[1], ["ip", "link", "add", "name", "br-3f6c0a1b2c3d", "type", "bridge"]);
  const existing = new RecordingRunner();
  await ensureNetwork(existing, net);
  assert.ok(!existing.calls.some((c) => c.includes("add") && c.includes("link")));
  assert.equal(existing.calls.length, 5);
});

test("connectEndpoint removes the veth pair when a later step fails", async () => {
  const ep = makeEndpoint(net, { containerId: CTR_ID, netns: "/ns", ip: "198.19.4.2" });
  const r = new RecordingRunner((argv) =>
    argv[0] === "nsenter" ? { code: 2, stderr: "RTNETLINK answers: File exists" } : {},
  );
  await assert.rejects(connectEndpoint(r, net, ep), /network setup failed: nsenter .* File exists/);
  assert.deepEqual(r.calls.at(-1), ["ip", "link", "del", "dev", ep.hostVeth]);
});

test("createNetns cleans up the file when unshare fails", async () => {
  const r = new RecordingRunner((argv) => (argv[0] === "unshare" ? { code: 1 } : {}));
  await assert.rejects(createNetns(r, "/run/berth/netns/x"));
  assert.deepEqual(r.calls.slice(-2), [
    ["umount", "/run/berth/netns/x"],
    ["rm", "-f", "/run/berth/netns/x"],
  ]);
});

test("hostRoutes reads the main table", async () => {
  const r = new RecordingRunner(() => ({
    stdout: JSON.stringify([{ dst: "default" }, { dst: "192.0.2.0/24" }]),
  }));
  assert.deepEqual(await hostRoutes(r), ["192.0.2.0/24"]);
  assert.deepEqual(r.calls, [["ip", "-j", "-4", "route", "show"]]);
});
