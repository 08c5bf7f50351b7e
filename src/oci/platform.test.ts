import assert from "node:assert/strict";
import { test } from "node:test";
import {
  compatiblePlatforms,
  formatPlatform,
  normalizePlatform,
  parsePlatform,
  platformRank,
} from "./platform.js";

const HOST = { os: "linux", architecture: "amd64" };

test("normalizePlatform canonicalises architecture aliases", () => {
  assert.deepEqual(normalizePlatform({ os: "Linux", architecture: "x86_64" }), HOST);
  assert.deepEqual(normalizePlatform({ os: "linux", architecture: "amd64", variant: "v1" }), HOST);
  assert.deepEqual(normalizePlatform({ os: "linux", architecture: "aarch64" }), {
    os: "linux",
    architecture: "arm64",
  });
  assert.deepEqual(normalizePlatform({ os: "linux", architecture: "arm64", variant: "v8" }), {
    os: "linux",
    architecture: "arm64",
  });
  assert.deepEqual(normalizePlatform({ os: "linux", architecture: "arm64", variant: "v8.2" }), {
    os: "linux",
    architecture: "arm64",
    variant: "v8.2",
  });
  assert.deepEqual(normalizePlatform({ os: "linux", architecture: "arm" }), {
    os: "linux",
    architecture: "arm",
    variant: "v7",
  });
  assert.deepEqual(normalizePlatform({ os: "linux", architecture: "armhf" }), {
    os: "linux",
    architecture: "arm",
    variant: "v7",
  });
  assert.deepEqual(normalizePlatform({ os: "linux", architecture: "armel" }), {
    os: "linux",
    architecture: "arm",
    variant: "v6",
  });
  assert.deepEqual(normalizePlatform({ os: "linux", architecture: "i386" }), {
    os: "linux",
    architecture: "386",
  });
  assert.deepEqual(normalizePlatform({ os: "macos", architecture: "arm64" }), {
    os: "darwin",
    architecture: "arm64",
  });
});

test("formatPlatform prints os/arch[/variant]", () => {
  assert.equal(formatPlatform(HOST), "linux/amd64");
  assert.equal(formatPlatform({ os: "linux", architecture: "arm", variant: "v6" }), "linux/arm/v6");
});

test("parsePlatform reads one to three components", () => {
  assert.deepEqual(parsePlatform("linux/arm64", HOST), { os: "linux", architecture: "arm64" });
  assert.deepEqual(parsePlatform("linux/arm/v6", HOST), { os: "linux", architecture: "arm", variant: "v6" });
  assert.deepEqual(parsePlatform("linux/arm64/v8", HOST), { os: "linux", architecture: "arm64" });
  assert.deepEqual(parsePlatform("linux", { os: "linux", architecture: "arm64" }), {
    os: "linux",
    architecture: "arm64",
  });
  assert.deepEqual(parsePlatform("aarch64", HOST), { os: "linux", architecture: "arm64" });
  assert.deepEqual(parsePlatform("windows", HOST), { os: "windows", architecture: "amd64" });
});

test("parsePlatform refuses malformed specifiers", () => {
  assert.throws(() => parsePlatform("", HOST), /platform specifier component must match/);
  assert.throws(() => parsePlatform("linux//v7", HOST), /invalid component/);
  assert.throws(() => parsePlatform("linux/*", HOST), /invalid component/);
  assert.throws(() => parsePlatform("nosuchthing", HOST), /unknown operating system or architecture/);
  assert.throws(() => parsePlatform("a/b/c/d", HOST), /cannot parse platform specifier/);
});

test("compatiblePlatforms lists fallbacks best first", () => {
  assert.deepEqual(compatiblePlatforms(HOST).map(formatPlatform), ["linux/amd64", "linux/386"]);
  assert.deepEqual(
    compatiblePlatforms({ os: "linux", architecture: "amd64", variant: "v3" }).map(formatPlatform),
    ["linux/amd64/v3", "linux/amd64/v2", "linux/amd64", "linux/386"],
  );
  assert.deepEqual(compatiblePlatforms({ os: "linux", architecture: "arm" }).map(formatPlatform), [
    "linux/arm/v7",
    "linux/arm/v6",
    "linux/arm/v5",
  ]);
  assert.deepEqual(compatiblePlatforms({ os: "linux", architecture: "arm64" }).map(formatPlatform), [
    "linux/arm64",
    "linux/arm/v8",
    "linux/arm/v7",
    "linux/arm/v6",
    "linux/arm/v5",
  ]);
});

test("platformRank is 0 for exact, higher for fallbacks, undefined when incompatible", () => {
  assert.equal(platformRank(HOST, { os: "linux", architecture: "x86_64" }), 0);
  assert.equal(platformRank(HOST, { os: "linux", architecture: "386" }), 1);
  assert.equal(platformRank(HOST, { os: "linux", architecture: "arm64" }), undefined);
  assert.equal(platformRank(HOST, { os: "windows", architecture: "amd64" }), undefined);
  assert.equal(platformRank(HOST, { os: "linux", architecture: "amd64", variant: "v2" }), undefined);
  assert.equal(
    platformRank({ os: "linux", architecture: "arm", variant: "v6" }, { os: "linux", architecture: "arm" }),
    undefined,
  );
  assert.equal(
    platformRank(
      { os: "linux", architecture: "arm64", variant: "v8" },
      { os: "linux", architecture: "arm64" },
    ),
    0,
  );
});
