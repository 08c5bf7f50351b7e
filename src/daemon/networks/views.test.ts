import assert from "node:assert/strict";
import { test } from "node:test";
import type { NetworkRecord } from "./record.js";
import { baseNetwork, matchesFilters, userNetwork, withContainers } from "./views.js";

const rec: NetworkRecord = {
  schemaVersion: 1,
  id: "a".repeat(64),
  name: "front",
  created: "2026-01-01T00:00:00.000Z",
  driver: "bridge",
  internal: true,
  attachable: false,
  labels: { app: "demo" },
  options: { "com.docker.network.bridge.name": "br-front" },
  ipam: { subnet: "198.19.4.0/24", gateway: "198.19.4.1", ipRange: "198.19.4.128/25" },
  bridge: "br-front",
};

test("userNetwork shows IPAM, options, labels and Internal; withContainers lists running endpoints", () => {
  const n = withContainers(userNetwork(rec), [
    {
      id: "c1",
      name: "web",
      state: { status: "running" },
      hostConfig: { NetworkMode: "front" },
      endpoints: [
        {
          networkId: rec.id,
          containerId: "c1",
          netns: "/run/x",
          ifName: "eth0",
          hostVeth: "veth0",
          ip: "198.19.4.128",
          mac: "02:42:c6:13:04:80",
          defaultRoute: true,
          ports: [],
          networkName: "front",
          gateway: "198.19.4.1",
          prefixLen: 24,
        },
      ],
    },
    { id: "c2", name: "stopped", state: { status: "exited" }, hostConfig: { NetworkMode: "front" } },
  ]);
  assert.deepEqual(n.IPAM.Config, [
    { Subnet: "198.19.4.0/24", Gateway: "198.19.4.1", IPRange: "198.19.4.128/25" },
  ]);
  assert.equal(n.Internal, true);
  assert.deepEqual(n.Labels, { app: "demo" });
  assert.deepEqual(Object.keys(n.Containers), ["c1"]);
  assert.equal(n.Containers.c1?.IPv4Address, "198.19.4.128/24");
});

test("matchesFilters: name substring, id prefix, label, type, dangling; unknown keys refused", () => {
  const user = userNetwork(rec);
  const builtin = baseNetwork("bridge", "b".repeat(64), rec.created, "bridge");
  assert.ok(matchesFilters(user, { name: ["ron"] }, false));
  assert.ok(matchesFilters(user, { id: ["aaa"] }, false));
  assert.ok(!matchesFilters(user, { id: ["b"] }, false));
  assert.ok(matchesFilters(user, { label: ["app=demo"] }, false));
  assert.ok(!matchesFilters(user, { label: ["app=other"] }, false));
  assert.ok(matchesFilters(user, { type: ["custom"] }, false));
  assert.ok(!matchesFilters(builtin, { type: ["custom"] }, true));
  assert.ok(matchesFilters(user, { dangling: ["true"] }, false));
  assert.ok(!matchesFilters(builtin, { dangling: ["true"] }, true));
  assert.throws(() => matchesFilters(user, { type: ["odd"] }, false), /invalid filter/);
  assert.throws(() => matchesFilters(user, { colour: ["x"] }, false), /invalid filter 'colour'/);
});
