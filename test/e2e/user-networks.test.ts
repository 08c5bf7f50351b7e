import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { promises as fs } from "node:fs";
import net from "node:net";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { busyboxRootfs } from "../fixtures/busybox.js";
import { type RunResult, TestDaemon } from "../harness/daemon.js";
import { freePort, getOnce, getWithRetry } from "../harness/http.js";

/**
 * User-defined bridge networks through the docker CLI and berth's own: names and aliases resolved by
 * the embedded DNS, isolation between networks, --internal, connect/disconnect, rm/prune, bad input,
 * recovery after berthd is killed, and nothing left on the host afterwards. Traffic stays between
 * this daemon's containers (its own pool slice, owner tag and nft table: see TestDaemon.network);
 * the embedded DNS forwards nothing ("dns-upstream": []).
 */
describe("user-defined networks", () => {
  let d: TestDaemon;
  before(async () => {
    d = await TestDaemon.start();
    const r = await d.docker(["import", "-", "busybox:latest"], { input: await busyboxRootfs() });
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    if (!d) return;
    const n = d.network;
    try {
      const ids = (await d.docker(["ps", "-aq"])).stdout.split("\n").filter(Boolean);
      if (ids.length) await d.docker(["rm", "-f", ...ids]);
      await d.docker(["network", "prune", "-f"]);
      // Removing the networks took their bridges: only the default bridge is left while berthd runs.
      assert.deepEqual(ownedLinks(n.owner), [n.bridge], "links left after network prune");
      assert.deepEqual(await fs.readdir(path.join(d.execRoot, "netns")).catch(() => []), []);
      // No rule names a removed network's bridge.
      const rules = spawnSync("nft", ["list", "table", "inet", n.table], { encoding: "utf8" }).stdout;
      assert.ok(!rules.includes('"br-'), rules);
    } finally {
      await d.cleanup();
    }
    assert.deepEqual(ownedLinks(n.owner), []);
    const tables = spawnSync("nft", ["list", "tables"], { encoding: "utf8" }).stdout;
    assert.ok(!tables.includes(n.table), tables);
  });

  const ok = (r: RunResult) => {
    assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r.stdout.trim();
  };
  const fails = (r: RunResult, re: RegExp) => {
    assert.notEqual(r.code, 0, `expected a failure\nstdout: ${r.stdout}`);
    assert.match(r.stderr, re);
  };
  const httpd = (text: string) => [
    "sh",
    "-c",
    `mkdir -p /www && echo ${text} > /www/index.html && exec httpd -f -p 80 -h /www`,
  ];
  /** wget from a throwaway container, retried while the server comes up (bounded: 20 × 100 ms). */
  const fetchFrom = (net: string, url: string) =>
    d.docker([
      "run",
      "--rm",
      "--network",
      net,
      "busybox",
      "sh",
      "-c",
      `for i in $(seq 20); do wget -qO- ${url} && exit 0; sleep 0.1; done; exit 1`,
    ]);
  const gateway = (net: string) =>
    d.docker(["network", "inspect", "-f", "{{(index .IPAM.Config 0).Gateway}}", net]);

  test("containers on a user network reach each other by name and alias, not from another network", async () => {
    ok(await d.docker(["network", "create", "--label", "app=demo", "front"]));
    ok(await d.docker(["network", "create", "back"]));
    const web = ok(
      await d.docker([
        "run",
        "-d",
        "--name",
        "web",
        "--network",
        "front",
        "--network-alias",
        "www",
        "busybox",
        ...httpd("hi"),
      ]),
    );
    assert.equal(ok(await fetchFrom("front", "http://web/")), "hi");
    assert.equal(ok(await fetchFrom("front", "http://www/")), "hi");
    assert.equal(ok(await fetchFrom("front", `http://${web.slice(0, 12)}/`)), "hi");
    const gw = ok(await gateway("front"));
    assert.match(gw, /^198\.19\.\d+\.1$/);
    const resolv = ok(
      await d.docker(["run", "--rm", "--network", "front", "busybox", "cat", "/etc/resolv.conf"]),
    );
    assert.match(resolv, new RegExp(`^nameserver ${gw.replace(/\./g, "\\.")}$`, "m"));
    // Another network neither resolves the name nor reaches the address.
    const ip = ok(await d.docker(["inspect", "-f", "{{.NetworkSettings.Networks.front.IPAddress}}", "web"]));
    const other = await d.docker([
      "run",
      "--rm",
      "--network",
      "back",
      "busybox",
      "sh",
      "-c",
      `nslookup web >/dev/null 2>&1 && echo resolved; nc -w 2 ${ip} 80 </dev/null && echo connected; true`,
    ]);
    assert.equal(ok(other), "");
    // network inspect lists the container; the label filter finds the network.
    const [net] = JSON.parse(ok(await d.docker(["network", "inspect", "front"]))) as {
      Containers: Record<string, { Name: string; IPv4Address: string }>;
      Labels: Record<string, string>;
    }[];
    assert.equal(net?.Containers[web]?.Name, "web");
    assert.equal(net?.Containers[web]?.IPv4Address, `${ip}/24`);
    assert.deepEqual(net?.Labels, { app: "demo" });
    assert.equal(
      ok(await d.docker(["network", "ls", "--filter", "label=app=demo", "--format", "{{.Name}}"])),
      "front",
    );
    assert.equal(ok(await d.docker(["ps", "--filter", "network=front", "--format", "{{.Names}}"])), "web");
    // rm with a running container is refused with Docker's wording.
    fails(
      await d.docker(["network", "rm", "front"]),
      /error while removing network: network front id [0-9a-f]{64} has active endpoints/,
    );
    ok(await d.docker(["rm", "-f", "web"]));
    ok(await d.docker(["network", "rm", "front", "back"]));
  });

  test("the default bridge has no names; --add-host and --dns work there", async () => {
    ok(await d.docker(["run", "-d", "--name", "plain", "busybox", "sleep", "60"]));
    const gw = d.network.subnet.replace(/0\/24$/, "1");
    // No DNS server on the default bridge's gateway: the query is refused at once.
    const q = await d.docker(["run", "--rm", "busybox", "nslookup", "plain", gw]);
    assert.notEqual(q.code, 0);
    const files = ok(
      await d.docker([
        "run",
        "--rm",
        "--add-host",
        "db:198.18.0.77",
        "--dns",
        "127.0.0.9",
        "busybox",
        "sh",
        "-c",
        "cat /etc/hosts /etc/resolv.conf",
      ]),
    );
    assert.match(files, /^198\.18\.0\.77\tdb$/m);
    assert.match(files, /^nameserver 127\.0\.0\.9$/m);
    ok(await d.docker(["rm", "-f", "plain"]));
  });

  test("connect and disconnect a running container; several networks give eth0, eth1", async () => {
    ok(await d.docker(["network", "create", "n1"]));
    ok(await d.docker(["network", "create", "n2"]));
    ok(await d.docker(["run", "-d", "--name", "srv", "--network", "n2", "busybox", ...httpd("two")]));
    ok(await d.docker(["run", "-d", "--name", "cli", "--network", "n1", "busybox", "sleep", "120"]));
    const before = ok(
      await d.docker(["exec", "cli", "sh", "-c", "nslookup srv >/dev/null 2>&1 && echo yes || echo no"]),
    );
    assert.equal(before, "no");
    ok(await d.docker(["network", "connect", "--alias", "client", "n2", "cli"]));
    assert.equal(
      ok(await d.docker(["exec", "cli", "ip", "-o", "-4", "addr", "show", "eth1"])).includes("inet "),
      true,
    );
    assert.equal(ok(await d.docker(["exec", "cli", "wget", "-qO-", "http://srv/"])), "two");
    assert.equal(ok(await fetchFrom("n2", "http://srv/")), "two");
    const aliases = ok(
      await d.docker(["inspect", "-f", "{{json .NetworkSettings.Networks.n2.Aliases}}", "cli"]),
    );
    assert.deepEqual(JSON.parse(aliases), ["client"]);
    const seen = ok(await d.docker(["exec", "srv", "nslookup", "client"]));
    assert.match(seen, /Address: 198\.19\./);
    ok(await d.docker(["network", "disconnect", "n2", "cli"]));
    fails(await d.docker(["exec", "cli", "ip", "link", "show", "eth1"]), /./);
    fails(await d.docker(["network", "disconnect", "n2", "cli"]), /is not connected to network n2/);
    // A stopped container: connect is recorded and takes effect at start.
    ok(await d.docker(["create", "--name", "later", "--network", "n1", "busybox", "sleep", "60"]));
    ok(await d.docker(["network", "connect", "n2", "later"]));
    ok(await d.docker(["start", "later"]));
    const links = ok(
      await d.docker(["exec", "later", "sh", "-c", "ls /sys/class/net | sort | tr '\\n' ' '"]),
    );
    assert.equal(links, "eth0 eth1 lo");
    ok(await d.docker(["rm", "-f", "srv", "cli", "later"]));
    // prune removes unused networks only.
    ok(await d.docker(["run", "-d", "--name", "keeper", "--network", "n1", "busybox", "sleep", "60"]));
    const pruned = ok(await d.docker(["network", "prune", "-f"]));
    assert.match(pruned, /^Deleted Networks:\nn2$/);
    assert.equal(
      ok(await d.docker(["network", "ls", "--filter", "type=custom", "--format", "{{.Name}}"])),
      "n1",
    );
    ok(await d.docker(["rm", "-f", "keeper"]));
    ok(await d.docker(["network", "rm", "n1"]));
  });

  test("--internal: no default route, nothing reachable outside the network", async () => {
    ok(await d.docker(["network", "create", "--internal", "sealed"]));
    ok(await d.docker(["network", "create", "open"]));
    ok(await d.docker(["run", "-d", "--name", "outside", "--network", "open", "busybox", ...httpd("out")]));
    ok(await d.docker(["run", "-d", "--name", "inner", "--network", "sealed", "busybox", ...httpd("in")]));
    assert.equal(ok(await fetchFrom("sealed", "http://inner/")), "in");
    const ip = ok(
      await d.docker(["inspect", "-f", "{{.NetworkSettings.Networks.open.IPAddress}}", "outside"]),
    );
    const out = ok(
      await d.docker([
        "run",
        "--rm",
        "--network",
        "sealed",
        "busybox",
        "sh",
        "-c",
        `ip route | grep -c default; nc -w 2 ${ip} 80 </dev/null && echo connected; true`,
      ]),
    );
    assert.equal(out, "0");
    assert.equal(ok(await d.docker(["network", "inspect", "-f", "{{.Internal}}", "sealed"])), "true");
    ok(await d.docker(["rm", "-f", "inner", "outside"]));
    ok(await d.docker(["network", "rm", "sealed", "open"]));
  });

  test("berth's own CLI: network create with IPAM options, run --network --ip --network-alias", async () => {
    const subnet = d.network.userSubnet(0);
    const base = subnet.replace(/0\/24$/, "");
    ok(
      await d.berth([
        "network",
        "create",
        "--subnet",
        subnet,
        "--gateway",
        `${base}254`,
        "--ip-range",
        `${base}128/25`,
        "-o",
        "com.docker.network.bridge.enable_icc=true",
        "bnet",
      ]),
    );
    const [cfg] = JSON.parse(ok(await d.berth(["network", "inspect", "bnet"]))) as {
      IPAM: { Config: { Subnet: string; Gateway: string; IPRange: string }[] };
    }[];
    assert.deepEqual(cfg?.IPAM.Config, [{ Subnet: subnet, Gateway: `${base}254`, IPRange: `${base}128/25` }]);
    ok(
      await d.berth([
        "run",
        "-d",
        "--name",
        "fixed",
        "--network",
        "bnet",
        "--ip",
        `${base}10`,
        "--network-alias",
        "db",
        "busybox",
        ...httpd("fixed"),
      ]),
    );
    ok(await d.berth(["run", "-d", "--name", "ranged", "--network", "bnet", "busybox", "sleep", "60"]));
    assert.equal(
      ok(await d.berth(["inspect", "-f", "{{.NetworkSettings.Networks.bnet.IPAddress}}", "fixed"])),
      `${base}10`,
    );
    assert.equal(
      ok(await d.berth(["inspect", "-f", "{{.NetworkSettings.Networks.bnet.IPAddress}}", "ranged"])),
      `${base}128`,
    );
    assert.equal(ok(await d.berth(["exec", "ranged", "wget", "-qO-", "http://db/"])), "fixed");
    // --ip already taken: the second container does not start.
    fails(
      await d.berth([
        "run",
        "-d",
        "--name",
        "dup",
        "--network",
        "bnet",
        "--ip",
        `${base}10`,
        "busybox",
        "sleep",
        "5",
      ]),
      /Address already in use/,
    );
    ok(await d.berth(["network", "disconnect", "bnet", "ranged"]));
    ok(await d.berth(["network", "connect", "--alias", "again", "bnet", "ranged"]));
    assert.equal(ok(await d.berth(["exec", "fixed", "sh", "-c", "nslookup again | grep -c Address:"])), "2");
    fails(await d.berth(["network", "rm", "bnet"]), /has active endpoints/);
    ok(await d.berth(["rm", "-f", "fixed", "ranged", "dup"]));
    assert.equal(ok(await d.berth(["network", "rm", "bnet"])), "bnet");
    assert.equal((await d.berth(["network", "rm", "-f", "bnet"])).code, 0);
  });

  test("berth update --publish-add/--publish-rm changes a running container's ports live", async () => {
    const hold = net.createServer();
    await new Promise<void>((r) => hold.listen(0, "0.0.0.0", r));
    const held = (hold.address() as net.AddressInfo).port;
    try {
      const [first, second] = [await freePort(), await freePort()];
      ok(
        await d.berth([
          "run",
          "-d",
          "--name",
          "pub",
          "-p",
          `127.0.0.1:${first}:80`,
          "busybox",
          ...httpd("live"),
        ]),
      );
      assert.equal(await getWithRetry(first), "live");
      ok(
        await d.berth([
          "update",
          "--publish-add",
          `127.0.0.1:${second}:80`,
          "--publish-rm",
          `127.0.0.1:${first}:80`,
          "pub",
        ]),
      );
      assert.equal(ok(await d.berth(["port", "pub", "80/tcp"])), `127.0.0.1:${second}`);
      assert.equal(await getWithRetry(second), "live");
      await assert.rejects(getOnce(first));
      // A host port that is taken: refused, and the container keeps what it had.
      fails(
        await d.berth(["update", "--publish-add", `${held}:80`, "pub"]),
        /driver failed programming external connectivity/,
      );
      assert.equal(await getWithRetry(second), "live");
      const bindings = ok(await d.docker(["inspect", "-f", "{{json .HostConfig.PortBindings}}", "pub"]));
      assert.deepEqual(JSON.parse(bindings), {
        "80/tcp": [{ HostIp: "127.0.0.1", HostPort: String(second) }],
      });
      // Without a host port, --publish-rm takes every binding of the container port.
      ok(await d.berth(["update", "--publish-rm", "80", "pub"]));
      assert.equal(ok(await d.berth(["port", "pub"])), "");
      await assert.rejects(getOnce(second));
      ok(await d.berth(["rm", "-f", "pub"]));
    } finally {
      hold.close();
    }
  });

  test("bad input is refused with clear messages", async () => {
    const s = d.network.userSubnet(1);
    const base = s.replace(/0\/24$/, "");
    ok(await d.docker(["network", "create", "--subnet", s, "taken"]));
    fails(
      await d.docker(["network", "create", "--subnet", `${base}128/25`, "overlap"]),
      new RegExp(
        `Pool overlaps with other one on this address space: ${base.replace(/\./g, "\\.")}128/25 overlaps .* of network taken`,
      ),
    );
    fails(await d.docker(["network", "create", "--subnet", "198.19.0.0/33", "bad"]), /invalid/i);
    fails(
      await d.berth([
        "network",
        "create",
        "--subnet",
        s.replace(/\.\d+\.0\/24$/, ".200.0/24"),
        "--gateway",
        "10.9.9.1",
        "badgw",
      ]),
      /invalid gateway 10\.9\.9\.1: parent subnet .* doesn't contain this address/,
    );
    fails(await d.docker(["network", "create", "taken"]), /network with name taken already exists/);
    fails(await d.docker(["network", "create", "-d", "macvlan", "mv"]), /plugin "macvlan" not found/);
    fails(
      await d.docker(["run", "--rm", "--network", "taken", "--ip", "198.19.250.5", "busybox", "true"]),
      /Invalid address 198\.19\.250\.5: It does not belong to any of this network's subnets/,
    );
    fails(
      await d.docker(["run", "--rm", "--ip", "198.18.0.50", "busybox", "true"]),
      /user specified IP address is supported on user defined networks only/,
    );
    fails(
      await d.docker(["run", "--rm", "--network", "nosuchnet", "busybox", "true"]),
      /network nosuchnet not found/,
    );
    fails(await d.docker(["network", "connect", "nosuchnet", "x"]), /network nosuchnet not found/);
    fails(
      await d.docker(["network", "rm", "bridge"]),
      /bridge is a pre-defined network and cannot be removed/,
    );
    fails(await d.docker(["network", "inspect", "nosuchnet"]), /network nosuchnet not found/);
    const status = await fetch409(d, "taken");
    assert.equal(status, 409);
    ok(await d.docker(["network", "rm", "taken"]));
    assert.deepEqual(await fs.readdir(path.join(d.execRoot, "netns")).catch(() => []), []);
  });

  test("after berthd is killed: networks, rules and names come back; a network removed meanwhile is cleaned", async () => {
    ok(await d.docker(["network", "create", "durable"]));
    const goneId = ok(await d.docker(["network", "create", "doomed"]));
    ok(await d.docker(["run", "-d", "--name", "svc", "--network", "durable", "busybox", ...httpd("back")]));
    const bridgeOf = (id: string) => `br-${id.slice(0, 12)}`;
    assert.ok(linkExists(bridgeOf(goneId)));
    await d.stopProcess("SIGKILL");
    // While berthd is down, the record of "doomed" goes (as if removed by a crashed rm).
    await fs.rm(path.join(d.root, "networks", "user", goneId), { recursive: true });
    await d.startProcess();
    assert.ok(!linkExists(bridgeOf(goneId)), "the removed network's bridge is cleaned at start-up");
    assert.equal(ok(await d.docker(["inspect", "-f", "{{.State.Status}}", "svc"])), "running");
    assert.equal(ok(await fetchFrom("durable", "http://svc/")), "back");
    const table = spawnSync("nft", ["list", "table", "inet", d.network.table], { encoding: "utf8" }).stdout;
    assert.match(table, /masquerade/);
    ok(await d.docker(["rm", "-f", "svc"]));
    ok(await d.docker(["network", "rm", "durable"]));
  });
});

function ownedLinks(owner: string): string[] {
  const out = spawnSync("ip", ["-j", "link", "show"], { encoding: "utf8" }).stdout;
  return (JSON.parse(out || "[]") as { ifname: string; ifalias?: string }[])
    .filter((l) => l.ifalias?.startsWith(`${owner}:`))
    .map((l) => l.ifname);
}

function linkExists(name: string): boolean {
  return spawnSync("ip", ["link", "show", "dev", name]).status === 0;
}

/** The status of creating a network whose name is taken, from the API itself. */
async function fetch409(d: TestDaemon, name: string): Promise<number> {
  const { default: http } = await import("node:http");
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        socketPath: d.socket,
        path: "/networks/create",
        method: "POST",
        headers: { "content-type": "application/json" },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify({ Name: name }));
  });
}
