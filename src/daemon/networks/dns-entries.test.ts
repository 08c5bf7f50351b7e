import assert from "node:assert/strict";
import { test } from "node:test";
import { dnsTables } from "./dns-entries.js";

test("dnsTables: names per network; a container on two networks is answered both from each", () => {
  const t = dnsTables(
    ["n1", "n2"],
    [
      {
        containerId: "a".repeat(64),
        name: "web",
        on: new Map([["n1", { ip: "198.19.1.2", aliases: ["www"] }]]),
      },
      {
        containerId: "b".repeat(64),
        name: "cli",
        on: new Map([
          ["n1", { ip: "198.19.1.3", aliases: [] }],
          ["n2", { ip: "198.19.2.2", aliases: [] }],
          ["bridge", { ip: "198.18.0.2", aliases: [] }],
        ]),
      },
      { containerId: "c".repeat(64), name: "db", on: new Map([["n2", { ip: "198.19.2.3", aliases: [] }]]) },
    ],
  );
  assert.deepEqual(
    t.get("n1")?.entries.map((e) => [e.ip, e.names]),
    [
      ["198.19.1.2", ["web", "www", "aaaaaaaaaaaa"]],
      ["198.19.1.3", ["cli", "bbbbbbbbbbbb"]],
    ],
  );
  assert.deepEqual([...(t.get("n2")?.byClient.keys() ?? [])], ["198.19.2.2"]);
  const fromN1 = t
    .get("n1")
    ?.byClient.get("198.19.1.3")
    ?.map((e) => e.names[0]);
  assert.deepEqual(fromN1, ["web", "cli", "cli", "db"]);
  assert.equal(t.has("bridge"), false);
});
