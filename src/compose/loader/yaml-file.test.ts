import assert from "node:assert/strict";
import { test } from "node:test";
import { markOf } from "./interpolate.js";
import { parseYamlFile } from "./yaml-file.js";

test("parseYamlFile resolves aliases and merge keys, explicit keys winning", () => {
  const y = parseYamlFile(
    "c.yaml",
    "a: &a {x: 1, y: 2}\nb: &b {y: 3, z: 4}\nc:\n  <<: [*a, *b]\n  x: 9\nd: *a\n",
  );
  assert.deepEqual(y.value, {
    a: { x: 1, y: 2 },
    b: { y: 3, z: 4 },
    c: { x: 9, y: 2, z: 4 },
    d: { x: 1, y: 2 },
  });
});

test("parseYamlFile keeps !override and !reset marks", () => {
  const y = parseYamlFile("c.yaml", "a: !override [1]\nb: !reset null\n");
  const v = y.value as Record<string, unknown>;
  assert.equal(markOf(v.a), "override");
  assert.equal(markOf(v.b), "reset");
});

test("parseYamlFile locates paths and reports syntax errors with line and column", () => {
  const y = parseYamlFile("c.yaml", "services:\n  web:\n    ports:\n      - 80\n      - 90\n");
  assert.deepEqual(y.locate(["services", "web", "ports", 1]), { line: 5, col: 9 });
  assert.deepEqual(y.locate(["services", "web", "nope"]), { line: 2, col: 3 });
  assert.throws(() => parseYamlFile("c.yaml", "a: [1, 2\n"), /^BerthError: c.yaml:\d+:\d+: invalid YAML: /);
  assert.throws(() => parseYamlFile("c.yaml", "a: *missing\n"), /c.yaml:1:4: invalid YAML/);
});
