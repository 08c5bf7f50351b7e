/**
 * The embedded DNS for real: a server on the network's gateway, port 53, asked from inside a
 * "container" netns with busybox nslookup. No upstream is configured, so unknown names fail at once
 * and no query leaves the host.
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
import { DnsServer } from "../../src/network/dns/server.js";
import { containerDnsNames } from "../../src/network/dns/table.js";
import { allocateAddress, newNetworkAddresses } from "../../src/network/ipam/addresses.js";
import { applyRuleset, removeRuleset } from "../../src/network/nat/apply.js";
import { PortMapper } from "../../src/network/portmap/mapper.js";
import { parsePortSpec } from "../../src/network/portmap/spec.js";
import type { BridgeNetwork, Endpoint } from "../../src/network/types.js";
import {
  addNetns,
  cleanup,
  inNetns,
  newNetwork,
  randHex,
  runCleanups,
  runner,
  type Scope,
  scope,
  sweep,
} from "./_helpers.js";

const S: Scope = scope("dns", "198.19.224.0/20");

before(() => sweep(S));
afterEach(runCleanups);
after(async () => {
  await runCleanups();
  await sweep(S);
});

const nslookup = (ns: string, name: string, server: string) =>
  inNetns(ns, ["busybox", "nslookup", name, server], 10);

type Ctr = { ns: string; ep: Endpoint };

async function networkWith(suffixes: string[]): Promise<{ net: BridgeNetwork; ctrs: Ctr[] }> {
  const net = await newNetwork(S);
  await ensureNetwork(runner, net, { owner: S.owner });
  cleanup(() => removeNetwork(runner, net));
  let addrs = newNetworkAddresses(net);
  const ctrs: Ctr[] = [];
  for (const suffix of suffixes) {
    const ns = await addNetns(S, suffix);
    const a = allocateAddress(addrs);
    addrs = a.state;
    const ep = makeEndpoint(net, { containerId: randHex(32), netns: ns.path, ip: a.ip });
    await connectEndpoint(runner, net, ep, { owner: S.owner });
    cleanup(() => disconnectEndpoint(runner, ep));
    ctrs.push({ ns: ns.name, ep });
  }
  return { net, ctrs };
}

test("containers resolve each other's names, aliases and short ids through the gateway", {
  timeout: 90_000,
}, async () => {
  const { net, ctrs } = await networkWith(["a", "b"]);
  const [a, b] = ctrs as [Ctr, Ctr];
  const dns = await DnsServer.start({ address: net.gateway, upstreams: [] });
  cleanup(() => dns.close());
  dns.setEntries([
    { ip: a.ep.ip, names: containerDnsNames({ name: "/alpha", containerId: a.ep.containerId }) },
    {
      ip: b.ep.ip,
      names: containerDnsNames({ name: "/beta", containerId: b.ep.containerId, aliases: ["db"] }),
    },
  ]);
  assert.equal(dns.port, 53);

  const byName = await nslookup(a.ns, "beta", net.gateway);
  assert.equal(byName.code, 0, byName.stdout + byName.stderr);
  assert.match(byName.stdout, new RegExp(`Address:\\s+${b.ep.ip.replaceAll(".", "\\.")}`));
  assert.match((await nslookup(a.ns, "db", net.gateway)).stdout, new RegExp(b.ep.ip.replaceAll(".", "\\.")));
  const short = await nslookup(b.ns, a.ep.containerId.slice(0, 12), net.gateway);
  assert.match(short.stdout, new RegExp(a.ep.ip.replaceAll(".", "\\.")));

  const started = Date.now();
  const unknown = await nslookup(a.ns, "nowhere.invalid", net.gateway);
  assert.notEqual(unknown.code, 0);
  assert.ok(Date.now() - started < 8000, "an unknown name fails fast (SERVFAIL, no upstream)");

  // The daemon updates the table as containers come and go.
  dns.setEntries([{ ip: a.ep.ip, names: ["alpha"] }]);
  assert.notEqual((await nslookup(a.ns, "beta", net.gateway)).code, 0);
});

test("a server on another port answers <gateway>:53 through the nft redirect, beside a published 53", {
  timeout: 90_000,
}, async () => {
  const { net: base, ctrs } = await networkWith(["a"]);
  const [a] = ctrs as [Ctr];
  const dns = await DnsServer.start({ address: base.gateway, port: 0 });
  cleanup(() => dns.close());
  dns.setEntries([{ ip: a.ep.ip, names: ["alpha"] }]);
  const net = { ...base, dnsPort: dns.port };
  // A container publishing 53/udp on every host address: the proxy holds 0.0.0.0:53.
  const mapper = new PortMapper();
  cleanup(() => mapper.close());
  const ports = await mapper.map(a.ep.ip, parsePortSpec("53:53/udp"));
  await applyRuleset(runner, { networks: [net], endpoints: [{ ...a.ep, ports }] }, { table: S.table });
  cleanup(() => removeRuleset(runner, { table: S.table }));
  const r = await nslookup(a.ns, "alpha", net.gateway);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`Address:\\s+${a.ep.ip.replaceAll(".", "\\.")}`));
});
