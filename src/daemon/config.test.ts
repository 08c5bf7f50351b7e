import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULTS, resolveConfig } from "./config.js";

test("resolveConfig uses Docker-like defaults", () => {
  assert.deepEqual(resolveConfig(undefined, {}), DEFAULTS);
});

test("resolveConfig reads daemon.json keys and lets flags win", () => {
  const cfg = resolveConfig(
    { "data-root": "/srv/berth", hosts: ["unix:///tmp/b.sock"], "log-level": "debug" },
    {
      dataRoot: "/flag/root",
    },
  );
  assert.equal(cfg.dataRoot, "/flag/root");
  assert.equal(cfg.socket, "/tmp/b.sock");
  assert.equal(cfg.logLevel, "debug");
});

test("resolveConfig moves the socket with a custom exec root", () => {
  assert.equal(resolveConfig(undefined, { execRoot: "/tmp/x" }).socket, "/tmp/x/berth.sock");
});

test("resolveConfig rejects unknown keys and bad values", () => {
  assert.throws(() => resolveConfig({ storage: "x" }, {}), /unknown configuration key "storage"/);
  assert.throws(() => resolveConfig({ "data-root": "relative" }, {}), /must be an absolute path/);
  assert.throws(() => resolveConfig({ hosts: ["tcp://0.0.0.0:2375"] }, {}), /unix sockets/);
});

test("resolveConfig reads registry settings", () => {
  const cfg = resolveConfig(
    {
      "insecure-registries": ["reg.example:5000", "10.0.0.0/8"],
      "registry-mirrors": { "127.0.0.1:5000": ["http://127.0.0.1:5001/"] },
      "berth-registry-timeouts": { stall: 1.5 },
    },
    {},
  );
  assert.deepEqual(cfg.insecureRegistries, ["reg.example:5000", "10.0.0.0/8"]);
  assert.deepEqual(cfg.registryMirrors, { "127.0.0.1:5000": ["http://127.0.0.1:5001"] });
  assert.deepEqual(cfg.registryTimeouts, { stallMs: 1500 });
  assert.deepEqual(resolveConfig({ "registry-mirrors": ["https://m.example"] }, {}).registryMirrors, {
    "docker.io": ["https://m.example"],
  });
  assert.throws(() => resolveConfig({ "registry-mirrors": "https://m.example" }, {}), /registry-mirrors/);
  assert.throws(
    () => resolveConfig({ "berth-registry-timeouts": { stall: 0 } }, {}),
    /berth-registry-timeouts/,
  );
  assert.throws(() => resolveConfig({ "insecure-registries": "x" }, {}), /insecure-registries/);
});
