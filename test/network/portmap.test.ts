/**
 * Published ports for real: a busybox httpd in a "container" netns reached from the host at
 * 127.0.0.1:<hostPort> (userland proxy) and at the gateway address (nft DNAT in the output chain),
 * and from a neighbour container through the gateway (DNAT in prerouting, un-NATed by conntrack on
 * the bridge). All traffic stays on 127.0.0.0/8 and in the netns made here.
 */
import assert from "node:assert/strict";
import http from "node:http";
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
import { hostPortRange, PortMapper } from "../../src/network/portmap/mapper.js";
import { parsePortSpec } from "../../src/network/portmap/spec.js";
import type { BridgeNetwork, Endpoint } from "../../src/network/types.js";
import {
  addNetns,
  cleanup,
  httpGetIn,
  newNetwork,
  randHex,
  runCleanups,
  runner,
  type Scope,
  scope,
  setSysctl,
  startHttpd,
  sweep,
} from "./_helpers.js";

const S: Scope = scope("portmap", "198.19.208.0/20");

before(() => sweep(S));
afterEach(runCleanups);
after(async () => {
  await runCleanups();
  await sweep(S);
});

/** GET from the host, bounded by a 3 s timeout; resolves the body or the error's code. */
function hostGet(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const req = http.get({ host, port, path: "/index.html", timeout: 3000 }, (res) => {
      let body = "";
      res.on("data", (d) => {
        body += d;
      });
      res.on("end", () => resolve(body));
    });
    req.on("timeout", () => req.destroy(new Error("ETIMEDOUT")));
    req.on("error", (e: Error & { code?: string }) => resolve(`error:${e.code ?? e.message}`));
  });
}

async function setup(): Promise<{
  net: BridgeNetwork;
  web: Endpoint;
  webNs: string;
  peerNs: string;
  peer: Endpoint;
}> {
  const net = await newNetwork(S);
  await ensureNetwork(runner, net, { owner: S.owner });
  cleanup(() => removeNetwork(runner, net));
  let addrs = newNetworkAddresses(net);
  const eps: { ns: string; ep: Endpoint }[] = [];
  for (const suffix of ["web", "peer"]) {
    const ns = await addNetns(S, suffix);
    const a = allocateAddress(addrs);
    addrs = a.state;
    const ep = makeEndpoint(net, { containerId: randHex(32), netns: ns.path, ip: a.ip });
    await connectEndpoint(runner, net, ep, { owner: S.owner });
    cleanup(() => disconnectEndpoint(runner, ep));
    eps.push({ ns: ns.name, ep });
  }
  const [web, peer] = eps as [{ ns: string; ep: Endpoint }, { ns: string; ep: Endpoint }];
  await startHttpd(web.ns, 80, "published\n");
  return { net, web: web.ep, webNs: web.ns, peerNs: peer.ns, peer: peer.ep };
}

test("a published port answers on 127.0.0.1 (proxy), the gateway (DNAT) and from a neighbour", {
  timeout: 90_000,
}, async () => {
  const { net, web, peerNs, peer } = await setup();
  // As the daemon does (planHostSysctls): the hairpin through the gateway is routed by the host.
  await setSysctl("net.ipv4.ip_forward", "1");
  const mapper = new PortMapper({ range: await hostPortRange() });
  cleanup(() => mapper.close());
  const ports = await mapper.map(web.ip, parsePortSpec("80"));
  const hostPort = ports[0]!.hostPort;
  assert.ok(hostPort >= 1024);
  const published = { ...web, ports };
  await applyRuleset(runner, { networks: [net], endpoints: [published, peer] }, { table: S.table });
  cleanup(() => removeRuleset(runner, { table: S.table }));

  assert.equal(await hostGet("127.0.0.1", hostPort), "published\n", "loopback through the proxy");
  assert.equal(await hostGet(net.gateway, hostPort), "published\n", "gateway address through DNAT");
  assert.equal(
    (await httpGetIn(peerNs, `http://${net.gateway}:${hostPort}/index.html`)).stdout,
    "published\n",
  );
  const rules = await listRuleset(runner, { table: S.table });
  assert.match(
    rules ?? "",
    new RegExp(`tcp dport ${hostPort} dnat ip to ${web.ip.replaceAll(".", "\\.")}:80`),
  );

  await mapper.unmap(ports);
  await removeRuleset(runner, { table: S.table });
  assert.equal(await listRuleset(runner, { table: S.table }), undefined);
  assert.match(await hostGet("127.0.0.1", hostPort), /^error:ECONNREFUSED/);
});

test("the kernel rule alone serves the gateway address; without it nothing answers", {
  timeout: 90_000,
}, async () => {
  const { net, web } = await setup();
  // No proxy: only the DNAT rule can carry this port.
  const mapper = new PortMapper({ range: await hostPortRange(), noProxy: true });
  const ports = await mapper.map(web.ip, parsePortSpec(`${net.gateway}::80`));
  const hostPort = ports[0]!.hostPort;
  assert.match(await hostGet(net.gateway, hostPort), /^error:/, "nothing before the rule");
  await applyRuleset(runner, { networks: [net], endpoints: [{ ...web, ports }] }, { table: S.table });
  cleanup(() => removeRuleset(runner, { table: S.table }));
  assert.equal(await hostGet(net.gateway, hostPort), "published\n");
  assert.match(await hostGet("127.0.0.1", hostPort), /^error:/, "loopback is not DNATed");
  await removeRuleset(runner, { table: S.table });
  assert.match(await hostGet(net.gateway, hostPort), /^error:/, "nothing after the rule is gone");
});

test("a fixed host port already published is refused with Docker's message", {
  timeout: 30_000,
}, async () => {
  const mapper = new PortMapper({ range: await hostPortRange() });
  cleanup(() => mapper.close());
  const [first] = await mapper.map("198.19.208.2", parsePortSpec("127.0.0.1::80"));
  await assert.rejects(
    mapper.map("198.19.208.3", parsePortSpec(`127.0.0.1:${first!.hostPort}:80`)),
    (e: Error) => e.message === `Bind for 127.0.0.1:${first!.hostPort} failed: port is already allocated`,
  );
});
