import assert from "node:assert/strict";
import { test } from "node:test";
import { parsePortSpec } from "./ports.js";
import { parseVolumeSpec, resolveHostPath } from "./volumes.js";

test("parsePortSpec turns short syntax into long syntax", () => {
  assert.deepEqual(parsePortSpec("8080:80"), [
    { mode: "ingress", target: 80, published: "8080", protocol: "tcp" },
  ]);
  assert.deepEqual(parsePortSpec(80), [{ mode: "ingress", target: 80, protocol: "tcp" }]);
  assert.deepEqual(parsePortSpec("127.0.0.1:8080:80/udp"), [
    { mode: "ingress", host_ip: "127.0.0.1", target: 80, published: "8080", protocol: "udp" },
  ]);
  assert.deepEqual(parsePortSpec("[::1]:8080:80"), [
    { mode: "ingress", host_ip: "::1", target: 80, published: "8080", protocol: "tcp" },
  ]);
  assert.deepEqual(parsePortSpec("127.0.0.1::80"), [
    { mode: "ingress", host_ip: "127.0.0.1", target: 80, protocol: "tcp" },
  ]);
  assert.deepEqual(
    parsePortSpec("8000-8001:80-81").map((p) => [p.published, p.target]),
    [
      ["8000", 80],
      ["8001", 81],
    ],
  );
  assert.deepEqual(parsePortSpec("8000-8010:80")[0]?.published, "8000-8010");
  assert.equal(parsePortSpec("90-92").length, 3);
});

test("parsePortSpec rejects bad ports with the reason", () => {
  assert.throws(() => parsePortSpec("99999"), /invalid port "99999": container port 99999 is out of range/);
  assert.throws(() => parsePortSpec("8080:http"), /container port "http" is not a number/);
  assert.throws(() => parsePortSpec("80/icmp"), /unknown protocol "icmp"/);
  assert.throws(() => parsePortSpec("8000-8002:80-81"), /differ in size/);
});

test("parseVolumeSpec tells binds, named and anonymous volumes apart", () => {
  assert.deepEqual(parseVolumeSpec("./data:/data:ro"), {
    type: "bind",
    source: "./data",
    target: "/data",
    read_only: true,
    bind: { create_host_path: true },
  });
  assert.deepEqual(parseVolumeSpec("db:/var/lib/db"), {
    type: "volume",
    source: "db",
    target: "/var/lib/db",
    volume: {},
  });
  assert.deepEqual(parseVolumeSpec("/cache"), { type: "volume", target: "/cache", volume: {} });
  assert.deepEqual(parseVolumeSpec("db:/x:nocopy").volume, { nocopy: true });
  assert.equal(parseVolumeSpec("/h:/x:z,rshared").bind?.propagation, "rshared");
  assert.throws(() => parseVolumeSpec("a:/x:bogus"), /unknown mode "bogus"/);
  assert.throws(() => parseVolumeSpec("a::/x"), /expected \[SOURCE:\]TARGET/);
});

test("resolveHostPath expands ~ and resolves relative paths", () => {
  assert.equal(resolveHostPath("./data", "/proj", "/home/u"), "/proj/data");
  assert.equal(resolveHostPath("../x/./y", "/proj/sub", undefined), "/proj/x/y");
  assert.equal(resolveHostPath("~/cfg", "/proj", "/home/u"), "/home/u/cfg");
  assert.equal(resolveHostPath("/abs/", "/proj", undefined), "/abs");
});
