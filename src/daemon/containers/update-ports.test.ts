import assert from "node:assert/strict";
import { test } from "node:test";
import { editPortBindings } from "./update-ports.js";

test("editPortBindings adds, removes one binding, and removes a whole port without a host port", () => {
  const cur = { "80/tcp": [{ HostIp: "", HostPort: "8080" }], "53/udp": [{ HostIp: "", HostPort: "53" }] };
  assert.deepEqual(
    editPortBindings(
      cur,
      { "80": [{ HostIp: "", HostPort: "8081" }] },
      { "80/tcp": [{ HostIp: "", HostPort: "8080" }] },
    ),
    { "80/tcp": [{ HostIp: "", HostPort: "8081" }], "53/udp": [{ HostIp: "", HostPort: "53" }] },
  );
  assert.deepEqual(editPortBindings(cur, {}, { "53/udp": [{ HostIp: "", HostPort: "" }] }), {
    "80/tcp": [{ HostIp: "", HostPort: "8080" }],
  });
  // Adding what is there already changes nothing.
  assert.deepEqual(editPortBindings(cur, { "80/tcp": [{ HostPort: "8080" }] }), cur);
});

test("editPortBindings refuses malformed bindings", () => {
  assert.throws(
    () => editPortBindings({}, { "80/tcp": [{ HostIp: "", HostPort: "abc" }] }),
    /invalid hostPort: abc/,
  );
});
