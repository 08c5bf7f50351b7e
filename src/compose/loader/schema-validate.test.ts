import assert from "node:assert/strict";
import { test } from "node:test";
import { COMPOSE_SCHEMA } from "./compose-schema.js";
import { applyCoercions, type Schema, validateSchema } from "./schema-validate.js";

const KNOWN = new Set([
  "type",
  "properties",
  "patternProperties",
  "additionalProperties",
  "required",
  "items",
  "oneOf",
  "enum",
  "$ref",
  "uniqueItems",
  "minimum",
  "maximum",
  "pattern",
  "format",
  "default",
  "definitions",
]);

test("COMPOSE_SCHEMA uses only keywords the validator knows, and every $ref resolves", () => {
  const unknown = new Set<string>();
  const walk = (s: Schema, inMap: boolean) => {
    for (const [k, v] of Object.entries(s)) {
      if (!inMap && !KNOWN.has(k)) unknown.add(k);
      if (k === "$ref")
        assert.ok(COMPOSE_SCHEMA.definitions?.[String(v).replace("#/definitions/", "")], String(v));
      const childIsMap = !inMap && (k === "properties" || k === "patternProperties" || k === "definitions");
      if (Array.isArray(v)) for (const x of v) if (x && typeof x === "object") walk(x as Schema, false);
      if (v && typeof v === "object" && !Array.isArray(v)) walk(v as Schema, childIsMap);
    }
  };
  walk(COMPOSE_SCHEMA, false);
  assert.deepEqual([...unknown], []);
});

test("validateSchema reports paths and picks the oneOf branch of the value's type", () => {
  const doc = { services: { web: { image: "x", ports: [{ target: 80, bogus: 1 }], restart: 5 } } };
  const { violations } = validateSchema(COMPOSE_SCHEMA, doc);
  assert.deepEqual(
    violations.map((v) => [v.path.join("."), v.message]),
    [
      ["services.web.ports.0", 'additional property "bogus" is not allowed'],
      ["services.web.restart", "must be a string, not an integer"],
    ],
  );
});

test("validateSchema casts interpolated strings where numbers and booleans are wanted", () => {
  const doc = { services: { web: { image: "x", init: "true", deploy: { replicas: "3" }, mem_limit: "1g" } } };
  const { violations, coercions } = validateSchema(COMPOSE_SCHEMA, doc);
  assert.deepEqual(violations, []);
  applyCoercions(doc, coercions);
  assert.deepEqual(doc.services.web, { image: "x", init: true, deploy: { replicas: 3 }, mem_limit: "1g" });
  const bad = validateSchema(COMPOSE_SCHEMA, { services: { web: { image: "x", init: "maybe" } } });
  assert.equal(bad.violations[0]?.message, '"maybe" is not a boolean');
});
