import assert from "node:assert/strict";
import { test } from "node:test";
import type { Project, Service } from "../model.js";
import { canonicalJson, configHash, diffConfig } from "./config-hash.js";
import { type Existing, orphans, planService } from "./converge.js";
import { createBody } from "./create-body.js";
import { buildGraph, dependents, withDependencies } from "./graph.js";
import { containerLabels, L } from "./labels.js";
import { durationNs } from "./units.js";

function project(services: Record<string, Service>): Project {
  return {
    name: "demo",
    services,
    networks: { default: { name: "demo_default" }, back: { name: "demo_back" } },
    volumes: { data: { name: "demo_data" } },
  };
}

test("graph orders dependencies first and names a cycle", () => {
  const p = project({
    app: { image: "a", depends_on: { db: { condition: "service_healthy", required: true } } },
    db: { image: "d" },
    web: { image: "w", depends_on: { app: { condition: "service_started", required: true } } },
  });
  const g = buildGraph(p);
  assert.deepEqual(g.order, ["db", "app", "web"]);
  assert.deepEqual([...withDependencies(g, ["app"])].sort(), ["app", "db"]);
  assert.deepEqual([...dependents(g, "db")].sort(), ["app", "web"]);
  const cyc = project({
    a: { image: "x", depends_on: { b: { condition: "service_started", required: true } } },
    b: { image: "x", depends_on: { c: { condition: "service_started", required: true } } },
    c: { image: "x", depends_on: { a: { condition: "service_started", required: true } } },
  });
  assert.throws(() => buildGraph(cyc), /dependency cycle detected: a -> b -> c -> a/);
  const missing = project({
    a: { image: "x", depends_on: { nope: { condition: "service_started", required: true } } },
  });
  assert.throws(() => buildGraph(missing), /depends on undefined service "nope"/);
});

test("config hash ignores key order, scale and replicas; diff names the changed setting", () => {
  const a: Service = { image: "x", environment: { A: "1", B: "2" }, scale: 1 };
  const b: Service = { environment: { B: "2", A: "1" }, image: "x", scale: 3, deploy: { replicas: 3 } };
  assert.equal(configHash(a), configHash(b));
  assert.match(configHash(a), /^[0-9a-f]{64}$/);
  const c: Service = { image: "x", environment: { A: "1", B: "3" } };
  assert.notEqual(configHash(a), configHash(c));
  assert.deepEqual(diffConfig(JSON.parse(canonicalJson(a)), JSON.parse(canonicalJson(c))), [
    'environment.B: "2" -> "3"',
  ]);
});

