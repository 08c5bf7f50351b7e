import assert from "node:assert/strict";
import { test } from "node:test";
import { validateVolumeName } from "./names.js";
import { mountArgs, parseLocalOptions } from "./options.js";

test("parseLocalOptions checks keys and required companions", () => {
  assert.equal(parseLocalOptions({}), undefined);
  assert.deepEqual(parseLocalOptions({ type: "tmpfs", device: "tmpfs", o: "size=1m" }), {
    type: "tmpfs",
    device: "tmpfs",
    o: "size=1m",
  });
  assert.throws(() => parseLocalOptions({ foo: "1" }), /invalid option: "foo"/);
  assert.throws(() => parseLocalOptions({ type: "tmpfs" }), /missing required option: "device"/);
  assert.throws(() => parseLocalOptions({ o: "x", device: "d" }), /missing required option: "type"/);
  assert.throws(() => parseLocalOptions({ size: "1g" }), /quota size requested but no quota support/);
});

test("mountArgs builds mount(8) arguments; type none with o=bind is a bind mount", () => {
  assert.deepEqual(mountArgs({ type: "tmpfs", device: "tmpfs", o: "size=1m" }, "/v"), [
    "-t",
    "tmpfs",
    "-o",
    "size=1m",
    "--",
    "tmpfs",
    "/v",
  ]);
  assert.deepEqual(mountArgs({ type: "none", device: "/src", o: "bind" }, "/v"), [
    "-o",
    "bind",
    "--",
    "/src",
    "/v",
  ]);
});

test("validateVolumeName refuses paths and one-character names with Docker's words", () => {
  validateVolumeName("my-vol_1.x");
  assert.throws(
    () => validateVolumeName("../x"),
    /"\.\.\/x" includes invalid characters for a local volume name/,
  );
  assert.throws(
    () => validateVolumeName("/etc"),
    /If you intended to pass a host directory, use absolute path/,
  );
  assert.throws(() => validateVolumeName("a"), /volume name is too short/);
});
