import assert from "node:assert/strict";
import { test } from "node:test";
import { parseBind, parseMountSpec, parseVolumesFrom, validMountMode } from "./mount-parse.js";

test("parseBind reads binds, named and anonymous volumes with their modes", () => {
  assert.deepEqual(parseBind("/host/dir/:/ctr:ro,rslave"), {
    type: "bind",
    source: "/host/dir/",
    destination: "/ctr",
    rw: false,
    mode: "ro,rslave",
    propagation: "rslave",
    createSource: true,
    copyData: false,
  });
  const named = parseBind("data:/var/lib/x/");
  assert.equal(named.type, "volume");
  assert.equal(named.source, "data");
  assert.equal(named.destination, "/var/lib/x");
  assert.equal(named.copyData, true);
  assert.equal(named.propagation, "");
  assert.equal(parseBind("data:/x:nocopy").copyData, false);
  const anon = parseBind("/only");
  assert.equal(anon.type, "volume");
  assert.equal(anon.source, "");
});

test("parseBind rejects bad specs with Docker's messages", () => {
  assert.throws(() => parseBind("/foo:rw"), /invalid volume specification: '\/foo:rw'/);
  assert.throws(() => parseBind("a:b:c:d"), /invalid volume specification: 'a:b:c:d'/);
  assert.throws(() => parseBind("/a::/b"), /invalid volume specification/);
  assert.throws(() => parseBind("/a:/b:bogus"), /invalid mode: bogus/);
  assert.throws(() => parseBind("/a:/b:ro,rw"), /invalid mode: ro,rw/);
  assert.throws(() => parseBind("/a:/b:nocopy"), /invalid mode: nocopy/);
  assert.throws(() => parseBind("v:/"), /destination can't be '\/'/);
  assert.throws(() => parseBind("v:rel"), /invalid mount path: 'rel' mount path must be absolute/);
});

test("parseMountSpec validates each type as Docker does", () => {
  assert.throws(
    () => parseMountSpec({ Type: "bind", Target: "/x" }),
    /invalid mount config for type "bind": field Source must not be empty/,
  );
  assert.throws(
    () => parseMountSpec({ Type: "tmpfs", Source: "x", Target: "/x" }),
    /field Source must not be specified/,
  );
  assert.throws(
    () => parseMountSpec({ Type: "volume", Target: "/x", ReadOnly: true }),
    /must not set ReadOnly mode when using anonymous volumes/,
  );
  assert.throws(() => parseMountSpec({ Type: "npipe", Target: "/x" }), /mount type unknown/);
  const bind = parseMountSpec({
    Type: "bind",
    Source: "/h",
    Target: "/c",
    BindOptions: { Propagation: "rshared" },
  });
  assert.equal(bind.propagation, "rshared");
  assert.equal(bind.createSource, false);
  const tmpfs = parseMountSpec({
    Type: "tmpfs",
    Target: "/t",
    TmpfsOptions: { SizeBytes: 64 * 2 ** 20, Mode: 0o1777 },
  });
  assert.deepEqual(tmpfs.tmpfsOptions, ["size=64m", "mode=1777"]);
  const vol = parseMountSpec({
    Type: "volume",
    Source: "v1",
    Target: "/v",
    VolumeOptions: { NoCopy: true, Labels: { a: "b" }, DriverConfig: { Options: { type: "tmpfs" } } },
  });
  assert.equal(vol.copyData, false);
  assert.deepEqual(vol.labels, { a: "b" });
  assert.deepEqual(vol.driverOptions, { type: "tmpfs" });
});

test("parseVolumesFrom takes ro/rw and refuses propagation and nocopy", () => {
  assert.deepEqual(parseVolumesFrom("c1"), { container: "c1", rw: true });
  assert.deepEqual(parseVolumesFrom("c1:ro"), { container: "c1", rw: false });
  assert.throws(() => parseVolumesFrom("c1:rshared"), /invalid mode: rshared/);
  assert.throws(() => parseVolumesFrom("c1:nocopy"), /invalid mode: nocopy/);
  assert.throws(() => parseVolumesFrom(""), /cannot be an empty string/);
});

test("validMountMode allows one of each kind", () => {
  assert.equal(validMountMode("ro,z,rprivate,nocopy,cached"), true);
  assert.equal(validMountMode("z,Z"), false);
});
