import assert from "node:assert/strict";
import { test } from "node:test";
import { RecordingRunner } from "../../lib/exec.js";
import { formatPlan } from "../plan.js";
import { reconcile } from "./observe.js";
import { planReconcile } from "./plan.js";

const N1 = "1".repeat(64);
const N2 = "2".repeat(64);
const C1 = "a".repeat(64);
const C2 = "b".repeat(64);

const observed = {
  links: [
    { name: "lo" },
    { name: "eth0" },
    { name: "docker0" },
    { name: "br-111111111111", alias: `berth:net:${N1}` },
    { name: "br-222222222222", alias: `berth:net:${N2}` },
    { name: "br-333333333333", alias: "someone else" },
    { name: "vethaaaaaaaaaaa", alias: `berth:ep:${N1}:${C1}` },
    { name: "vethbbbbbbbbbbb", alias: `berth:ep:${N1}:${C2}` },
    { name: "vethccccccccccc", alias: `berthtest:ep:${N1}:${C2}` },
  ],
  netns: [`/run/berth/netns/${C1}`, `/run/berth/netns/${C2}`],
  tables: ["berth", "filter"],
};

test("planReconcile removes only berth-tagged links and netns that no record refers to", () => {
  const { plan, removed } = planReconcile(observed, {
    networks: [{ id: N1 }],
    endpoints: [{ networkId: N1, containerId: C1, netns: `/run/berth/netns/${C1}` }],
  });
  assert.deepEqual(removed, {
    links: ["vethbbbbbbbbbbb", "br-222222222222"],
    netns: [`/run/berth/netns/${C2}`],
    tables: [],
  });
  assert.equal(
    formatPlan(plan),
    [
      "-ip link del dev vethbbbbbbbbbbb",
      "-ip link del dev br-222222222222",
      `-umount /run/berth/netns/${C2}`,
      `-rm -f /run/berth/netns/${C2}`,
    ].join("\n"),
  );
});

test("planReconcile drops the nft table when no network is left", () => {
  const { removed, plan } = planReconcile(observed, { networks: [], endpoints: [] });
  assert.deepEqual(removed.tables, ["berth"]);
  assert.equal(plan.at(-1)!.input, "table inet berth\ndelete table inet berth\n");
  assert.equal(removed.links.length, 4);
});

test("planReconcile with another owner sees only that owner's links", () => {
  const { removed } = planReconcile(
    observed,
    { networks: [], endpoints: [] },
    { owner: "berthtest", table: "bt" },
  );
  assert.deepEqual(removed.links, ["vethccccccccccc"]);
  assert.deepEqual(removed.tables, []);
});

test("reconcile observes links, the netns directory and nft tables", async () => {
  const r = new RecordingRunner((argv) => {
    if (argv[0] === "ip") return { stdout: JSON.stringify([{ ifname: "br-x", ifalias: `berth:net:${N2}` }]) };
    return {
      stdout: JSON.stringify({ nftables: [{ metainfo: {} }, { table: { family: "inet", name: "berth" } }] }),
    };
  });
  const out = await reconcile(r, { networks: [], endpoints: [] }, { netnsDir: "/nonexistent/berth-netns" });
  assert.deepEqual(out.removed, { links: ["br-x"], netns: [], tables: ["berth"] });
});
