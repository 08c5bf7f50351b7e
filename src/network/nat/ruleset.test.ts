import assert from "node:assert/strict";
import { test } from "node:test";
import type { CommandRunner } from "../../lib/exec.js";
import { makeEndpoint } from "../bridge/plan.js";
import type { BridgeNetwork } from "../types.js";
import { applyRuleset, removeRuleset } from "./apply.js";
import { kernelServes, renderReplaceScript, renderTable } from "./ruleset.js";

const web: BridgeNetwork = {
  id: "a".repeat(64),
  name: "web",
  bridge: "br-aaaaaaaaaaaa",
  subnet: "198.19.0.0/24",
  gateway: "198.19.0.1",
};
const back: BridgeNetwork = {
  id: "b".repeat(64),
  name: "back",
  bridge: "br-bbbbbbbbbbbb",
  subnet: "198.19.1.0/24",
  gateway: "198.19.1.1",
  internal: true,
};
const dflt: BridgeNetwork = {
  id: "c".repeat(64),
  name: "bridge",
  bridge: "berth0",
  subnet: "198.18.0.0/24",
  gateway: "198.18.0.1",
  icc: false,
};

const ep = makeEndpoint(web, {
  containerId: "1".repeat(64),
  netns: "/ns",
  ip: "198.19.0.2",
  ports: [
    { proto: "tcp", hostIp: "", hostPort: 8080, containerPort: 80 },
    { proto: "udp", hostIp: "127.0.0.1", hostPort: 5353, containerPort: 53 },
    { proto: "tcp", hostIp: "192.0.2.2", hostPort: 8443, containerPort: 443 },
  ],
});
const hidden = makeEndpoint(back, {
  containerId: "2".repeat(64),
  netns: "/ns2",
  ip: "198.19.1.2",
  ports: [{ proto: "tcp", hostIp: "", hostPort: 9000, containerPort: 90 }],
});

const GOLDEN = `table inet berth {
	chain prerouting {
		type nat hook prerouting priority dstnat; policy accept;
		meta nfproto ipv4 fib daddr type local jump published
	}
	chain output {
		type nat hook output priority -100; policy accept;
		meta nfproto ipv4 ip daddr != 127.0.0.0/8 fib daddr type local jump published
	}
	chain published {
		tcp dport 8080 dnat ip to 198.19.0.2:80 comment "111111111111 80/tcp"
		ip daddr 192.0.2.2 tcp dport 8443 dnat ip to 198.19.0.2:443 comment "111111111111 443/tcp"
	}
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		ip saddr 198.18.0.0/24 oifname != "berth0" masquerade
		ip saddr 198.19.0.0/24 oifname != "br-aaaaaaaaaaaa" masquerade
	}
	chain forward {
		type filter hook forward priority filter; policy accept;
		iifname "berth0" oifname "berth0" drop
		iifname "br-aaaaaaaaaaaa" oifname "br-aaaaaaaaaaaa" accept
		iifname "br-bbbbbbbbbbbb" oifname "br-bbbbbbbbbbbb" accept
		iifname { "berth0", "br-aaaaaaaaaaaa", "br-bbbbbbbbbbbb" } oifname { "berth0", "br-aaaaaaaaaaaa", "br-bbbbbbbbbbbb" } drop
		iifname "br-bbbbbbbbbbbb" drop
		oifname "br-bbbbbbbbbbbb" drop
		oifname { "berth0", "br-aaaaaaaaaaaa", "br-bbbbbbbbbbbb" } ct state established,related accept
		oifname "br-aaaaaaaaaaaa" ip daddr 198.19.0.2 tcp dport 80 accept
		oifname "br-aaaaaaaaaaaa" ip daddr 198.19.0.2 tcp dport 443 accept
		oifname { "berth0", "br-aaaaaaaaaaaa", "br-bbbbbbbbbbbb" } drop
	}
}
`;

test("renderTable: DNAT, masquerade, isolation, internal and ICC rules (golden)", () => {
  assert.equal(renderTable({ networks: [web, back, dflt], endpoints: [ep, hidden] }), GOLDEN);
});

test("renderTable: order of the inputs does not change the text", () => {
  assert.equal(renderTable({ networks: [dflt, back, web], endpoints: [hidden, ep] }), GOLDEN);
});

test("renderTable: no networks leaves empty base chains", () => {
  const text = renderTable({ networks: [], endpoints: [] }, { table: "t" });
  assert.match(text, /^table inet t \{/);
  assert.doesNotMatch(text, /drop|accept\n|masquerade/);
});

test("renderTable: masquerade can be turned off per network", () => {
  assert.doesNotMatch(
    renderTable({ networks: [{ ...web, masquerade: false }], endpoints: [] }),
    /masquerade/,
  );
});

test("kernelServes leaves loopback addresses to the proxy", () => {
  assert.ok(kernelServes({ hostIp: "" }));
  assert.ok(kernelServes({ hostIp: "0.0.0.0" }));
  assert.ok(kernelServes({ hostIp: "198.19.0.1" }));
  assert.ok(!kernelServes({ hostIp: "127.0.0.1" }));
  assert.ok(!kernelServes({ hostIp: "127.1.2.3" }));
});

test("renderTable: a DNS server off port 53 gets the gateway's port 53 redirected to it", () => {
  const text = renderTable({ networks: [{ ...web, dnsPort: 40053 }], endpoints: [] });
  assert.match(
    text,
    /priority dstnat; policy accept;\n\t\tiifname "br-aaaaaaaaaaaa" ip daddr 198.19.0.1 udp dport 53 dnat ip to 198.19.0.1:40053\n\t\tiifname "br-aaaaaaaaaaaa" ip daddr 198.19.0.1 tcp dport 53 dnat ip to 198.19.0.1:40053\n\t\tmeta nfproto ipv4 fib/,
  );
  assert.doesNotMatch(renderTable({ networks: [{ ...web, dnsPort: 53 }], endpoints: [] }), /dport 53/);
});

test("applyRuleset hands the whole replacement to one nft -f - transaction", async () => {
  const seen: { argv: string[]; input: unknown }[] = [];
  const runner: CommandRunner = {
    async run(file, args, opts) {
      seen.push({ argv: [file, ...args], input: opts?.input });
      return { code: 0, stdout: "", stderr: "" };
    },
  };
  await applyRuleset(runner, { networks: [web], endpoints: [] }, { table: "x" });
  assert.deepEqual(seen[0]!.argv, ["nft", "-f", "-"]);
  assert.equal(seen[0]!.input, renderReplaceScript({ networks: [web], endpoints: [] }, { table: "x" }));
  assert.ok(String(seen[0]!.input).startsWith("table inet x\ndelete table inet x\ntable inet x {\n"));
  await removeRuleset(runner, { table: "x" });
  assert.equal(seen[1]!.input, "table inet x\ndelete table inet x\n");
});
