import assert from "node:assert/strict";
import { test } from "node:test";
import type { SourceEntry, StepIdentity } from "./cache-key.js";
import { cacheKey } from "./cache-key.js";
import { explainMiss } from "./explain-miss.js";

const file = (digest: string, mode = 0o644, uid = 0): SourceEntry => ({
  type: "file",
  mode,
  uid,
  gid: 0,
  digest,
});

function step(over: Partial<StepIdentity> = {}): StepIdentity {
  return { parentKey: "sha256:p", instruction: "COPY . .", text: "COPY . /app", args: {}, ...over };
}

test("cacheKey changes with content, mode and args but not with manifest order", () => {
  const a = step({ sources: { "a.js": file("1"), "b.js": file("2") } });
  const reordered = step({ sources: { "b.js": file("2"), "a.js": file("1") } });
  assert.equal(cacheKey(a), cacheKey(reordered));
  assert.notEqual(cacheKey(a), cacheKey(step({ sources: { "a.js": file("9"), "b.js": file("2") } })));
  assert.notEqual(cacheKey(a), cacheKey(step({ sources: { "a.js": file("1", 0o755), "b.js": file("2") } })));
  assert.notEqual(cacheKey(step()), cacheKey(step({ args: { V: "1" } })));
  assert.notEqual(cacheKey(step()), cacheKey(step({ parentKey: "sha256:q" })));
});

test("explainMiss names the changed file and what changed", () => {
  const before = { text: "COPY . /app", args: {}, sources: { "src/app.js": file("1"), "x.sh": file("3") } };
  const now = step({ sources: { "src/app.js": file("2"), "x.sh": file("3", 0o755), "new.txt": file("4") } });
  assert.equal(
    explainMiss(now, [before], { previousMissed: false }),
    "new.txt added, src/app.js changed (content), x.sh changed (mode 644 → 755)",
  );
});

test("explainMiss names a changed ARG, a previous miss, and a first build", () => {
  const now = step({ instruction: "ARG VERSION=1", text: "ARG VERSION=2", args: { VERSION: "2" } });
  const before = { text: "ARG VERSION=1", args: { VERSION: "1" } };
  assert.equal(explainMiss(now, [before], { previousMissed: false }), "ARG VERSION changed from 1 to 2");
  assert.equal(explainMiss(now, [before], { previousMissed: true }), "previous step missed");
  assert.equal(explainMiss(now, [], { previousMissed: false }), "no earlier build of this step");
});
