import assert from "node:assert/strict";
import { test } from "node:test";
import { BuildProgressModel } from "./build-progress.js";

test("the progress model folds the legacy stream into steps with CACHED, miss reasons and output", () => {
  const m = new BuildProgressModel();
  m.push("Step 1/3 : FROM busybox\n ---> 0123456789ab\nStep 2/3 : COPY . .\n ---> Using cache\n", 0);
  m.push(" ---> 111111111111\nStep 3/3 : RUN echo hi\n ---> Cache miss: RUN echo hi — previous step", 1000);
  m.push(" missed\n ---> Running in abcdefabcdef\nhi\n", 1500);
  const frame = m.render(2500, 60, 0);
  assert.equal(frame[0], "[+] Building 2.5s (2/3)");
  assert.match(frame[2]!, /^ => CACHED \[2\/3\] COPY \. \.\s+0\.0s$/);
  assert.match(frame[3]!, /^ => \[3\/3\] RUN echo hi\s+1\.5s$/);
  assert.match(frame[4]!, /^ => => cache miss: previous step missed/);
  assert.match(frame[5]!, /^ => => # hi/);
  m.push(" ---> 222222222222\nSuccessfully built 222222222222\n", 3000);
  m.finish(3000);
  assert.deepEqual(m.notes, ["Successfully built 222222222222"]);
  assert.equal(m.render(3000, 60, 0).length, 5, "a finished step hides its output");
});
