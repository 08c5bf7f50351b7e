import assert from "node:assert/strict";
import { test } from "node:test";
import { phaseTimer } from "./phase-timer.js";

test("phases are the time between marks; a repeated phase adds up", () => {
  const clock = [100, 103, 110.04, 111, 120];
  const t = phaseTimer(() => clock.shift()!);
  t.mark("mount");
  t.mark("spec");
  t.mark("mount");
  t.mark("start");
  assert.deepEqual(t.fields(), { mount: 4, spec: 7, start: 9, total: 20 });
});
