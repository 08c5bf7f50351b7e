import assert from "node:assert/strict";
import { test } from "node:test";
import type { ImageConfig } from "./image-config.js";
import { historyWithLayers, nonEmptyHistory, parseImageConfig } from "./image-config.js";

const L1 = `sha256:${"a".repeat(64)}` as const;
const L2 = `sha256:${"b".repeat(64)}` as const;

// Shape of `docker image inspect`'s source JSON for an image built by BuildKit.
const dockerConfig = {
  architecture: "amd64",
  config: {
    User: "app",
    ExposedPorts: { "80/tcp": {} },
    Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
    Entrypoint: ["/docker-entrypoint.sh"],
    Cmd: ["nginx", "-g", "daemon off;"],
    Volumes: { "/data": {} },
    WorkingDir: "/srv",
    Labels: { maintainer: "NGINX Docker Maintainers" },
    StopSignal: "SIGQUIT",
    ArgsEscaped: true,
    Healthcheck: {
      Test: ["CMD-SHELL", "curl -f http://localhost/ || exit 1"],
      Interval: 30000000000,
      Timeout: 5000000000,
      StartPeriod: 1000000000,
      StartInterval: 500000000,
      Retries: 3,
    },
    Shell: ["/bin/bash", "-c"],
    OnBuild: ["RUN echo hi"],
  },
  created: "2024-01-01T00:00:00Z",
  history: [
    { created: "2024-01-01T00:00:00Z", created_by: "/bin/sh -c #(nop) ADD file:abc in / " },
    { created: "2024-01-01T00:00:00Z", created_by: '/bin/sh -c #(nop)  CMD ["bash"]', empty_layer: true },
    {
      created: "2024-01-01T00:00:01Z",
      created_by: "RUN /bin/sh -c apt-get update",
      comment: "buildkit.dockerfile.v0",
    },
    { created: "2024-01-01T00:00:02Z", created_by: "EXPOSE map[80/tcp:{}]", empty_layer: true },
  ],
  os: "linux",
  rootfs: { type: "layers", diff_ids: [L1, L2] },
  docker_version: "24.0.7",
  author: "someone",
  variant: "v2",
};

function rejects(doc: unknown, message: string | RegExp) {
  assert.throws(
    () => parseImageConfig(JSON.stringify(doc)),
    (err: unknown) => {
      assert.ok(err instanceof Error && err.name === "BerthError");
      if (typeof message === "string") assert.equal(err.message, message);
      else assert.match(err.message, message);
      return true;
    },
  );
}

test("parseImageConfig reads a Docker image config with all container config fields", () => {
  const cfg = parseImageConfig(new TextEncoder().encode(JSON.stringify(dockerConfig)));
  assert.deepEqual(cfg, dockerConfig);
});

test("parseImageConfig reads a minimal OCI config", () => {
  const cfg = parseImageConfig(
    '{"architecture":"arm64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}',
  );
  assert.deepEqual(cfg, { architecture: "arm64", os: "linux", rootfs: { type: "layers", diff_ids: [] } });
});

test("parseImageConfig reads Go's nulls as absent", () => {
  const cfg = parseImageConfig(
    JSON.stringify({
      architecture: "amd64",
      os: "linux",
      rootfs: { type: "layers", diff_ids: null },
      config: {
        Env: null,
        Cmd: null,
        Entrypoint: null,
        Labels: null,
        Volumes: null,
        ExposedPorts: null,
        Healthcheck: null,
      },
      history: null,
      container_config: null,
    }),
  );
  assert.deepEqual(cfg, {
    architecture: "amd64",
    os: "linux",
    rootfs: { type: "layers", diff_ids: [] },
    config: {},
  });
});

test("parseImageConfig keeps legacy container_config and drops unknown fields", () => {
  const cfg = parseImageConfig(
    JSON.stringify({
      ...dockerConfig,
      container: "abc",
      container_config: { Hostname: "abc", Cmd: ["/bin/sh"] },
      id: "ignored",
      config: { ...dockerConfig.config, Hostname: "ignored", Image: "ignored" },
    }),
  );
  assert.equal(cfg.container, "abc");
  assert.deepEqual(cfg.container_config, { Hostname: "abc", Cmd: ["/bin/sh"] });
  assert.equal("id" in cfg, false);
  assert.equal("Hostname" in (cfg.config ?? {}), false);
});

