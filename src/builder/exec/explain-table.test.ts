import assert from "node:assert/strict";
import { test } from "node:test";
import { formatExplainTable } from "./explain-table.js";

test("the explain table has a header and one aligned row per step", () => {
  const text = formatExplainTable([
    {
      step: "1/3",
      instruction: "FROM busybox",
      result: "base",
      key: "sha256:abcdef0123456789",
      inputs: "",
      reason: "image busybox",
    },
    {
      step: "2/3",
      instruction: "COPY . .",
      result: "miss",
      key: "sha256:0011223344556677",
      inputs: "parent=abcdef012345 sources=2 entries 99",
      reason: "src/a.js changed (content)",
    },
  ]);
  const lines = text.trimEnd().split("\n");
  assert.equal(lines.length, 3);
  assert.match(lines[0]!, /^STEP\s+INSTRUCTION\s+RESULT\s+KEY\s+INPUTS\s+REASON$/);
  assert.match(
    lines[2]!,
    /^2\/3\s+COPY \. \.\s+miss\s+001122334455\s+parent=abcdef012345 .* src\/a\.js changed \(content\)$/,
  );
  assert.equal(lines[1]!.indexOf("base"), lines[0]!.indexOf("RESULT"));
});
