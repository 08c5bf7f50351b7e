import assert from "node:assert/strict";
import { test } from "node:test";
import { buildNamespaces } from "./namespaces.js";

test("buildNamespaces creates every namespace in Docker's order by default", () => {
  assert.deepEqual(
    buildNamespaces({
      network: { kind: "new" },
      ipc: { kind: "new" },
      pid: { kind: "new" },
      uts: { kind: "new" },
    }),
    [{ type: "mount" }, { type: "network" }, { type: "uts" }, { type: "pid" }, { type: "ipc" }],
  );
});

test("buildNamespaces joins by path and leaves host namespaces out", () => {
  assert.deepEqual(
    buildNamespaces({
      network: { kind: "path", path: "/run/netns/x", private: true },
      ipc: { kind: "path", path: "/proc/42/ns/ipc" },
      pid: { kind: "host" },
      uts: { kind: "host" },
      cgroup: { kind: "new" },
    }),
    [
      { type: "mount" },
      { type: "network", path: "/run/netns/x" },
      { type: "ipc", path: "/proc/42/ns/ipc" },
      { type: "cgroup" },
    ],
  );
});