test("parseImageConfig names the bad field", () => {
  rejects({ ...dockerConfig, rootfs: undefined }, "invalid image config: rootfs is required");
  rejects(
    { ...dockerConfig, rootfs: { type: "blobs", diff_ids: [] } },
    'invalid image config: rootfs.type must be "layers", got "blobs"',
  );
  rejects(
    { ...dockerConfig, rootfs: { type: "layers", diff_ids: ["nope"] } },
    /rootfs\.diff_ids\[0\] must be a digest/,
  );
  rejects(
    { ...dockerConfig, architecture: undefined },
    "invalid image config: architecture is missing (must be a string)",
  );
  rejects({ ...dockerConfig, os: 1 }, "invalid image config: os must be a string, got number 1");
  rejects(
    { ...dockerConfig, config: { Env: "A=1" } },
    'invalid image config: config.Env must be an array, got string "A=1"',
  );
  rejects(
    { ...dockerConfig, config: { Cmd: ["a", 1] } },
    "invalid image config: config.Cmd[1] must be a string, got number 1",
  );
  rejects(
    { ...dockerConfig, config: { ExposedPorts: { "80/tcp": 1 } } },
    /config\.ExposedPorts\.80\/tcp must be an object/,
  );
  rejects(
    { ...dockerConfig, config: { Healthcheck: { Retries: "3" } } },
    /config\.Healthcheck\.Retries must be a non-negative integer/,
  );
  rejects({ ...dockerConfig, config: { ArgsEscaped: "yes" } }, /config\.ArgsEscaped must be a boolean/);
  rejects({ ...dockerConfig, history: [{ empty_layer: 1 }] }, /history\[0\]\.empty_layer must be a boolean/);
  rejects("x", /document must be an object/);
});

test("historyWithLayers pairs non-empty history entries with diff_ids in order", () => {
  const cfg = parseImageConfig(JSON.stringify(dockerConfig));
  const entries = historyWithLayers(cfg);
  assert.deepEqual(
    entries.map((e) => e.diffId),
    [L1, undefined, L2, undefined],
  );
  assert.equal(entries[2]?.history.comment, "buildkit.dockerfile.v0");
});

test("historyWithLayers synthesises entries for layers without history", () => {
  const cfg: ImageConfig = {
    architecture: "amd64",
    os: "linux",
    rootfs: { type: "layers", diff_ids: [L1, L2] },
  };
  assert.deepEqual(historyWithLayers(cfg), [
    { history: {}, diffId: L1 },
    { history: {}, diffId: L2 },
  ]);
});

test("historyWithLayers leaves surplus non-empty entries without a layer", () => {
  const cfg: ImageConfig = {
    architecture: "amd64",
    os: "linux",
    rootfs: { type: "layers", diff_ids: [L1] },
    history: [{ created_by: "a" }, { created_by: "b" }],
  };
  assert.deepEqual(historyWithLayers(cfg), [
    { history: { created_by: "a" }, diffId: L1 },
    { history: { created_by: "b" } },
  ]);
});

test("nonEmptyHistory returns one entry per layer", () => {
  const cfg = parseImageConfig(JSON.stringify(dockerConfig));
  const pairs = nonEmptyHistory(cfg);
  assert.equal(pairs.length, cfg.rootfs.diff_ids.length);
  assert.deepEqual(
    pairs.map((p) => [p.diffId, p.history.created_by]),
    [
      [L1, "/bin/sh -c #(nop) ADD file:abc in / "],
      [L2, "RUN /bin/sh -c apt-get update"],
    ],
  );
  const bare: ImageConfig = {
    architecture: "amd64",
    os: "linux",
    rootfs: { type: "layers", diff_ids: [L1] },
  };
  assert.deepEqual(nonEmptyHistory(bare), [{ history: {}, diffId: L1 }]);
});
