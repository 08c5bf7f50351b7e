/**
 * The bridge driver for real: bridges, veth pairs into network namespaces, addresses and routes,
 * traffic between "containers" (netns made here), network isolation by the nft table, internal
 * networks, and crash reconciliation. Only addresses inside this file's block of 198.19.0.0/16.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, test } from "node:test";
import {
  connectEndpoint,
  disconnectEndpoint,
  ensureNetwork,
  removeNetwork,
} from "../../src/network/bridge/driver.js";
import { makeEndpoint } from "../../src/network/bridge/plan.js";
import { allocateAddress, newNetworkAddresses } from "../../src/network/ipam/addresses.js";
import { applyRuleset, listRuleset, removeRuleset } from "../../src/network/nat/apply.js";
import { applyPlan } from "../../src/network/plan.js";
import { reconcile } from "../../src/network/reconcile/observe.js";
import type { BridgeNetwork, Endpoint } from "../../src/network/types.js";
import {
  addNetns,
  cleanup,
  httpGetIn,
  inNetns,
  linkNames,
  newNetwork,
  ping,
  randHex,
  runCleanups,
  runner,
  type Scope,
  scope,
  setSysctl,
  startHttpd,
  sweep,
} from "./_helpers.js";

const S: Scope = scope("bridge", "198.19.192.0/20");
const opts = { owner: S.owner };

interface Ctr {
  ns: string;
  ep: Endpoint;
}

before(async () => {
  await sweep(S);
});

afterEach(runCleanups);

after(async () => {
  await runCleanups();
  await sweep(S);
});

async function network(
  extra: Partial<BridgeNetwork> = {},
): Promise<{ net: BridgeNetwork; join: (n: string) => Promise<Ctr> }> {
  const net = await newNetwork(S, extra);
  await ensureNetwork(runner, net, opts);
  cleanup(() => removeNetwork(runner, net));
  let addrs = newNetworkAddresses(net);
  const join = async (suffix: string): Promise<Ctr> => {
    const ns = await addNetns(S, suffix);
    const a = allocateAddress(addrs);
    addrs = a.state;
    const ep = makeEndpoint(net, { containerId: randHex(32), netns: ns.path, ip: a.ip });
    await connectEndpoint(runner, net, ep, opts);
    cleanup(() => disconnectEndpoint(runner, ep));
    return { ns: ns.name, ep };
  };
  return { net, join };
}

test("two containers on one bridge reach each other and the gateway", { timeout: 60_000 }, async () => {
  const { net, join } = await network();
  const a = await join("a");
  const b = await join("b");
  assert.ok((await linkNames()).includes(net.bridge));
  const addr = await inNetns(a.ns, ["ip", "-4", "-o", "addr", "show", "dev", "eth0"]);
  assert.match(addr.stdout, new RegExp(`inet ${a.ep.ip.replaceAll(".", "\\.")}/24`));
  const route = await inNetns(a.ns, ["ip", "route", "show", "default"]);
  assert.match(route.stdout, new RegExp(`default via ${net.gateway} dev eth0`));
  assert.equal((await ping(a.ns, b.ep.ip)).code, 0, "a pings b");
  assert.equal((await ping(b.ns, net.gateway)).code, 0, "b pings the gateway");
  await startHttpd(b.ns, 8080, "hello from b\n");
  const got = await httpGetIn(a.ns, `http://${b.ep.ip}:8080/index.html`);
  assert.equal(got.stdout, "hello from b\n");
});

test("different networks are isolated by the nft table; internal networks have no way out", {
  timeout: 90_000,
}, async () => {
  await setSysctl("net.ipv4.ip_forward", "1");
  const one = await network();
  const two = await network();
  const internal = await network({ internal: true });
  const a = await one.join("a");
  const a2 = await one.join("a2");
  const c = await two.join("c");
  const i = await internal.join("i");
  // Without rules, the host routes between the bridges.
  assert.equal((await ping(a.ns, c.ep.ip)).code, 0, "routed before isolation");
  const nets = [one.net, two.net, internal.net];
  await applyRuleset(runner, { networks: nets, endpoints: [a.ep, a2.ep, c.ep, i.ep] }, { table: S.table });
  cleanup(() => removeRuleset(runner, { table: S.table }));
  assert.notEqual((await ping(a.ns, c.ep.ip)).code, 0, "isolated: a cannot reach c");
  assert.notEqual((await ping(c.ns, a.ep.ip)).code, 0, "isolated: c cannot reach a");
  assert.equal((await ping(a.ns, a2.ep.ip)).code, 0, "same network still talks");
  assert.equal((await ping(a.ns, one.net.gateway)).code, 0, "gateway still answers");
  assert.doesNotMatch((await inNetns(i.ns, ["ip", "route"])).stdout, /default/);
  assert.notEqual((await ping(i.ns, a.ep.ip)).code, 0, "internal cannot leave");
  assert.equal((await ping(i.ns, internal.net.gateway)).code, 0, "internal reaches its gateway");
  const listed = await listRuleset(runner, { table: S.table });
  assert.match(
    listed ?? "",
    new RegExp(`ip saddr ${one.net.subnet.replaceAll(".", "\\.")} oifname != "${one.net.bridge}" masquerade`),
  );
  assert.doesNotMatch(listed ?? "", new RegExp(`ip saddr ${internal.net.subnet.replaceAll(".", "\\.")}`));
  await removeRuleset(runner, { table: S.table });
  assert.equal(await listRuleset(runner, { table: S.table }), undefined);
});

test("disconnect and network removal leave no links", { timeout: 60_000 }, async () => {
  const net = await newNetwork(S);
  await ensureNetwork(runner, net, opts);
  await ensureNetwork(runner, net, opts); // idempotent
  const ns = await addNetns(S, "d");
  const ep = makeEndpoint(net, {
    containerId: randHex(32),
    netns: ns.path,
    ip: allocateAddress(newNetworkAddresses(net)).ip,
  });
  await connectEndpoint(runner, net, ep, opts);
  assert.ok((await linkNames()).includes(ep.hostVeth));
  await disconnectEndpoint(runner, ep);
  await disconnectEndpoint(runner, ep); // idempotent
  assert.ok(!(await linkNames()).includes(ep.hostVeth));
  assert.doesNotMatch((await inNetns(ns.name, ["ip", "-o", "link"])).stdout, /eth0/);
  await removeNetwork(runner, net);
  assert.ok(!(await linkNames()).includes(net.bridge));
});

test("reconcile removes the links of a network and endpoint no record refers to", {
  timeout: 60_000,
}, async () => {
  const { net, join } = await network();
  const kept = await join("k");
  const lost = await join("l");
  const stale = await newNetwork(S);
  await ensureNetwork(runner, stale, opts);
  cleanup(() => removeNetwork(runner, stale));
  const known = { networks: [net], endpoints: [kept.ep] };
  const { plan, removed } = await reconcile(runner, known, {
    owner: S.owner,
    table: S.table,
    netnsDir: "/nonexistent",
  });
  assert.deepEqual(removed.links.sort(), [lost.ep.hostVeth, stale.bridge].sort());
  await applyPlan(runner, plan);
  const names = await linkNames();
  assert.ok(names.includes(kept.ep.hostVeth) && names.includes(net.bridge));
  assert.ok(!names.includes(lost.ep.hostVeth) && !names.includes(stale.bridge));
  assert.equal((await ping(kept.ns, net.gateway)).code, 0, "the kept endpoint still works");
});
