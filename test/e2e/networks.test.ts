import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { busyboxRootfs } from "../fixtures/busybox.js";
import { TestDaemon } from "../harness/daemon.js";
import { freePort, getOnce, getWithRetry } from "../harness/http.js";

/**
 * Bridge networking through the real docker CLI: the default bridge, published ports, cleanup.
 * Traffic goes only to 127.0.0.1 and to this daemon's own containers (its own bridge, /24, owner
 * tag and nft table: see TestDaemon.network).
 */
describe("networks", () => {
  let d: TestDaemon;
  before(async () => {
    d = await TestDaemon.start();
    const r = await d.docker(["import", "-c", "EXPOSE 80", "-", "busybox:latest"], {
      input: await busyboxRootfs(),
    });
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    if (!d) return;
    const ids = (await d.docker(["ps", "-aq"])).stdout.split("\n").filter(Boolean);
    if (ids.length) await d.docker(["rm", "-f", ...ids]);
    const n = d.network;
    const netnsDir = path.join(d.execRoot, "netns");
    await d.cleanup();
    // Nothing of this daemon is left on the host.
    const links = spawnSync("ip", ["-j", "link", "show"], { encoding: "utf8" }).stdout;
    const parsed = JSON.parse(links || "[]") as { ifname: string; ifalias?: string }[];
    assert.deepEqual(
      parsed
        .filter((l) => l.ifname === n.bridge || l.ifalias?.startsWith(`${n.owner}:`))
        .map((l) => l.ifname),
      [],
    );
    const tables = spawnSync("nft", ["list", "tables"], { encoding: "utf8" }).stdout;
    assert.ok(!tables.includes(n.table), tables);
    await assert.rejects(fs.access(netnsDir));
  });

  const ok = (r: { code: number; stdout: string; stderr: string }) => {
    assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r.stdout.trim();
  };
  const httpd = (text: string) => [
    "sh",
    "-c",
    `mkdir -p /www && echo ${text} > /www/index.html && exec httpd -f -p 80 -h /www`,
  ];

  test("a container on the default bridge gets an address, a route and a hosts entry", async () => {
    ok(await d.docker(["run", "-d", "--name", "ping-target", "busybox", "sleep", "60"]));
    const ip = ok(await d.docker(["inspect", "-f", "{{.NetworkSettings.IPAddress}}", "ping-target"]));
    const [gw, len, netId] = ok(
      await d.docker([
        "inspect",
        "-f",
        "{{.NetworkSettings.Networks.bridge.Gateway}} {{.NetworkSettings.Networks.bridge.IPPrefixLen}} {{.NetworkSettings.Networks.bridge.NetworkID}}",
        "ping-target",
      ]),
    ).split(" ");
    assert.equal(gw, d.network.subnet.replace(/0\/24$/, "1"));
    assert.equal(len, "24");
    assert.match(netId ?? "", /^[0-9a-f]{64}$/);
    assert.ok(ip.startsWith(d.network.subnet.replace(/0\/24$/, "")), ip);
    assert.match(ok(await d.docker(["exec", "ping-target", "cat", "/etc/hosts"])), new RegExp(`${ip}\\t`));
    assert.match(ok(await d.docker(["exec", "ping-target", "ip", "route"])), /^default via /m);
    ok(await d.docker(["run", "--rm", "busybox", "ping", "-c1", "-W2", ip]));
    const none = ok(await d.docker(["run", "--rm", "--network", "none", "busybox", "ip", "-o", "link"]));
    assert.deepEqual(
      none.split("\n").map((l) => l.split(":")[1]?.trim()),
      ["lo"],
    );
    ok(await d.docker(["rm", "-f", "ping-target"]));
    assert.deepEqual(await fs.readdir(path.join(d.execRoot, "netns")), []);
  });

  test("a published port serves the host; docker port and ps show it", async () => {
    const port = await freePort();
    ok(
      await d.docker([
        "run",
        "-d",
        "--name",
        "web",
        "-p",
        `127.0.0.1:${port}:80`,
        "busybox",
        ...httpd("hello"),
      ]),
    );
    assert.equal(await getWithRetry(port), "hello");
    assert.equal(ok(await d.docker(["port", "web", "80"])), `127.0.0.1:${port}`);
    assert.match(
      ok(await d.docker(["ps", "--filter", "name=web", "--format", "{{.Ports}}"])),
      new RegExp(`127\\.0\\.0\\.1:${port}->80/tcp`),
    );
    // The same host port again: Docker's error, and the second container is not left running.
    const clash = await d.docker([
      "run",
      "-d",
      "--name",
      "web-clash",
      "-p",
      `127.0.0.1:${port}:80`,
      "busybox",
      "sleep",
      "30",
    ]);
    assert.notEqual(clash.code, 0);
    assert.match(
      clash.stderr,
      new RegExp(
        `driver failed programming external connectivity on endpoint web-clash \\([0-9a-f]{64}\\): Bind for 127\\.0\\.0\\.1:${port} failed: port is already allocated`,
      ),
    );
    assert.equal(ok(await d.docker(["inspect", "-f", "{{.State.Status}}", "web-clash"])), "created");
    ok(await d.docker(["rm", "-f", "web", "web-clash"]));
    await assert.rejects(getOnce(port));
  });

  test("-P publishes EXPOSEd ports on dynamic host ports", async () => {
    ok(await d.docker(["run", "-d", "--name", "web-all", "-P", "busybox", ...httpd("all")]));
    const hostSide = ok(await d.docker(["port", "web-all", "80/tcp"]));
    assert.match(hostSide, /^0\.0\.0\.0:\d+$/);
    assert.equal(await getWithRetry(Number(hostSide.split(":")[1])), "all");
    ok(await d.docker(["rm", "-f", "web-all"]));
  });

  test("network ls and inspect show the predefined networks and their containers", async () => {
    const ls = ok(await d.docker(["network", "ls", "--format", "{{.Name}} {{.Driver}} {{.Scope}}"]));
    assert.deepEqual(ls.split("\n").sort(), ["bridge bridge local", "host host local", "none null local"]);
    assert.equal(ok(await d.docker(["network", "ls", "-q", "--filter", "name=none"])).length, 12);
    const id = ok(await d.docker(["run", "-d", "--name", "listed", "busybox", "sleep", "60"]));
    const [net] = JSON.parse(ok(await d.docker(["network", "inspect", "bridge"]))) as {
      IPAM: { Config: { Subnet: string }[] };
      Containers: Record<string, { Name: string; IPv4Address: string }>;
    }[];
    assert.equal(net?.IPAM.Config[0]?.Subnet, d.network.subnet);
    assert.equal(net?.Containers[id]?.Name, "listed");
    assert.match(net?.Containers[id]?.IPv4Address ?? "", /\/24$/);
    const rm = await d.docker(["network", "rm", "bridge"]);
    assert.notEqual(rm.code, 0);
    assert.match(rm.stderr, /bridge is a pre-defined network and cannot be removed/);
    ok(await d.docker(["network", "create", "mynet"]));
    assert.match(ok(await d.docker(["network", "prune", "-f"])), /^Deleted Networks:\nmynet$/);
    ok(await d.docker(["rm", "-f", "listed"]));
  });

  test("berth's own CLI: network ls/inspect, run -p, port", async () => {
    const ls = ok(await d.berth(["network", "ls"]));
    assert.match(ls.split("\n")[0] ?? "", /^NETWORK ID\s+NAME\s+DRIVER\s+SCOPE$/);
    assert.match(ls, /^[0-9a-f]{12}\s+bridge\s+bridge\s+local$/m);
    assert.equal(ok(await d.berth(["network", "inspect", "-f", "{{.Name}}", "none"])), "none");
    const port = await freePort();
    ok(
      await d.berth([
        "run",
        "-d",
        "--name",
        "berth-web",
        "-p",
        `127.0.0.1:${port}:80`,
        "busybox",
        ...httpd("b"),
      ]),
    );
    assert.equal(await getWithRetry(port), "b");
    assert.equal(ok(await d.berth(["port", "berth-web"])), `80/tcp -> 127.0.0.1:${port}`);
    ok(await d.berth(["rm", "-f", "berth-web"]));
  });

  test("a bad -p is refused at create", async () => {
    const r = await d.docker(["create", "-p", "127.0.0.1:99999:80", "busybox", "true"]);
    assert.notEqual(r.code, 0);
  });
});
