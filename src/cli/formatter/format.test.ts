import assert from "node:assert/strict";
import { test } from "node:test";
import { BerthError } from "../../lib/errors.js";
import { parseFormatOption, preprocessTemplate, renderFormat } from "./format.js";

const IMAGES = {
  defaultTable:
    "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}",
  headers: { Repository: "REPOSITORY", Tag: "TAG", ID: "IMAGE ID", CreatedSince: "CREATED", Size: "SIZE" },
};

const ROWS = [
  { Repository: "ubuntu", Tag: "22.04", ID: "abcdef123456", CreatedSince: "2 weeks ago", Size: "77.8MB" },
  { Repository: "alpine", Tag: "latest", ID: "0123456789ab", CreatedSince: "", Size: "7.38MB" },
];

test("parseFormatOption classifies docker's format values", () => {
  assert.deepEqual(parseFormatOption(""), { kind: "table" });
  assert.deepEqual(parseFormatOption("table"), { kind: "table" });
  assert.deepEqual(parseFormatOption("json"), { kind: "json" });
  assert.deepEqual(parseFormatOption("table {{.ID}}\\t{{.Names}}"), {
    kind: "table",
    template: "{{.ID}}\t{{.Names}}",
  });
  assert.deepEqual(parseFormatOption("{{.ID}}"), { kind: "template", template: "{{.ID}}" });
  assert.deepEqual(parseFormatOption("{{json .}}"), { kind: "template", template: "{{json .}}" });
  assert.deepEqual(parseFormatOption(" JSON "), { kind: "template", template: "JSON" });
});

test("preprocessTemplate trims spaces only and expands \\t and \\n", () => {
  assert.equal(preprocessTemplate("  {{.A}}\\t{{.B}}\\n  "), "{{.A}}\t{{.B}}\n");
  assert.equal(preprocessTemplate("\t{{.A}}\n"), "\t{{.A}}\n");
});

test("renderFormat prints the default table for an empty format", () => {
  assert.equal(
    renderFormat("", ROWS, IMAGES),
    "REPOSITORY   TAG       IMAGE ID       CREATED       SIZE\n" +
      "ubuntu       22.04     abcdef123456   2 weeks ago   77.8MB\n" +
      "alpine       latest    0123456789ab   N/A           7.38MB\n",
  );
  assert.equal(renderFormat("table", [], IMAGES), "REPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n");
});

test("renderFormat prints a custom table with headers from the header map", () => {
  assert.equal(
    renderFormat("table {{.ID}}\\t{{.Repository | upper}}", ROWS, IMAGES),
    "IMAGE ID       REPOSITORY\nabcdef123456   UBUNTU\n0123456789ab   ALPINE\n",
  );
  assert.equal(renderFormat("table {{.Nope}}", [], IMAGES), "<no value>\n");
});

test("renderFormat prints a raw template once per row", () => {
  assert.equal(renderFormat("{{.Repository}}:{{.Tag}}", ROWS, IMAGES), "ubuntu:22.04\nalpine:latest\n");
  assert.equal(renderFormat("{{.Repository}}", [], IMAGES), "");
});

test("renderFormat prints json rows with sorted keys", () => {
  assert.equal(renderFormat("json", [{ Tag: "t", ID: "i" }], IMAGES), '{"ID":"i","Tag":"t"}\n');
});

test("renderFormat reports template errors with docker's prefix", () => {
  assert.throws(
    () => renderFormat("{{.ID", ROWS, IMAGES),
    (err: unknown) =>
      err instanceof BerthError &&
      err.kind === "invalid-argument" &&
      err.message === "template parsing error: template: :1: unclosed action",
  );
  assert.throws(
    () => renderFormat("{{.ID.X}}", ROWS, IMAGES),
    /^BerthError: template parsing error: template: :1:5: executing "" at <.ID.X>: can't evaluate field X/,
  );
});

test("renderFormat ignores header errors as docker does", () => {
  assert.equal(renderFormat("table {{json .}}", [{ A: 1 }], IMAGES), '\n{"A":1}\n');
});