test("create body carries Docker Compose's translation", () => {
  const p = project({
    app: {
      image: "app:1",
      command: ["sh", "-c", "run"],
      environment: { X: "1", UNSET: null },
      ports: [{ mode: "ingress", target: 80, published: "8080", protocol: "tcp" }],
      volumes: [
        { type: "volume", source: "data", target: "/data" },
        { type: "bind", source: "/srv", target: "/srv", read_only: true, bind: { create_host_path: true } },
        { type: "tmpfs", target: "/run" },
      ],
      networks: { back: { aliases: ["api"], ipv4_address: "198.19.5.9" } },
      healthcheck: {
        test: ["CMD-SHELL", "true"],
        interval: "1s",
        timeout: "500ms",
        retries: 5,
        start_period: "1m30s",
      },
      restart: "on-failure:3",
      stop_grace_period: "20s",
      init: true,
      read_only: true,
      cap_add: ["NET_ADMIN"],
      deploy: { resources: { limits: { memory: "67108864", cpus: 0.5, pids: 64 } } },
      logging: { driver: "json-file", options: { "max-size": "1m" } },
      extra_hosts: { "host.internal": ["10.0.0.1"] },
      user: "1000",
      tmpfs: ["/tmp:size=1m"],
    },
  });
  const body = createBody({ project: p, service: "app", image: "app:1", labels: { a: "b" } });
  assert.deepEqual(body.Cmd, ["sh", "-c", "run"]);
  assert.deepEqual(body.Env, ["X=1"]);
  assert.deepEqual(body.ExposedPorts, { "80/tcp": {} });
  assert.deepEqual(body.HostConfig?.PortBindings, { "80/tcp": [{ HostIp: "", HostPort: "8080" }] });
  assert.deepEqual(body.HostConfig?.Binds, ["/srv:/srv:ro"]);
  assert.equal(body.HostConfig?.Mounts?.[0]?.Source, "demo_data");
  assert.equal(body.HostConfig?.Mounts?.[1]?.Type, "tmpfs");
  assert.deepEqual(body.HostConfig?.RestartPolicy, { Name: "on-failure", MaximumRetryCount: 3 });
  assert.equal(body.HostConfig?.Memory, 67108864);
  assert.equal(body.HostConfig?.NanoCpus, 5e8);
  assert.equal(body.HostConfig?.PidsLimit, 64);
  assert.equal(body.HostConfig?.NetworkMode, "demo_back");
  assert.deepEqual(body.HostConfig?.ExtraHosts, ["host.internal:10.0.0.1"]);
  assert.deepEqual(body.HostConfig?.Tmpfs, { "/tmp": "size=1m" });
  assert.deepEqual(body.NetworkingConfig?.EndpointsConfig?.demo_back, {
    Aliases: ["app", "api"],
    IPAMConfig: { IPv4Address: "198.19.5.9", IPv6Address: undefined },
  });
  assert.deepEqual(body.Healthcheck, {
    Test: ["CMD-SHELL", "true"],
    Interval: 1e9,
    Timeout: 5e8,
    StartPeriod: 90e9,
    StartInterval: undefined,
    Retries: 5,
  });
  assert.equal(body.StopTimeout, 20);
  assert.equal(body.User, "1000");
  assert.equal(durationNs("1h0m0s"), 3600e9);
});

test("convergence keeps, recreates with a reason, scales and finds orphans", () => {
  const p = project({ app: { image: "x", environment: { A: "1" } } });
  const meta = { workingDir: "/w", configFiles: ["/w/compose.yaml"] };
  const old: Service = { image: "x", environment: { A: "0" } };
  const mk = (id: string, n: number, svc: Service, service = "app"): Existing => ({
    Id: id,
    Names: [`/demo-${service}-${n}`],
    State: "running",
    ImageID: "sha256:1",
    Labels: containerLabels({
      project: { ...p, services: { ...p.services, [service]: svc } },
      meta,
      service,
      number: n,
      hash: configHash(svc),
      canonical: canonicalJson(svc),
    }),
  });
  const same = planService(p, "app", [mk("c1", 1, p.services.app!)]);
  assert.deepEqual(
    same.actions.map((a) => a.kind),
    ["keep"],
  );
  const changed = planService(p, "app", [mk("c1", 1, old)]);
  assert.equal(changed.actions[0]?.kind, "recreate");
  assert.deepEqual((changed.actions[0] as { reasons: string[] }).reasons, ['environment.A: "0" -> "1"']);
  const scaled = planService(p, "app", [mk("c1", 1, p.services.app!), mk("c3", 3, p.services.app!)], {
    scale: { app: 3 },
  });
  assert.deepEqual(
    scaled.actions.map((a) => [a.kind, "number" in a ? a.number : 0]),
    [
      ["keep", 1],
      ["keep", 3],
      ["create", 2],
    ],
  );
  const down = planService(p, "app", [mk("c1", 1, p.services.app!), mk("c2", 2, p.services.app!)]);
  assert.deepEqual(
    down.actions.map((a) => a.kind),
    ["remove", "keep"],
  );
  const orphan = mk("c9", 1, { image: "y" }, "gone");
  assert.deepEqual(
    orphans(p, [mk("c1", 1, p.services.app!), orphan]).map((c) => c.Id),
    ["c9"],
  );
  assert.equal(mk("c1", 1, p.services.app!).Labels[L.oneoff], "False");
});
