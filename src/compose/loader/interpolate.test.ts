// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose interpolation syntax is the subject of these tests
import assert from "node:assert/strict";
import { test } from "node:test";
import { DotenvError, parseDotenv } from "./dotenv.js";
import { InterpolationPathError, interpolateString, interpolateTree } from "./interpolate.js";

const env: Record<string, string> = { SET: "value", EMPTY: "" };
const lookup = (n: string) => env[n];

test("interpolateString covers the compose operators", () => {
  const cases: [string, string][] = [
    ["${SET}", "value"],
    ["$SET/x", "value/x"],
    ["${UNSET:-def}", "def"],
    ["${EMPTY:-def}", "def"],
    ["${EMPTY-def}", ""],
    ["${UNSET-def}", "def"],
    ["${SET:+alt}", "alt"],
    ["${EMPTY:+alt}", ""],
    ["${EMPTY+alt}", "alt"],
    ["${UNSET+alt}", ""],
    ["$${SET} $$SET", "${SET} $SET"],
    ["${UNSET:-${ALSO:-${SET}}}", "value"],
    ["${UNSET:-a}-${SET}", "a-value"],
    ["cost: $5", "cost: $5"],
    ["${SET?no}", "value"],
  ];
  for (const [input, want] of cases) assert.equal(interpolateString(input, lookup), want, input);
});

test("interpolateString required variables fail with their message", () => {
  assert.throws(() => interpolateString("${DB_PASSWORD:?set DB_PASSWORD in .env}", lookup), {
    message: "required variable DB_PASSWORD is missing a value: set DB_PASSWORD in .env",
  });
  assert.throws(() => interpolateString("${EMPTY:?}", lookup), /required variable EMPTY is missing a value/);
  assert.equal(interpolateString("${EMPTY?}", lookup), "");
  assert.throws(() => interpolateString("${UNSET?gone}", lookup), /UNSET is missing a value: gone/);
  assert.throws(() => interpolateString("${oops", lookup), /invalid interpolation format/);
  assert.throws(() => interpolateString("${}", lookup), /invalid interpolation format/);
});

test("interpolateTree names the path of a failing value and warns on unset variables", () => {
  const warnings: string[] = [];
  const out = interpolateTree({ services: { a: { image: "${SET}", labels: ["$NOPE"] } } }, lookup, (w) =>
    warnings.push(w),
  );
  assert.deepEqual(out, { services: { a: { image: "value", labels: [""] } } });
  assert.deepEqual(warnings, ['The "NOPE" variable is not set. Defaulting to a blank string.']);
  assert.throws(
    () => interpolateTree({ services: { a: { environment: ["P=${P:?needed}"] } } }, lookup, () => {}),
    (e: unknown) =>
      e instanceof InterpolationPathError &&
      e.message === "services.a.environment[0]: required variable P is missing a value: needed",
  );
});

test("parseDotenv reads quotes, comments, export and expansion", () => {
  const text = [
    "# comment",
    "export A=1",
    "B = two words # trailing",
    "C='lit $A'",
    'D="line\\nnext ${A}"',
    "E=${A}-${SET}",
    "SET",
    "MISSING",
    'F="multi',
    'line"',
    "G=",
  ].join("\n");
  assert.deepEqual(parseDotenv(text, lookup), {
    A: "1",
    B: "two words",
    C: "lit $A",
    D: "line\nnext 1",
    E: "1-value",
    SET: "value",
    F: "multi\nline",
    G: "",
  });
  assert.throws(
    () => parseDotenv("A=1\nB C=2"),
    (e: unknown) => e instanceof DotenvError && e.line === 2,
  );
});
