import assert from "node:assert/strict";
import { test } from "node:test";
import type { ContainerSummary } from "../../../api/types/containers.js";
import { ContainerRow, displayablePorts, ellipsis, truncateId } from "./_ps-view.js";
import { statsEntry, statsRow } from "./_stats-view.js";

test("displayablePorts groups consecutive ports and lists other mappings last", () => {
  assert.equal(
    displayablePorts([
      { IP: "0.0.0.0", PrivatePort: 80, PublicPort: 8080, Type: "tcp" },
      { IP: "::", PrivatePort: 80, PublicPort: 8080, Type: "tcp" },
      { PrivatePort: 443, Type: "tcp" },
      { IP: "0.0.0.0", PrivatePort: 8001, PublicPort: 8001, Type: "tcp" },
      { IP: "0.0.0.0", PrivatePort: 8000, PublicPort: 8000, Type: "tcp" },
    ]),
    "443/tcp, 0.0.0.0:8000-8001->8000-8001/tcp, 0.0.0.0:8080->80/tcp, [::]:8080->80/tcp",
  );
  assert.equal(displayablePorts([]), "");
});

test("ellipsis cuts to display columns", () => {
  assert.equal(ellipsis("short", 20), "short");
  assert.equal(ellipsis("/docker-entrypoint.sh nginx", 20), "/docker-entrypoint.…");
  assert.equal(ellipsis("日本語日本語日本語日本語", 5), "日本…");
});

test("ContainerRow presents a summary as docker's ps does", () => {
  const c: ContainerSummary = {
    Id: "4a5b6c7d8e9f00112233",
    Names: ["/web", "/other/alias"],
    Image: "docker.io/library/nginx:latest",
    ImageID: "sha256:abc",
    Command: "nginx -g 'daemon off;'",
    Created: 1_700_000_000,
    Ports: [],
    Labels: { b: "2", a: "1" },
    State: "running",
    Status: "Up 5 minutes",
    HostConfig: { NetworkMode: "bridge" },
    NetworkSettings: { Networks: { bridge: {} } },
    Mounts: [],
    SizeRw: 12345,
    SizeRootFs: 99_999_999,
  };
  const row = new ContainerRow(c, true, 1_700_000_300_000);
  assert.equal(row.ID, "4a5b6c7d8e9f");
  assert.equal(row.Names, "web");
  assert.equal(row.Image, "nginx:latest");
  assert.equal(row.Command, '"nginx -g \'daemon of…"');
  assert.equal(row.RunningFor, "5 minutes ago");
  assert.equal(row.CreatedAt, "2023-11-14 22:13:20 +0000 UTC");
  assert.equal(row.Labels, "a=1,b=2");
  assert.equal(row.Label("a"), "1");
  assert.equal(row.Size, "12.3kB (virtual 100MB)");
  assert.equal(new ContainerRow(c, false, 0).Names, "web,other/alias");
  assert.equal(truncateId("sha256:0123456789abcdef"), "0123456789ab");
});

test("statsRow computes docker's CPU and memory figures", () => {
  const e = statsEntry("c1", {
    id: "c1c1c1c1c1c1c1c1",
    name: "/web",
    cpu_stats: { cpu_usage: { total_usage: 2000 }, system_cpu_usage: 20000, online_cpus: 2 },
    precpu_stats: { cpu_usage: { total_usage: 1000 }, system_cpu_usage: 10000 },
    memory_stats: {
      usage: 10 * 1024 * 1024,
      limit: 100 * 1024 * 1024,
      stats: { inactive_file: 1024 * 1024 },
    },
    pids_stats: { current: 3 },
    networks: { eth0: { rx_bytes: 1234, tx_bytes: 5678 } },
    blkio_stats: {
      io_service_bytes_recursive: [
        { op: "Read", value: 4096 },
        { op: "Write", value: 8192 },
      ],
    },
  });
  assert.deepEqual(statsRow(e, true), {
    Container: "c1",
    Name: "web",
    ID: "c1c1c1c1c1c1",
    CPUPerc: "20.00%",
    MemUsage: "9MiB / 100MiB",
    MemPerc: "9.00%",
    NetIO: "1.23kB / 5.68kB",
    BlockIO: "4.1kB / 8.19kB",
    PIDs: "3",
  });
});
